// The detector's validators (anonymise/detector_validators.hpp), called
// directly: given a candidate [start, end) of a text, the end of the value
// they accept, or nothing. detectors_test.cpp checks the same rules through
// Detector::find; here each rule is seen on its own, at its edges.

#include "anonymise/checksums.hpp"
#include "anonymise/detector_validators.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>

using namespace pgscrub::anonymise;
using namespace pgscrub::anonymise::detection;

namespace {

constexpr std::optional<std::size_t> rejected = std::nullopt;

// A candidate that is the whole text.
template <typename Check>
std::optional<std::size_t> whole(Check check, std::string_view text) {
    return check(text, 0, text.size());
}

} // namespace

TEST_CASE("e-mail: accepted unless glued to more address characters or a file name", "[detector_validators]") {
    CHECK(whole(check_email, "ann@example.org") == 15u);
    CHECK(check_email("mail ann@example.org, ok", 5, 20) == 20u);
    CHECK(check_email("ann@example.org-x", 0, 15) == rejected);
    CHECK(check_email("ann@example.org@x", 0, 15) == rejected);
    CHECK(whole(check_email, "logo@2x.png") == rejected);
    CHECK(whole(check_email, "sprite@3x.WEBP") == rejected);
}

TEST_CASE("phone: digit counts, grouping and what stands around", "[detector_validators]") {
    CHECK(whole(check_phone, "07911 123456") == 12u);
    CHECK(whole(check_phone, "+44 20 7946 0958") == 16u);
    CHECK(whole(check_phone, "+44 (0)20 7946 0958") == 19u); // the (0) is not dialled
    CHECK(whole(check_phone, "0791 123") == rejected);       // too few digits
    CHECK(whole(check_phone, "07911123456") == rejected);    // national numbers come grouped
    CHECK(check_phone("x07911 123456", 1, 13) == rejected);  // glued to a letter
    CHECK(check_phone("\xC2\xA3" "07911 123456", 2, 14) == rejected); // a price in pounds
    CHECK(whole(check_phone, "01.02.2024 123") == rejected);  // a date first
    // A longer candidate is cut back to the digits a phone number can have.
    CHECK(check_phone("07911 123456 12345678", 0, 21) == 12u);
}

TEST_CASE("IP: IPv4 and IPv6 within their boundaries", "[detector_validators]") {
    CHECK(whole(check_ip, "10.0.0.1") == 8u);
    CHECK(whole(check_ip, "10.0.0.0/8") == 10u);
    CHECK(whole(check_ip, "2001:db8::1") == 11u);
    CHECK(check_ip("10.0.0.1.5", 0, 8) == rejected);   // a longer dotted number
    CHECK(check_ip("a10.0.0.1", 1, 9) == rejected);    // glued to a letter
    CHECK(whole(check_ip, "::1") == rejected);         // one group: not worth reporting
    CHECK(whole(check_ip, "12:30:45") == rejected);    // a time, not an address
    CHECK(whole(check_ip, "2001:db8::g1") == rejected); // inet_pton has the last word
}

TEST_CASE("card: issuer prefix, Luhn, one kind of grouping", "[detector_validators]") {
    CHECK(whole(check_card, "4111111111111111") == 16u);
    CHECK(whole(check_card, "4111 1111 1111 1111") == 19u);
    CHECK(whole(check_card, "3714 496353 98431") == 17u);          // Amex 4-6-5
    CHECK(whole(check_card, "4111 1111 1111 1111 2024") == 19u);   // the year after it is not part of it
    CHECK(whole(check_card, "4111111111111112") == rejected);      // Luhn
    const std::string unknown_issuer = "123456789012345" + std::string(1, luhn_check_digit("123456789012345"));
    CHECK(whole(check_card, unknown_issuer) == rejected);
    CHECK(whole(check_card, "4111 1111-1111 1111") == rejected);   // mixed separators
    CHECK(check_card("ID-4111111111111111", 3, 19) == rejected);   // part of an identifier
    CHECK(check_card("4111111111111111.5", 0, 16) == rejected);    // part of a decimal number
}

TEST_CASE("IBAN: the country's length, then mod 97", "[detector_validators]") {
    CHECK(whole(check_iban, "GB82 WEST 1234 5698 7654 32") == 27u);
    CHECK(check_iban("GB82 WEST 1234 5698 7654 32 BIC", 0, 31) == 27u); // stops at the country's length
    CHECK(whole(check_iban, "GB82 WEST 1234 5698 7654 33") == rejected);
    CHECK(whole(check_iban, "XX82WEST12345698765432") == rejected);
    CHECK(whole(check_iban, "GB33BUKB202015555555551") == rejected); // one character too many
    CHECK(check_iban("xGB33BUKB20201555555555", 1, 23) == rejected);
}

TEST_CASE("UK postcode: with a space anywhere, without one only as the whole value", "[detector_validators]") {
    CHECK(check_uk_postcode("to SW1A 1AA, London", 3, 11) == 11u);
    CHECK(whole(check_uk_postcode, "SW1A1AA") == 7u);
    CHECK(check_uk_postcode("  SW1A1AA\n", 2, 9) == 9u);
    CHECK(check_uk_postcode("ref SW1A1AA", 4, 11) == rejected);
    CHECK(check_uk_postcode("XSW1A 1AA", 1, 9) == rejected);
}

TEST_CASE("password hashes: each format's fields are counted and checked", "[detector_validators]") {
    const std::string pbkdf2 =
        "pbkdf2_sha256$870000$Wq3v0cXbXv9yQpYb1kLr2e$BpjfKMPL3rfyIa6Gq/svLLx0GDDxreEZT9i9eB8fza4=";
    CHECK(password_hash_length(pbkdf2) == pbkdf2.size());
    CHECK(password_hash_length("pbkdf2_sha256$0$Wq3v0cXbXv9yQpYb1kLr2e$BpjfKMPL3rfyIa6Gq/svLLx0GDDxreEZT9i9eB8fza4=") ==
          rejected); // no iterations
    CHECK(password_hash_length("pbkdf2_sha256$870000$Wq3v0cXbXv9yQpYb1kLr2e$Bpjf") == rejected); // hash too short

    const std::string bcrypt = "$2b$12$R9h/cIPz0gi.URNNX3kh2OCwFxHysKnmlI2Ep9PUg4sxFsAo.MRiy";
    CHECK(password_hash_length(bcrypt) == bcrypt.size());
    CHECK(password_hash_length("$2b$03$R9h/cIPz0gi.URNNX3kh2OCwFxHysKnmlI2Ep9PUg4sxFsAo.MRiy") == rejected); // cost
    CHECK(password_hash_length(bcrypt.substr(0, bcrypt.size() - 1)) == rejected); // 52 characters

    const std::string argon2 = "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";
    CHECK(password_hash_length(argon2) == argon2.size());
    std::string no_passes = argon2;
    no_passes.replace(no_passes.find("t=3"), 3, "t=0");
    CHECK(password_hash_length(no_passes) == rejected);

    CHECK(password_hash_length("md5$QbH3Z1s9$b6dd9724ef25c7d271e03ccfb11805c7") == 45u);
    CHECK(password_hash_length("md5$QbH3Z1s9$b6dd9724ef25c7d271e03ccfb11805c") == rejected); // 31 hex digits
    const std::string scrypt_n_1000 =
        "scrypt$Dm4kP2xW9qL0sN7v$1000$8$1$YjfRMqF+il3OSdCuC3EMAIdIsJU2KbiwcRtX/TB2B2b5P9fdcCovMXQheJzMzlw28D==";
    CHECK(password_hash_length(scrypt_n_1000) == rejected); // n is not a power of two

    // A full stop after a fixed-length crypt hash ends the sentence.
    const std::string sha512 =
        "$6$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj.";
    CHECK(password_hash_length(sha512 + ".") == sha512.size());
    CHECK(password_hash_length(sha512.substr(0, sha512.size() - 1)) == rejected); // 85 characters
}

TEST_CASE("password hashes: not glued to a word or to more hash characters", "[detector_validators]") {
    const std::string bcrypt = "$2b$12$R9h/cIPz0gi.URNNX3kh2OCwFxHysKnmlI2Ep9PUg4sxFsAo.MRiy";
    CHECK(check_password_hash("hash: " + bcrypt + ".", 6, 6 + bcrypt.size()) == 6 + bcrypt.size());
    const std::string django = "md5$QbH3Z1s9$b6dd9724ef25c7d271e03ccfb11805c7";
    CHECK(check_password_hash("x" + django, 1, 1 + django.size()) == rejected);
    CHECK(check_password_hash(django + "$x", 0, django.size()) == rejected);
}

TEST_CASE("secret values after a key name must look random", "[detector_validators]") {
    CHECK(random_looking("xzJLJenuHjDUrhhjeyxG4jDPMRCxGgcjBw56EcUn"));
    CHECK(random_looking("d41d8cd98f00b204e9800998ecf8427e"));            // 32 hex digits
    CHECK_FALSE(random_looking("d41d8cd98f00b204e9800998ecf8427"));       // 31
    CHECK_FALSE(random_looking("getUserSessionTokenForTheCurrentUser")); // words
    CHECK_FALSE(random_looking("my-project/assets/images/header-logo")); // a path
    CHECK_FALSE(random_looking("12345678901234567890123"));              // a number
    CHECK_FALSE(random_looking("123e4567-e89b-12d3-a456-426614174000")); // a UUID
    CHECK_FALSE(random_looking("x7Kq2Lm9"));                            // too short

    const std::string text = "api_key=xzJLJenuHjDUrhhjeyxG4jDPMRCxGgcjBw56EcUn";
    CHECK(check_secret(text, 8, text.size(), true) == text.size());
    const std::string words = "password=correcthorsebatterystaple";
    CHECK(check_secret(words, 9, words.size(), true) == rejected);
}

TEST_CASE("secrets by shape: JWTs, prefixed keys and PEM blocks", "[detector_validators]") {
    const std::string jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9."
                            "eyJzdWIiOiI0MiIsIm5hbWUiOiJBbm4gQmFrZXIiLCJpYXQiOjE3MTYyMzkwMjJ9."
                            "JveSn7OafEGAghX9-fee025FogU0aSGQT04qUW8K8tA";
    // The expression takes the full stop after it; the token ends before it.
    const std::string sentence = "token " + jwt + ". Then";
    CHECK(check_secret(sentence, 6, 6 + jwt.size() + 1, false) == 6 + jwt.size());
    // A header that is no JSON object naming "alg".
    const std::string no_alg = "eyJmb28iOiJiYXIiLCJiYXoiOjF9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl";
    CHECK(whole([](auto t, auto s, auto e) { return check_secret(t, s, e, false); }, no_alg) == rejected);

    CHECK(check_secret("(AKIAUVW53EFR4EDT2SYW)", 1, 21, false) == 21u);
    CHECK(check_secret("XAKIAUVW53EFR4EDT2SYW", 1, 21, false) == rejected);

    const std::string header = "-----BEGIN RSA PRIVATE KEY-----";
    const std::string pem = header + "\nMIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aozN3tihPmljnnudb9G3HECdnH\n"
                                     "-----END RSA PRIVATE KEY-----";
    CHECK(check_secret(pem + "\nrest", 0, header.size(), false) == pem.size()); // the block runs on to its footer
    const std::string short_body = header + "\nabc def\n-----END RSA PRIVATE KEY-----";
    CHECK(check_secret(short_body, 0, header.size(), false) == rejected); // no run of secret_run characters
}
