#pragma once
// The validators of the personal-data detector: given a candidate that a
// kind's expression found (detector_patterns.hpp), each decides in code
// whether it is a value of that kind; internal to anonymise/. detectors.hpp
// is the manual of the search that calls them.
//
// The contract of every check_<kind>: `text` is the whole searched text and
// [start, end) the candidate within it, its leading boundary character
// already skipped. The result is the end of the accepted value, which may lie
// before `end` (a card number followed by a year, a crypt hash followed by a
// full stop), or nullopt when the candidate is not one. They look outside
// [start, end) only at the bytes that bound it: no match glued to letters or
// digits, no phone number inside a date. Pure functions of their arguments;
// the expressions let only the right characters through, so these check what
// an expression cannot say cheaply: digit counts and grouping (phones,
// cards), Luhn and known issuer prefixes (cards), the country's length and
// mod 97 (IBANs), inet_pton (IPv6), the fields of each password-hash format,
// and whether a secret's value looks random.

#include <cstddef>
#include <optional>
#include <string_view>

namespace pgscrub::anonymise::detection {

// Contact and financial kinds (detector_validators.cpp).
std::optional<std::size_t> check_email(std::string_view text, std::size_t start, std::size_t end);
std::optional<std::size_t> check_phone(std::string_view text, std::size_t start, std::size_t end);
std::optional<std::size_t> check_ip(std::string_view text, std::size_t start, std::size_t end);
std::optional<std::size_t> check_card(std::string_view text, std::size_t start, std::size_t end);
std::optional<std::size_t> check_iban(std::string_view text, std::size_t start, std::size_t end);
// Without a space (SW1A1AA) only when it is the whole text, blanks aside.
std::optional<std::size_t> check_uk_postcode(std::string_view text, std::size_t start, std::size_t end);

// Credentials (detector_credentials.cpp).
std::optional<std::size_t> check_password_hash(std::string_view text, std::size_t start, std::size_t end);
// `after_key`: the candidate is the value after a key name (api_key=…), which
// must look random; otherwise it is a JWT, a PEM block's header (the block
// runs on past `end`) or a key known by its prefix.
std::optional<std::size_t> check_secret(std::string_view text, std::size_t start, std::size_t end, bool after_key);

// The length of the password hash that `value` starts with when its fields
// are those of a known format (numbers in range, base64 of the right
// length), or nullopt. Shorter than `value` when a '.' after a fixed-length
// crypt hash ends a sentence.
std::optional<std::size_t> password_hash_length(std::string_view value);
// Whether a value after a key name looks like a secret: 20 or more base64
// characters, mostly in pieces unlike words, or 32 or more hex digits; not a
// number, UUID, short hex string, word, slug or path.
bool random_looking(std::string_view value);

// A secret holds at least this many token bytes ([A-Za-z0-9_+/=-]) in a row:
// every alternative of the secret expression does, and check_secret asks it
// of a PEM block's body. Such a run holds 4 aligned groups of 4 token bytes,
// which the detector's byte pre-check looks for.
inline constexpr std::size_t secret_run = 19;

} // namespace pgscrub::anonymise::detection
