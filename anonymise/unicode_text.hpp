#pragma once
// Unicode helpers (ICU) shared by the transforms and the detectors: UTF-8
// validation and repair, Unicode white space trimming, NFC, case folding and
// grapheme clusters. Every function has an ASCII fast path that does not
// touch ICU; the `out` overloads reuse the caller's buffer (they replace its
// contents) so hot loops need not allocate.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::anonymise {

// True when `text` is well-formed UTF-8 (no overlongs, surrogates, or code
// points above U+10FFFF).
bool is_valid_utf8(std::string_view text) noexcept;
// `text` with every ill-formed sequence replaced by U+FFFD (one per maximal
// ill-formed subpart, as the Unicode standard recommends). Valid input is
// copied unchanged.
void repair_utf8(std::string_view text, std::string& out);
std::string repair_utf8(std::string_view text);

// `text` without leading and trailing White_Space code points (space, tab,
// newlines, NBSP, ideographic space, ...). `text` must be valid UTF-8.
std::string_view trim_unicode_space(std::string_view text) noexcept;

// Unicode Normalization Form C; invalid UTF-8 is repaired first.
void to_nfc(std::string_view text, std::string& out);
std::string to_nfc(std::string_view text);
// Full default case folding (ß -> ss, Σ/ς -> σ, ...); invalid UTF-8 is repaired first.
void case_fold(std::string_view text, std::string& out);
std::string case_fold(std::string_view text);
// The key under which two spellings of the same identifier agree: repaired,
// trimmed, NFC, case folded, NFC again (folding can denormalise).
void normalise_caseless(std::string_view text, std::string& out);
std::string normalise_caseless(std::string_view text);

// Byte offsets of the extended grapheme cluster boundaries of `text` (ICU
// character break iterator): 0 first, text.size() last; {0} for "". `text`
// should be valid UTF-8 (repair it first); "\r\n" is one cluster.
void grapheme_boundaries(std::string_view text, std::vector<std::size_t>& out);
std::size_t grapheme_count(std::string_view text);
// The number of grapheme clusters, and the byte offsets of the boundary
// after the first `first` clusters (`head`) and before the last `last` ones
// (`tail`), in memory bounded by `last`, not by the text (mask of a 50 MB
// value).
struct GraphemeEdges {
    std::size_t clusters = 0;
    std::size_t head = 0;
    std::size_t tail = 0;
};
GraphemeEdges grapheme_edges(std::string_view text, std::size_t first, std::size_t last);

} // namespace pgscrub::anonymise
