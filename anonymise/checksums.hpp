#pragma once
// Check digits of card numbers and IBANs: Luhn (ISO/IEC 7812) and the IBAN's
// mod 97 (ISO 13616) with the registry's length for each country.
//
// Both ways round: the detector validates what it finds with them (a run of
// 16 digits is a card number only if its Luhn digit is right, which rules out
// nine in ten of them), and redact's fakes compute them, so that a fake card
// number or IBAN is well-formed and passes the same checks an application
// might make. Pure functions of their arguments.

#include <string>
#include <string_view>

namespace pgscrub::anonymise {

// True when `digits` (digits only, at least 2) ends with its Luhn check digit.
bool luhn_valid(std::string_view digits);
// The digit that makes payload + digit Luhn-valid. `payload` is digits only.
char luhn_check_digit(std::string_view payload);

// The length of an IBAN of the country (SWIFT IBAN registry), 0 when the
// country has no IBAN. "GB" → 22.
int iban_length(std::string_view country_code);
// True for a whole IBAN: spaces allowed anywhere, letters in either case,
// the length for its country and mod 97 == 1.
bool iban_valid(std::string_view iban);
// The two check digits for a country and BBAN (upper case, no spaces):
// "82" for GB / WEST12345698765432.
std::string iban_check_digits(std::string_view country, std::string_view bban);

} // namespace pgscrub::anonymise
