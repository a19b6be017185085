#pragma once
// Byte tests shared by the parts of the personal-data detector (patterns,
// validators, synthetic ranges, the search itself); internal to anonymise/.
//
// ASCII only, on purpose: every kind the detector knows is spelt in ASCII
// (digits, Latin letters, '@', '$', base64), and what lies around a match may
// be any UTF-8, which must never count as a letter or digit of the value.
// std::isalpha and friends depend on the C locale and take an int that a
// negative char would make undefined; these do neither.

#include <string>
#include <string_view>

namespace pgscrub::anonymise::detection {

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
inline bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
inline bool is_alnum(char c) { return is_digit(c) || is_upper(c) || is_lower(c); }
inline char to_lower(char c) { return is_upper(c) ? static_cast<char>(c - 'A' + 'a') : c; }
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
inline bool is_hex_lower(char c) { return is_digit(c) || (c >= 'a' && c <= 'f'); }
inline bool is_hex(char c) { return is_hex_lower(c) || (c >= 'A' && c <= 'F'); }

// The byte at `i`, or '\0' past the end: the end of the text is a boundary.
inline char at(std::string_view text, std::size_t i) { return i < text.size() ? text[i] : '\0'; }
// The byte before `i`, or '\0' at the start.
inline char before(std::string_view text, std::size_t i) { return i > 0 ? text[i - 1] : '\0'; }
// Whether `c` is in `set` ('\0', the end of the text, never is).
inline bool one_of(char c, std::string_view set) { return c != '\0' && set.find(c) != std::string_view::npos; }

inline bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }
inline bool ends_with(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

template <typename Pred>
bool all_of(std::string_view s, Pred pred) {
    for (char c : s)
        if (!pred(c)) return false;
    return true;
}

// The digits of `s`, in order, without its separators.
inline std::string digits_of(std::string_view s) {
    std::string digits;
    for (char c : s)
        if (is_digit(c)) digits.push_back(c);
    return digits;
}

} // namespace pgscrub::anonymise::detection
