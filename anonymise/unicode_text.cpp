#include "anonymise/unicode_text.hpp"

#include "common/interrupts.hpp"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/stringpiece.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>

namespace pgscrub::anonymise {

namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD

// Index of the first non-ASCII byte, or text.size().
std::size_t ascii_prefix(std::string_view text) noexcept {
    std::size_t i = 0;
    const std::size_t n = text.size();
    const char* p = text.data();
    for (; i + 8 <= n; i += 8) {
        std::uint64_t word;
        std::memcpy(&word, p + i, 8);
        if (word & 0x8080808080808080ULL) break;
    }
    while (i < n && static_cast<unsigned char>(p[i]) < 0x80) ++i;
    return i;
}

bool is_ascii(std::string_view text) noexcept {
    return ascii_prefix(text) == text.size();
}

std::int32_t as_length(std::size_t size) {
    if (size > static_cast<std::size_t>(INT32_MAX))
        throw std::length_error("value too long for Unicode processing (2 GB)");
    return static_cast<std::int32_t>(size);
}

bool ascii_space(char c) noexcept {
    return c == ' ' || (c >= '\t' && c <= '\r');
}

[[noreturn]] void icu_failure(const char* what, UErrorCode status) {
    throw std::runtime_error(std::string("ICU ") + what + " failed: " + u_errorName(status));
}

const icu::Normalizer2& nfc_instance() {
    static const icu::Normalizer2* instance = [] {
        UErrorCode status = U_ZERO_ERROR;
        const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
        if (U_FAILURE(status)) icu_failure("NFC data", status);
        return n;
    }();
    return *instance;
}

// NFC of valid UTF-8.
void nfc_valid(std::string_view text, std::string& out) {
    out.clear();
    if (is_ascii(text)) {
        out.assign(text);
        return;
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2& nfc = nfc_instance();
    const icu::StringPiece piece(text.data(), as_length(text.size()));
    if (nfc.isNormalizedUTF8(piece, status) && U_SUCCESS(status)) {
        out.assign(text);
        return;
    }
    status = U_ZERO_ERROR;
    icu::StringByteSink<std::string> sink(&out, as_length(text.size()));
    nfc.normalizeUTF8(0, piece, sink, nullptr, status);
    if (U_FAILURE(status)) icu_failure("NFC normalisation", status);
}

// Case fold of valid UTF-8.
void fold_valid(std::string_view text, std::string& out) {
    out.clear();
    const std::size_t ascii = ascii_prefix(text);
    if (ascii == text.size()) {
        out.resize(text.size());
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            out[i] = (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
        }
        return;
    }
    UErrorCode status = U_ZERO_ERROR;
    icu::StringByteSink<std::string> sink(&out, as_length(text.size()));
    icu::CaseMap::utf8Fold(U_FOLD_CASE_DEFAULT, icu::StringPiece(text.data(), as_length(text.size())), sink, nullptr,
                           status);
    if (U_FAILURE(status)) icu_failure("case folding", status);
}

// `text`, repaired into `scratch` when it is not valid UTF-8.
std::string_view valid_view(std::string_view text, std::string& scratch) {
    if (is_valid_utf8(text)) return text;
    repair_utf8(text, scratch);
    return scratch;
}

icu::BreakIterator& grapheme_iterator() {
    thread_local std::unique_ptr<icu::BreakIterator> iterator = [] {
        UErrorCode status = U_ZERO_ERROR;
        std::unique_ptr<icu::BreakIterator> it(
            icu::BreakIterator::createCharacterInstance(icu::Locale::getRoot(), status));
        if (U_FAILURE(status) || !it) icu_failure("grapheme break iterator", status);
        return it;
    }();
    return *iterator;
}

} // namespace

bool is_valid_utf8(std::string_view text) noexcept {
    std::size_t i = ascii_prefix(text);
    const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int64_t>(text.size());
    std::int64_t at = static_cast<std::int64_t>(i);
    while (at < length) {
        if (s[at] < 0x80) {
            ++at;
            continue;
        }
        UChar32 c;
        U8_NEXT(s, at, length, c);
        if (c < 0) return false;
    }
    return true;
}

void repair_utf8(std::string_view text, std::string& out) {
    out.clear();
    std::size_t i = ascii_prefix(text);
    out.append(text.substr(0, i));
    const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
    const auto length = static_cast<std::int64_t>(text.size());
    std::int64_t at = static_cast<std::int64_t>(i);
    while (at < length) {
        if (s[at] < 0x80) {
            out.push_back(static_cast<char>(s[at]));
            ++at;
            continue;
        }
        const std::int64_t start = at;
        UChar32 c;
        U8_NEXT(s, at, length, c);
        if (c < 0)
            out.append(kReplacement);
        else
            out.append(text.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(at - start)));
    }
}

std::string repair_utf8(std::string_view text) {
    std::string out;
    repair_utf8(text, out);
    return out;
}

std::string_view trim_unicode_space(std::string_view text) noexcept {
    const auto* s = reinterpret_cast<const std::uint8_t*>(text.data());
    std::int32_t begin = 0;
    std::int32_t end =
        static_cast<std::int32_t>(text.size() > static_cast<std::size_t>(INT32_MAX) ? INT32_MAX : text.size());
    while (begin < end) {
        if (s[begin] < 0x80) {
            if (!ascii_space(static_cast<char>(s[begin]))) break;
            ++begin;
            continue;
        }
        std::int32_t next = begin;
        UChar32 c;
        U8_NEXT(s, next, end, c);
        if (c < 0 || !u_isUWhiteSpace(c)) break;
        begin = next;
    }
    while (end > begin) {
        if (s[end - 1] < 0x80) {
            if (!ascii_space(static_cast<char>(s[end - 1]))) break;
            --end;
            continue;
        }
        std::int32_t previous = end;
        UChar32 c;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wold-style-cast" // inside ICU's macro
        U8_PREV(s, begin, previous, c);
#pragma GCC diagnostic pop
        if (c < 0 || !u_isUWhiteSpace(c)) break;
        end = previous;
    }
    return text.substr(static_cast<std::size_t>(begin), static_cast<std::size_t>(end - begin));
}

void to_nfc(std::string_view text, std::string& out) {
    std::string scratch;
    nfc_valid(valid_view(text, scratch), out);
}

std::string to_nfc(std::string_view text) {
    std::string out;
    to_nfc(text, out);
    return out;
}

void case_fold(std::string_view text, std::string& out) {
    std::string scratch;
    fold_valid(valid_view(text, scratch), out);
}

std::string case_fold(std::string_view text) {
    std::string out;
    case_fold(text, out);
    return out;
}

void normalise_caseless(std::string_view text, std::string& out) {
    if (is_ascii(text)) {
        fold_valid(trim_unicode_space(text), out);
        return;
    }
    thread_local std::string a;
    thread_local std::string b;
    const std::string_view valid = valid_view(text, a);
    nfc_valid(trim_unicode_space(valid), b);
    fold_valid(b, a);
    nfc_valid(a, out);
}

std::string normalise_caseless(std::string_view text) {
    std::string out;
    normalise_caseless(text, out);
    return out;
}

namespace {
// Calls `each` with every grapheme cluster boundary after 0, in order, the
// end of the text last: no list of them is built (a 50 MB value has 50
// million).
template <typename Each>
void each_grapheme_boundary(std::string_view text, Each&& each) {
    if (text.empty()) return;
    if (is_ascii(text)) {
        for (std::size_t i = 1; i <= text.size(); ++i)
            if (!(text[i - 1] == '\r' && i < text.size() && text[i] == '\n')) each(i);
        return;
    }
    UErrorCode status = U_ZERO_ERROR;
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, text.data(), static_cast<std::int64_t>(text.size()), &status);
    if (U_FAILURE(status)) icu_failure("UTF-8 text", status);
    icu::BreakIterator& it = grapheme_iterator();
    it.setText(&ut, status);
    if (U_FAILURE(status)) {
        utext_close(&ut);
        icu_failure("grapheme break iterator", status);
    }
    std::size_t last = 0;
    std::size_t steps = 0;
    int stop_signal = 0;
    for (std::int32_t at = it.next(); at != icu::BreakIterator::DONE; at = it.next()) {
        last = static_cast<std::size_t>(at);
        each(last);
        // A stop is thrown only after the iterator lets go of `text` below.
        if ((++steps & 0xffff) == 0 && (stop_signal = common::pending_interrupt()) != 0) break;
    }
    // Detach the iterator from the caller's bytes before they go away.
    UText empty = UTEXT_INITIALIZER;
    utext_openUTF8(&empty, "", 0, &status);
    it.setText(&empty, status);
    utext_close(&empty);
    utext_close(&ut);
    if (stop_signal) common::throw_if_interrupted("");
    if (last != text.size()) each(text.size());
}
} // namespace

void grapheme_boundaries(std::string_view text, std::vector<std::size_t>& out) {
    out.clear();
    out.push_back(0);
    each_grapheme_boundary(text, [&](std::size_t at) { out.push_back(at); });
}

GraphemeEdges grapheme_edges(std::string_view text, std::size_t first, std::size_t last) {
    GraphemeEdges edges;
    edges.head = 0;
    // The boundaries `last` from the end: a ring of the last last+1 seen,
    // per thread, as mask calls this for every value (no allocation per value).
    thread_local std::vector<std::size_t> ring;
    ring.assign(last + 1, 0);
    std::size_t seen = 1; // boundary 0
    each_grapheme_boundary(text, [&](std::size_t at) {
        if (seen == first) edges.head = at;
        ring[seen % ring.size()] = at;
        ++seen;
    });
    edges.clusters = seen - 1;
    if (edges.clusters >= last) edges.tail = ring[(edges.clusters - last) % ring.size()];
    if (first > edges.clusters) edges.head = text.size();
    return edges;
}

std::size_t grapheme_count(std::string_view text) {
    thread_local std::vector<std::size_t> boundaries;
    grapheme_boundaries(text, boundaries);
    return boundaries.size() - 1;
}

} // namespace pgscrub::anonymise
