#pragma once
// Byte classes of PostgreSQL's SQL lexer (scan.l, psqlscan.l), shared by the
// statement splitter and the tokenizer (sql_lexer.hpp); internal to dump/.
//
// ASCII only: bytes from 0x80 up (UTF-8 and other server encodings) can
// start and continue identifiers, as in PostgreSQL, and are never letters
// that case-fold.

#include <array>
#include <cstddef>

namespace pgscrub::dump::sql_chars {

inline constexpr bool is_ascii_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
inline constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline constexpr bool is_high_bit(char c) { return static_cast<unsigned char>(c) >= 0x80; }
// psql's ident_start / ident_cont, without the '$' that ident_cont also allows.
inline constexpr bool is_identifier_start(char c) { return is_ascii_letter(c) || c == '_' || is_high_bit(c); }
inline constexpr bool is_identifier_byte(char c) { return is_identifier_start(c) || is_digit(c); }
inline constexpr bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
inline constexpr char to_lower_ascii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// is_identifier_byte as a table: the hot loop of SqlLexState::feed.
inline constexpr std::array<bool, 256> kIdentifierByte = [] {
    std::array<bool, 256> table{};
    for (int c = 0; c < 256; ++c) table[static_cast<std::size_t>(c)] = is_identifier_byte(static_cast<char>(c));
    return table;
}();
inline constexpr bool is_identifier_byte_fast(char c) { return kIdentifierByte[static_cast<unsigned char>(c)]; }

// PostgreSQL's op_chars, plus '`' and '?' which psql also lets through as operators.
inline constexpr bool is_operator_byte(char c) {
    switch (c) {
    case '~': case '!': case '@': case '#': case '^': case '&': case '|': case '`': case '?':
    case '+': case '-': case '*': case '/': case '%': case '<': case '>': case '=':
        return true;
    default:
        return false;
    }
}

} // namespace pgscrub::dump::sql_chars
