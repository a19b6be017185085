#pragma once
// The COPY text codec: splits the data stream of a TABLE DATA entry into rows
// and fields, and decodes and re-encodes field values exactly as PostgreSQL's
// COPY FROM / COPY TO do (docs/archive-format.md §8).
//
// Raw fields are kept as views into the row so that a field the scrubber does
// not touch can be written back byte for byte; only transformed fields go
// through decode_field/encode_field.
//
// Everything here works on bytes and treats `\`, TAB and LF as single-byte
// characters. That is only correct for encodings whose multibyte characters
// never contain ASCII bytes: check encoding_is_ascii_safe() first.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::dump::copy_text {

// COPY's spelling of NULL. Compared against the raw (still escaped) field.
inline constexpr std::string_view kNullMarker = "\\N";

// What pg_dump writes after the last row of every COPY stream. A data stream
// with no rows is exactly this.
inline constexpr std::string_view kPgDumpTrailer = "\\.\n\n\n";

// ---------------------------------------------------------------------------
// Rows

enum class StreamError : std::uint8_t {
    none,
    missing_end_marker,    // the stream ended on a row boundary without `\.`
    unterminated_last_row, // the stream ended inside a row (no `\n`, no `\.`)
};

// How a COPY stream ended, from RowSplitter::finish().
struct StreamEnd {
    StreamError error = StreamError::none;
    std::uint64_t row_number = 0; // 1-based row the error is about
    std::uint64_t offset = 0;     // byte offset of that row in the COPY stream

    explicit operator bool() const noexcept { return error == StreamError::none; }
    // "row 3 (byte offset 17): missing end-of-data marker \." ; "" when ok.
    std::string message() const;
};

// Splits a COPY text stream, fed in pieces of any size, into rows.
//
// Pull style, so the caller keeps its own control flow and error handling:
//
//     RowSplitter splitter;
//     for (each decompressed piece) {
//         splitter.feed(piece);
//         std::string_view row;
//         while (splitter.next_row(row)) handle(row);
//     }
//     if (auto end = splitter.finish(); !end) fail(end.message());
//     write(splitter.trailer());
//
// A row that lies entirely inside one piece is returned as a view into that
// piece (no copy); only a row that straddles pieces is assembled in an
// internal buffer. A LF preceded by an odd run of backslashes is data (COPY
// FROM's deprecated `\`+newline) and stays inside the row.
//
// The first row that starts with `\.` is the end-of-data marker: it and every
// byte after it, across any number of later pieces, form the trailer, kept
// verbatim. (COPY TO never writes an unescaped `\.`, so a mid-row `\.` is not
// looked for; a PG <= 17 server would end the data there.)
class RowSplitter {
public:
    // The piece must stay valid until next_row() has returned false for it.
    // Call next_row() until it returns false before feeding the next piece.
    void feed(std::string_view piece);

    // Gets the next complete row of the current piece, without its `\n`.
    // The view is valid until the next call to next_row(), feed() or finish().
    // Returns false when the piece is used up (feed more) or the end marker
    // was reached (the rest is trailer).
    bool next_row(std::string_view& row);

    // feed() plus next_row() until exhausted, calling on_row(std::string_view)
    // for each row. Exceptions from on_row propagate; the splitter must then
    // not be used further.
    template <class OnRow>
    void feed(std::string_view piece, OnRow&& on_row) {
        feed(piece);
        std::string_view row;
        while (next_row(row)) on_row(row);
    }

    // Call once after the last piece. Reports a missing end marker or a
    // truncated last row with the row number and stream offset.
    [[nodiscard]] StreamEnd finish();

    bool end_marker_seen() const noexcept { return in_trailer_; }
    // The `\.` line and everything after it, verbatim (`\.\n\n\n` from
    // pg_dump). Complete once finish() has been called.
    std::string_view trailer() const noexcept { return trailer_; }

    std::uint64_t rows_returned() const noexcept { return rows_returned_; }
    // 1-based number and stream offset of the row last returned by next_row(),
    // for error messages about that row.
    std::uint64_t row_number() const noexcept { return rows_returned_; }
    std::uint64_t row_offset() const noexcept { return last_row_offset_; }
    std::uint64_t bytes_fed() const noexcept { return piece_offset_ + piece_.size(); }

private:
    bool newline_is_escaped(std::size_t newline_index, bool row_continues_pending) const noexcept;
    void append_to_pending(std::string_view bytes);
    void release_pending_row();
    void start_trailer(std::string_view marker_and_rest);

    std::string_view piece_;
    std::size_t pos_ = 0;               // next unconsumed byte of piece_
    std::uint64_t piece_offset_ = 0;    // stream offset of piece_[0]

    // Bytes of a row that began in an earlier piece.
    std::string pending_;
    bool pending_ends_in_escape_ = false; // odd run of `\` at the end of pending_
    bool pending_was_returned_ = false;   // pending_ is the row last handed out

    std::uint64_t rows_returned_ = 0;
    std::uint64_t current_row_offset_ = 0;
    std::uint64_t last_row_offset_ = 0;

    bool in_trailer_ = false;
    std::string trailer_;
};

// ---------------------------------------------------------------------------
// Fields

// Splits a row into raw (still escaped) fields at every TAB not escaped by a
// backslash. Clears `fields` first. The views point into `row`.
// An empty row gives one empty field: that is a one-column row holding ''
// (or a zero-column table's row; only the caller knows the column count).
void split_fields(std::string_view row, std::vector<std::string_view>& fields);

// True for exactly `\N`. `\\N` is the two-character text `\N`.
inline bool is_null(std::string_view raw) noexcept { return raw == kNullMarker; }

// A raw field without a backslash is its own value: no decoding needed.
bool has_escapes(std::string_view raw) noexcept;

enum class DecodeError : std::uint8_t {
    none,
    trailing_backslash, // a lone `\` ends the field
    nul_byte,           // an octal/hex escape gives byte 0, which PostgreSQL rejects
};

struct DecodeResult {
    DecodeError error = DecodeError::none;
    std::size_t offset = 0; // offset in the raw field of the offending `\`

    explicit operator bool() const noexcept { return error == DecodeError::none; }
    std::string message() const; // "" when ok
};

// Appends the value of a non-NULL raw field to `out` (check is_null() first:
// `\N` would decode to "N"). On error, `out` holds the bytes decoded before
// the faulty escape. Bytes produced by octal/hex escapes are not checked
// against the database encoding.
[[nodiscard]] DecodeResult decode_field(std::string_view raw, std::string& out);

// True if encode_field would change `value`.
bool needs_escaping(std::string_view value) noexcept;

// Appends `value` escaped as COPY TO does: `\`, BS, FF, LF, CR, TAB, VT
// become `\\ \b \f \n \r \t \v`; every other byte (other controls, DEL,
// non-ASCII) is copied raw. `value` must not contain NUL bytes: PostgreSQL
// text cannot hold them and COPY has no way to spell them.
void encode_field(std::string_view value, std::string& out);

inline void encode_null(std::string& out) { out.append(kNullMarker); }

// Builds rows into a caller-owned buffer: fields separated by TAB, the row
// ended by `\n`. Untouched fields go in raw, byte for byte.
class CopyRowWriter {
public:
    explicit CopyRowWriter(std::string& out) noexcept : out_(&out) {}

    void raw_field(std::string_view raw) { separate(); out_->append(raw); }
    void value_field(std::string_view value) { separate(); encode_field(value, *out_); }
    void null_field() { separate(); encode_null(*out_); }
    // Ends the row. With no fields this writes an empty line, which is also
    // how a zero-column table's row looks.
    void end_row() { out_->push_back('\n'); at_row_start_ = true; }

    // Writes a whole row of raw fields.
    void raw_row(const std::vector<std::string_view>& raw_fields);

    std::string& buffer() noexcept { return *out_; }

private:
    void separate() {
        if (!at_row_start_) out_->push_back('\t');
        at_row_start_ = false;
    }

    std::string* out_;
    bool at_row_start_ = true;
};

// ---------------------------------------------------------------------------
// Encodings

// True if `encoding_name` (as in the archive's ENCODING entry; matched like
// PostgreSQL does, ignoring case and non-alphanumerics, aliases included) is
// an encoding in which every byte < 0x80 is an ASCII character, so the
// byte-level splitting and escaping here are correct. False for SJIS,
// SHIFT_JIS_2004, BIG5, GBK, UHC, GB18030 and JOHAB (whose multibyte
// characters may contain `\`), and for names PostgreSQL does not know.
bool encoding_is_ascii_safe(std::string_view encoding_name) noexcept;

} // namespace pgscrub::dump::copy_text
