// Check digits (anonymise/checksums.hpp): Luhn for card numbers, mod 97 and
// the registry's lengths for IBANs, both ways round: what the detector
// accepts and what redact's fakes compute must agree.

#include "anonymise/checksums.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>

using namespace pgscrub::anonymise;

TEST_CASE("Luhn: valid numbers pass, a wrong or missing check digit fails", "[checksums]") {
    CHECK(luhn_valid("4111111111111111"));
    CHECK(luhn_valid("79927398713"));
    CHECK(luhn_valid("18")); // the shortest: 1 doubled is 2, 2 + 8 = 10
    CHECK_FALSE(luhn_valid("79927398710"));
    CHECK_FALSE(luhn_valid("4111111111111112"));
    CHECK_FALSE(luhn_valid("41x1"));              // digits only
    CHECK_FALSE(luhn_valid("4111 1111 1111 1111")); // no separators
    CHECK_FALSE(luhn_valid("0"));                 // at least 2 digits
    CHECK_FALSE(luhn_valid(""));
}

TEST_CASE("Luhn: the check digit makes any payload valid, and every one-digit change is caught", "[checksums]") {
    CHECK(luhn_check_digit("7992739871") == '3');
    CHECK(luhn_check_digit("411111111111111") == '1');
    for (const std::string payload : {"453201511283036", "55000055555555", "37144963539843", "601100099013942", "0"}) {
        INFO(payload);
        const std::string number = payload + luhn_check_digit(payload);
        CHECK(luhn_valid(number));
        for (std::size_t i = 0; i < number.size(); ++i) {
            for (char digit = '0'; digit <= '9'; ++digit) {
                if (digit == number[i]) continue;
                std::string changed = number;
                changed[i] = digit;
                CHECK_FALSE(luhn_valid(changed));
            }
        }
    }
}

TEST_CASE("IBAN lengths come from the registry, per country", "[checksums]") {
    CHECK(iban_length("GB") == 22);
    CHECK(iban_length("DE") == 22);
    CHECK(iban_length("NO") == 15);
    CHECK(iban_length("FR") == 27);
    CHECK(iban_length("RU") == 33);
    CHECK(iban_length("US") == 0); // no IBAN
    CHECK(iban_length("") == 0);
    CHECK(iban_length("GBR") == 0);
}

TEST_CASE("IBANs: the country's length and mod 97, spaces and case aside", "[checksums]") {
    CHECK(iban_valid("GB82 WEST 1234 5698 7654 32"));
    CHECK(iban_valid("GB33BUKB20201555555555"));
    CHECK(iban_valid("DE89370400440532013000"));
    CHECK(iban_valid("FR1420041010050500013M02606"));
    CHECK(iban_valid("NO9386011117947"));
    CHECK(iban_valid("MT84MALT011000012345MTLCAST001S"));
    CHECK(iban_valid("gb82west12345698765432"));
    CHECK_FALSE(iban_valid("GB82 WEST 1234 5698 7654 33")); // check digits
    CHECK_FALSE(iban_valid("GB28 WEST 1234 5698 7654 32")); // digits swapped
    CHECK_FALSE(iban_valid("GB82WEST1234569876543"));       // length for GB
    CHECK_FALSE(iban_valid("GB82WEST123456987654321"));
    CHECK_FALSE(iban_valid("XX82WEST12345698765432"));      // no such country
    CHECK_FALSE(iban_valid("GB82-WEST-1234-5698-7654-32")); // only spaces may group it
    CHECK_FALSE(iban_valid("82GBWEST12345698765432"));      // country first, then check digits
    CHECK_FALSE(iban_valid("GB"));
    CHECK_FALSE(iban_valid(""));
}

TEST_CASE("IBAN check digits: two digits that make the IBAN valid", "[checksums]") {
    CHECK(iban_check_digits("GB", "WEST12345698765432") == "82");
    CHECK(iban_check_digits("DE", "370400440532013000") == "89");
    CHECK(iban_check_digits("NO", "86011117947") == "93");
    CHECK(iban_check_digits("DE", "000000000000000001") == "09"); // a leading zero is kept
    for (const auto& [country, bban] : {std::pair<std::string, std::string>{"GB", "ZZZZ12345678901234"},
                                        {"GB", "ZZZZ00000000000000"},
                                        {"BE", "000000000001"},
                                        {"MT", "MALT011000012345MTLCAST001S"}}) {
        const std::string iban = country + iban_check_digits(country, bban) + bban;
        INFO(iban);
        CHECK(iban_valid(iban));
    }
}
