#include "dump/copy_text.hpp"

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>

namespace pgscrub::dump::copy_text {

namespace {

// A buffer that once held a huge row is given back, so one 1 GB value does
// not pin 1 GB for the rest of the run.
constexpr std::size_t kPendingCapacityToKeep = std::size_t{64} << 20;

// Position of the first `byte` in [from, end), or end.
inline const char* find_byte(const char* from, const char* end, char byte) noexcept {
    if (from >= end) return end;
    const void* hit = std::memchr(from, byte, static_cast<std::size_t>(end - from));
    return hit != nullptr ? static_cast<const char*>(hit) : end;
}

inline std::size_t count_trailing_backslashes(std::string_view bytes) noexcept {
    std::size_t run = 0;
    while (run < bytes.size() && bytes[bytes.size() - 1 - run] == '\\') ++run;
    return run;
}

inline bool is_octal_digit(char c) noexcept { return c >= '0' && c <= '7'; }

// -1 when `c` is not a hex digit.
inline int hex_digit_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// For each byte, the letter COPY TO writes after a backslash, or 0 when the
// byte is written raw (copyto.c CopyAttributeOutText).
constexpr std::array<char, 256> make_escape_letters() {
    std::array<char, 256> letters{};
    letters['\\'] = '\\';
    letters['\b'] = 'b';
    letters['\f'] = 'f';
    letters['\n'] = 'n';
    letters['\r'] = 'r';
    letters['\t'] = 't';
    letters['\v'] = 'v';
    return letters;
}
constexpr std::array<char, 256> kEscapeLetter = make_escape_letters();

inline char escape_letter(char byte) noexcept {
    return kEscapeLetter[static_cast<unsigned char>(byte)];
}

} // namespace

// ---------------------------------------------------------------------------
// StreamEnd

std::string StreamEnd::message() const {
    const char* what = nullptr;
    switch (error) {
    case StreamError::none:
        return {};
    case StreamError::missing_end_marker:
        what = "missing end-of-data marker \\.";
        break;
    case StreamError::unterminated_last_row:
        what = "last row is not terminated by a newline (truncated data?)";
        break;
    }
    return "row " + std::to_string(row_number) + " (byte offset " + std::to_string(offset) + "): " + what;
}

// ---------------------------------------------------------------------------
// RowSplitter

void RowSplitter::feed(std::string_view piece) {
    assert(pos_ >= piece_.size() && "drain next_row() before feeding the next piece");
    piece_offset_ += piece_.size();
    piece_ = piece;
    pos_ = 0;
}

bool RowSplitter::next_row(std::string_view& row) {
    if (pending_was_returned_) release_pending_row();

    const std::size_t size = piece_.size();
    if (pos_ >= size) return false;
    if (in_trailer_) {
        trailer_.append(piece_.substr(pos_));
        pos_ = size;
        return false;
    }

    const char* const data = piece_.data();
    const bool continues_pending = !pending_.empty();

    // The end marker is recognised only at the start of a row. Its two bytes
    // may be split between pieces, which leaves a pending row of just `\`.
    if (!continues_pending) {
        current_row_offset_ = piece_offset_ + pos_;
        if (data[pos_] == '\\') {
            if (pos_ + 1 == size) {
                append_to_pending(piece_.substr(pos_));
                pos_ = size;
                return false;
            }
            if (data[pos_ + 1] == '.') {
                start_trailer(piece_.substr(pos_));
                return false;
            }
        }
    } else if (pending_.size() == 1 && pending_[0] == '\\' && data[pos_] == '.') {
        pending_.clear();
        pending_ends_in_escape_ = false;
        trailer_.assign("\\");
        start_trailer(piece_.substr(pos_));
        return false;
    }

    std::size_t search_from = pos_;
    for (;;) {
        const char* newline = find_byte(data + search_from, data + size, '\n');
        if (newline == data + size) {
            append_to_pending(piece_.substr(pos_));
            pos_ = size;
            return false;
        }
        const auto newline_index = static_cast<std::size_t>(newline - data);
        if (!newline_is_escaped(newline_index, continues_pending)) {
            const std::string_view tail = piece_.substr(pos_, newline_index - pos_);
            if (continues_pending) {
                pending_.append(tail);
                row = pending_;
                pending_was_returned_ = true;
            } else {
                row = tail;
            }
            pos_ = newline_index + 1;
            ++rows_returned_;
            last_row_offset_ = current_row_offset_;
            return true;
        }
        search_from = newline_index + 1;
    }
}

// A backslash escapes the byte after it, so a LF is data exactly when the run
// of backslashes right before it is odd. The run cannot reach past the row's
// start (the previous row ended in a LF), but it can continue into pending_.
bool RowSplitter::newline_is_escaped(std::size_t newline_index, bool row_continues_pending) const noexcept {
    const char* const data = piece_.data();
    std::size_t index = newline_index;
    while (index > pos_ && data[index - 1] == '\\') --index;
    bool odd = ((newline_index - index) & 1U) != 0;
    if (index == pos_ && row_continues_pending) odd = odd != pending_ends_in_escape_;
    return odd;
}

void RowSplitter::append_to_pending(std::string_view bytes) {
    if (pending_.empty()) pending_ends_in_escape_ = false;
    const std::size_t run = count_trailing_backslashes(bytes);
    const bool run_is_odd = (run & 1U) != 0;
    pending_ends_in_escape_ = run == bytes.size() ? (pending_ends_in_escape_ != run_is_odd) : run_is_odd;
    pending_.append(bytes);
}

void RowSplitter::release_pending_row() {
    pending_was_returned_ = false;
    pending_ends_in_escape_ = false;
    if (pending_.capacity() > kPendingCapacityToKeep) {
        std::string().swap(pending_);
    } else {
        pending_.clear();
    }
}

void RowSplitter::start_trailer(std::string_view marker_and_rest) {
    in_trailer_ = true;
    trailer_.append(marker_and_rest);
    pos_ = piece_.size();
}

StreamEnd RowSplitter::finish() {
    assert(pos_ >= piece_.size() && "drain next_row() before finish()");
    if (pending_was_returned_) release_pending_row();
    if (in_trailer_) return {};
    if (!pending_.empty()) return {StreamError::unterminated_last_row, rows_returned_ + 1, current_row_offset_};
    return {StreamError::missing_end_marker, rows_returned_ + 1, bytes_fed()};
}

// ---------------------------------------------------------------------------
// Fields

void split_fields(std::string_view row, std::vector<std::string_view>& fields) {
    fields.clear();
    const char* const begin = row.data();
    const char* const end = begin + row.size();
    const char* field_start = begin;

    // Two memchr cursors instead of a byte loop: tabs end fields unless a
    // backslash before them escapes them. Both stay valid until passed.
    const char* tab = find_byte(begin, end, '\t');
    const char* backslash = find_byte(begin, end, '\\');
    for (;;) {
        if (backslash < tab) {
            const char* after_escape = std::min(backslash + 2, end);
            if (tab < after_escape) tab = find_byte(after_escape, end, '\t');
            backslash = find_byte(after_escape, end, '\\');
            continue;
        }
        fields.emplace_back(field_start, static_cast<std::size_t>(tab - field_start));
        if (tab == end) return;
        field_start = tab + 1;
        tab = find_byte(field_start, end, '\t');
    }
}

bool has_escapes(std::string_view raw) noexcept {
    return !raw.empty() && std::memchr(raw.data(), '\\', raw.size()) != nullptr;
}

std::string DecodeResult::message() const {
    switch (error) {
    case DecodeError::none:
        return {};
    case DecodeError::trailing_backslash:
        return "lone backslash at the end of a field (byte " + std::to_string(offset) + ")";
    case DecodeError::nul_byte:
        return "escape at byte " + std::to_string(offset) + " of a field gives a NUL byte, which PostgreSQL rejects";
    }
    return {};
}

// Mirrors CopyReadAttributesText (copyfromparse.c).
DecodeResult decode_field(std::string_view raw, std::string& out) {
    const char* const begin = raw.data();
    const char* const end = begin + raw.size();
    const char* cursor = begin;

    const char* backslash = find_byte(cursor, end, '\\');
    if (backslash == end) {
        out.append(raw);
        return {};
    }
    out.reserve(out.size() + raw.size()); // decoding never grows the text

    for (;;) {
        out.append(cursor, backslash);
        if (backslash == end) return {};
        const auto escape_offset = static_cast<std::size_t>(backslash - begin);
        cursor = backslash + 1;
        if (cursor == end) return {DecodeError::trailing_backslash, escape_offset};

        const char escaped = *cursor++;
        char byte = escaped;
        bool byte_from_digits = false;
        switch (escaped) {
        case 'b': byte = '\b'; break;
        case 'f': byte = '\f'; break;
        case 'n': byte = '\n'; break;
        case 'r': byte = '\r'; break;
        case 't': byte = '\t'; break;
        case 'v': byte = '\v'; break;
        case '0': case '1': case '2': case '3':
        case '4': case '5': case '6': case '7': {
            unsigned value = static_cast<unsigned>(escaped - '0');
            for (int extra_digits = 0; extra_digits < 2 && cursor < end && is_octal_digit(*cursor); ++extra_digits) {
                value = (value << 3) + static_cast<unsigned>(*cursor++ - '0');
            }
            byte = static_cast<char>(value & 0xFFU);
            byte_from_digits = true;
            break;
        }
        case 'x': {
            // Without a hex digit after it, `\x` is just `x`.
            int digit = cursor < end ? hex_digit_value(*cursor) : -1;
            if (digit < 0) break;
            unsigned value = static_cast<unsigned>(digit);
            ++cursor;
            if (cursor < end && (digit = hex_digit_value(*cursor)) >= 0) {
                value = (value << 4) + static_cast<unsigned>(digit);
                ++cursor;
            }
            byte = static_cast<char>(value);
            byte_from_digits = true;
            break;
        }
        default:
            break; // any other byte stands for itself (`\\`, `\.`, `\N`, `\`+LF)
        }
        if (byte_from_digits && byte == '\0') return {DecodeError::nul_byte, escape_offset};
        out.push_back(byte);
        backslash = find_byte(cursor, end, '\\');
    }
}

bool needs_escaping(std::string_view value) noexcept {
    return std::any_of(value.begin(), value.end(), [](char c) { return escape_letter(c) != 0; });
}

void encode_field(std::string_view value, std::string& out) {
    const char* run_start = value.data();
    const char* const end = run_start + value.size();
    for (const char* cursor = run_start; cursor != end; ++cursor) {
        const char letter = escape_letter(*cursor);
        if (letter == 0) continue;
        out.append(run_start, cursor);
        out.push_back('\\');
        out.push_back(letter);
        run_start = cursor + 1;
    }
    out.append(run_start, end);
}

void CopyRowWriter::raw_row(const std::vector<std::string_view>& raw_fields) {
    for (std::string_view raw : raw_fields) raw_field(raw);
    end_row();
}

// ---------------------------------------------------------------------------
// Encodings

bool encoding_is_ascii_safe(std::string_view encoding_name) noexcept {
    // Names as PostgreSQL's pg_encname_tbl spells them after
    // clean_encoding_name(), minus the client-only encodings whose multibyte
    // characters may contain bytes < 0x80 (SJIS, SHIFT_JIS_2004, BIG5, GBK,
    // UHC, GB18030, JOHAB; note the win932/936/949/950 aliases among them).
    static constexpr std::string_view kSafeNames[] = {
        "abc", "alt", "euccn", "eucjis2004", "eucjp", "euckr", "euctw",
        "iso88591", "iso885910", "iso885913", "iso885914", "iso885915", "iso885916",
        "iso88592", "iso88593", "iso88594", "iso88595", "iso88596", "iso88597",
        "iso88598", "iso88599", "koi8", "koi8r", "koi8u",
        "latin1", "latin10", "latin2", "latin3", "latin4", "latin5", "latin6",
        "latin7", "latin8", "latin9", "muleinternal", "sqlascii",
        "tcvn", "tcvn5712", "unicode", "utf8", "vscii", "win",
        "win1250", "win1251", "win1252", "win1253", "win1254", "win1255",
        "win1256", "win1257", "win1258", "win866", "win874",
        "windows1250", "windows1251", "windows1252", "windows1253", "windows1254",
        "windows1255", "windows1256", "windows1257", "windows1258",
        "windows866", "windows874",
    };

    // PostgreSQL rejects names of NAMEDATALEN (64) bytes or more.
    constexpr std::size_t kMaxNameLength = 63;
    if (encoding_name.empty() || encoding_name.size() > kMaxNameLength) return false;
    std::array<char, kMaxNameLength> cleaned{};
    std::size_t length = 0;
    for (char c : encoding_name) {
        if (c >= 'A' && c <= 'Z') {
            cleaned[length++] = static_cast<char>(c - 'A' + 'a');
        } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            cleaned[length++] = c;
        }
    }
    const std::string_view key(cleaned.data(), length);
    return std::find(std::begin(kSafeNames), std::end(kSafeNames), key) != std::end(kSafeNames);
}

} // namespace pgscrub::dump::copy_text
