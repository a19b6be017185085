#include "anonymise/checksums.hpp"
#include "anonymise/detectors.hpp"
#include "anonymise/synthetic.hpp"
#include "common/json_text.hpp"
#include "anonymise/unicode_text.hpp"
#include "anonymise/value_pieces.hpp"
#include "common/interrupts.hpp"
#include "common/json_text.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>
#include <vector>

using namespace pgscrub::anonymise;

namespace {

const Detector& detector() { return Detector::shared(); }

// The matched texts of one kind.
std::vector<std::string> found(std::string_view text, PiiKind kind) {
    std::vector<std::string> out;
    for (const auto& m : detector().find(text, KindSet{kind})) out.emplace_back(m.in(text));
    return out;
}

// Every match, as "kind:text".
std::vector<std::string> found_all(std::string_view text) {
    std::vector<std::string> out;
    for (const auto& m : detector().find(text)) out.push_back(std::string(pii_kind_name(m.kind)) + ":" + std::string(m.in(text)));
    return out;
}

using Strings = std::vector<std::string>;

// A Luhn-valid number from a payload.
std::string luhn(std::string payload) { return payload + luhn_check_digit(payload); }

bool synthetic(std::string_view text) {
    const auto matches = detector().find(text);
    return matches.size() == 1 && is_synthetic(matches[0], text);
}

} // namespace

TEST_CASE("detector kinds have names", "[detectors]") {
    REQUIRE(pii_kind_names().size() == pii_kind_count);
    for (std::size_t i = 0; i < pii_kind_count; ++i) {
        const auto kind = static_cast<PiiKind>(i);
        CHECK(pii_kind_from_name(pii_kind_name(kind)) == kind);
    }
    CHECK_FALSE(pii_kind_from_name("emails"));
    CHECK(pii_kind_from_name("password_hash") == PiiKind::password_hash);
    CHECK(pii_kind_from_name("secret") == PiiKind::secret);
    CHECK(KindSet::all().contains(PiiKind::uk_postcode));
    CHECK(KindSet::all().contains(PiiKind::password_hash));
    CHECK(KindSet::all().contains(PiiKind::secret));
    CHECK_FALSE(KindSet{PiiKind::email}.contains(PiiKind::phone));
}

TEST_CASE("e-mail addresses, Unicode and IDN included", "[detectors]") {
    CHECK(found("Contact ann@x.org, please.", PiiKind::email) == Strings{"ann@x.org"});
    CHECK(found("<Ann.Lee+news@mail.Example-Corp.co.uk>", PiiKind::email) == Strings{"Ann.Lee+news@mail.Example-Corp.co.uk"});
    CHECK(found("josé.garcía@correo.es", PiiKind::email) == Strings{"josé.garcía@correo.es"});
    CHECK(found("Пишите: дмитрий@пример.рф!", PiiKind::email) == Strings{"дмитрий@пример.рф"});
    CHECK(found("用户@例子.广告", PiiKind::email) == Strings{"用户@例子.广告"});
    CHECK(found("ann@bücher.de and bob@xn--bcher-kva.de", PiiKind::email) == Strings{"ann@bücher.de", "bob@xn--bcher-kva.de"});
    CHECK(found("it's o'brien@acme.ie", PiiKind::email) == Strings{"o'brien@acme.ie"});
    CHECK(found("'ann@x.org'", PiiKind::email) == Strings{"ann@x.org"});
    CHECK(found("mailto:ann@x.org?subject=hi", PiiKind::email) == Strings{"ann@x.org"});
    CHECK(found("a@b.org;c@d.org", PiiKind::email) == Strings{"a@b.org", "c@d.org"});
    CHECK(found("end of sentence ann@x.org.", PiiKind::email) == Strings{"ann@x.org"});
    // Not addresses.
    CHECK(found("@handle and a@b and user@localhost", PiiKind::email).empty());
    CHECK(found("logo@2x.png, sprite@3x.webp, icon@2x.svg", PiiKind::email).empty());
    CHECK(found("ann@x.org2", PiiKind::email).empty());
}

TEST_CASE("JSON \\u escapes are decoded before detection", "[detectors]") {
    const std::string raw = R"({"note": "write to ann\u0040x.org"})";
    CHECK(found(raw, PiiKind::email).empty()); // undecoded: no '@'
    const auto document = pgscrub::common::json::parse(raw);
    REQUIRE(document.items.size() == 1);
    CHECK(found(document.items[0].text, PiiKind::email) == Strings{"ann@x.org"});
}

TEST_CASE("phone numbers in international and national forms", "[detectors]") {
    CHECK(found("Call +44 20 7946 0958 now", PiiKind::phone) == Strings{"+44 20 7946 0958"});
    CHECK(found("+44 (0)20 7946 0958", PiiKind::phone) == Strings{"+44 (0)20 7946 0958"});
    CHECK(found("+447911123456", PiiKind::phone) == Strings{"+447911123456"});
    CHECK(found("mobile: 07911 123456.", PiiKind::phone) == Strings{"07911 123456"});
    CHECK(found("(020) 7946 0958", PiiKind::phone) == Strings{"(020) 7946 0958"});
    CHECK(found("0161 496 0000", PiiKind::phone) == Strings{"0161 496 0000"});
    CHECK(found("tel=0044 20 7946 0958", PiiKind::phone) == Strings{"0044 20 7946 0958"});
    CHECK(found("US (555) 123-4567 or 555-123-4567 or 555.123.4567", PiiKind::phone) ==
          Strings{"(555) 123-4567", "555-123-4567", "555.123.4567"});
    CHECK(found("1-800-555-0199", PiiKind::phone) == Strings{"1-800-555-0199"});
    CHECK(found("+1 (202) 555-0143", PiiKind::phone) == Strings{"+1 (202) 555-0143"});
    CHECK(found("Paris 01 23 45 67 89", PiiKind::phone) == Strings{"01 23 45 67 89"});
    CHECK(found("+49 30 1234567", PiiKind::phone) == Strings{"+49 30 1234567"});
    // A trailing number that does not belong to the phone is left out.
    CHECK(found("+44 7911 123456 2024", PiiKind::phone) == Strings{"+44 7911 123456"});
}

TEST_CASE("dates, times, versions, ids and prices are not phone numbers", "[detectors]") {
    const char* negatives[] = {
        "2024-01-02", "02/03/2024", "02-03-2024", "02.03.2024", "on 02-03-2024 10:30", "12:30:45",
        "2024-01-02T03:04:05.123456+01:00", "2024-01-02 03:04:05+00", "2024-01-02 03:04:05.123456+05:30",
        "version 1.2.3", "10.0.19041.1234", "v2.0.1-rc.1", "123e4567-e89b-12d3-a456-426614174000",
        "order ORD-2024-000123", "id 12345678901", "ts 1700000000000", "£1,234.56", "$1 234 567",
        "1,234,567,890", "d41d8cd98f00b204e9800998ecf8427e", "ISBN 978-3-16-148410-0", "ISBN 0-306-40615-2",
        "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", "pi 3.14159265358979",
        "0123456789", "page 0123-0456", "+0100", "UTC+05:30", "1e+10", "3+4=7", "price 99.99 (incl. 20% VAT)",
        "192.168.100.200", "room 101, floor 12, building 7",
    };
    for (const char* text : negatives) {
        INFO(text);
        CHECK(found(text, PiiKind::phone).empty());
        CHECK(found(text, PiiKind::card).empty());
    }
}

TEST_CASE("IPv4 and IPv6 addresses", "[detectors]") {
    CHECK(found("from 10.0.0.1 and 192.168.1.254:8080", PiiKind::ip) == Strings{"10.0.0.1", "192.168.1.254"});
    CHECK(found("net 10.0.0.0/8.", PiiKind::ip) == Strings{"10.0.0.0/8"});
    CHECK(found("2001:db8::1 fe80::1ff:fe23:4567:890a", PiiKind::ip) == Strings{"2001:db8::1", "fe80::1ff:fe23:4567:890a"});
    CHECK(found("[2a00:1450:4009:81f::200e]:443", PiiKind::ip) == Strings{"2a00:1450:4009:81f::200e"});
    CHECK(found("1080:0:0:0:8:800:200c:417a", PiiKind::ip) == Strings{"1080:0:0:0:8:800:200c:417a"});
    CHECK(found("::ffff:192.0.2.1", PiiKind::ip) == Strings{"::ffff:192.0.2.1"});
    CHECK(found("2001:db8::/32", PiiKind::ip) == Strings{"2001:db8::/32"});
    const char* negatives[] = {
        "256.1.1.1", "1.2.3", "999.1.1.1", "1.2.3.4.5", "10.0.19041.1234", "v1.2.3.4", "12:30:45",
        "std::vector<int>", "a::b", "00:1a:2b:3c:4d:5e", "dead::beef", "::1 and ::", "2024-01-02T03:04:05Z",
    };
    for (const char* text : negatives) {
        INFO(text);
        CHECK(found(text, PiiKind::ip).empty());
    }
}

TEST_CASE("card numbers: known issuer, Luhn-valid, grouped as printed", "[detectors]") {
    // Luhn itself: checksums_test.cpp.
    const std::string visa = luhn("453201511283036"); // 16 digits
    CHECK(found("card " + visa + ".", PiiKind::card) == Strings{visa});
    const std::string spaced = visa.substr(0, 4) + " " + visa.substr(4, 4) + " " + visa.substr(8, 4) + " " + visa.substr(12);
    CHECK(found("card: " + spaced + " exp 12/27", PiiKind::card) == Strings{spaced});
    const std::string dashed = visa.substr(0, 4) + "-" + visa.substr(4, 4) + "-" + visa.substr(8, 4) + "-" + visa.substr(12);
    CHECK(found(dashed, PiiKind::card) == Strings{dashed});
    CHECK(found("amex 3714 496353 98431", PiiKind::card) == Strings{"3714 496353 98431"});
    CHECK(found("4111 1111 1111 1111 2024", PiiKind::card) == Strings{"4111 1111 1111 1111"});

    // Luhn-invalid, unknown prefixes, mixed separators, glued to other digits.
    std::string wrong = visa;
    wrong.back() = wrong.back() == '9' ? '0' : static_cast<char>(wrong.back() + 1);
    CHECK(found(wrong, PiiKind::card).empty());
    CHECK(found(luhn("123456789012345"), PiiKind::card).empty());   // no issuer starts with 1
    CHECK(found(luhn("170000000000000"), PiiKind::card).empty());   // a 16-digit timestamp
    CHECK(found(luhn("202401020304050"), PiiKind::card).empty());   // 2024... is no issuer
    CHECK(found(visa.substr(0, 4) + " " + visa.substr(4, 4) + "-" + visa.substr(8), PiiKind::card).empty());
    CHECK(found("x" + visa, PiiKind::card).empty());
    CHECK(found(visa + "7", PiiKind::card).empty());
    CHECK(found("ID-" + visa, PiiKind::card).empty());
}

TEST_CASE("IBANs: country length and mod 97", "[detectors]") {
    // The arithmetic itself: checksums_test.cpp.
    CHECK(found("pay to GB33BUKB20201555555555.", PiiKind::iban) == Strings{"GB33BUKB20201555555555"});
    CHECK(found("IBAN: DE89 3704 0044 0532 0130 00 BIC COBADEFFXXX", PiiKind::iban) ==
          Strings{"DE89 3704 0044 0532 0130 00"});
    CHECK(found("GB82 WEST 1234 5698 7654 33", PiiKind::iban).empty());
    CHECK(found("GB33BUKB202015555555551", PiiKind::iban).empty());
    CHECK(found("ISO8601 TIMESTAMP ABCD EFGH", PiiKind::iban).empty());
}

TEST_CASE("URLs with user info: the userinfo is the match", "[detectors]") {
    CHECK(found("DATABASE_URL=postgres://admin:s3cr3t@db.internal:5432/prod", PiiKind::url_userinfo) ==
          Strings{"admin:s3cr3t"});
    CHECK(found("https://token123@github.com/org/repo", PiiKind::url_userinfo) == Strings{"token123"});
    CHECK(found("redis://:p%40ss@cache:6379/0", PiiKind::url_userinfo) == Strings{":p%40ss"});
    CHECK(found("ftp://ann:p@ss@files.example.net/x", PiiKind::url_userinfo) == Strings{"ann:p@ss"});
    CHECK(found("https://example.com/path@foo and mailto:ann@x.org", PiiKind::url_userinfo).empty());
    // The e-mail-like part of the userinfo is not reported twice.
    CHECK(found_all("smtp://ann%40x.org:pw@mail.x.org") == Strings{"url_userinfo:ann%40x.org:pw"});
    CHECK(found_all("https://ann:pw@x.org/") == Strings{"url_userinfo:ann:pw"});
}

TEST_CASE("UK postcodes", "[detectors]") {
    CHECK(found("London SW1A 1AA, Manchester M1 1AE, B33 8TH, CR2 6XH, DN55 1PT and GIR 0AA", PiiKind::uk_postcode) ==
          Strings{"SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "GIR 0AA"});
    CHECK(found("sw1a 1aa", PiiKind::uk_postcode) == Strings{"sw1a 1aa"});
    CHECK(found("  EC1A1BB ", PiiKind::uk_postcode) == Strings{"EC1A1BB"}); // a whole value without its space
    CHECK(found("ref EC1A1BB in text", PiiKind::uk_postcode).empty());
    CHECK(found("AB12 3CD", PiiKind::uk_postcode).empty()); // C is never in the inward code
    CHECK(found("ISO 9001 and A4 paper and X1Y2 3ZZZ", PiiKind::uk_postcode).empty());
}

TEST_CASE("mixed text: all kinds, no overlaps, in order", "[detectors]") {
    const std::string text = "Ann (ann@x.org, +44 7911 123456) paid with 5500 0055 5555 5559 from 81.2.69.160; "
                             "IBAN GB33BUKB20201555555555, post to SW1A 1AA; db postgres://u:pw@h/d";
    CHECK(found_all(text) == Strings{"email:ann@x.org", "phone:+44 7911 123456", "card:5500 0055 5555 5559",
                                     "ip:81.2.69.160", "iban:GB33BUKB20201555555555", "uk_postcode:SW1A 1AA",
                                     "url_userinfo:u:pw"});
    const auto matches = detector().find(text);
    for (std::size_t i = 1; i < matches.size(); ++i)
        CHECK(matches[i - 1].offset + matches[i - 1].length <= matches[i].offset);
    CHECK(detector().find(text, KindSet{}).empty());
    CHECK(detector().candidates("no digits or at signs here").empty());
    CHECK(detector().candidates(text).contains(PiiKind::iban));
}

TEST_CASE("ordinary prose and machine values give no findings", "[detectors]") {
    const char* clean[] = {
        "The quick brown fox jumps over the lazy dog.",
        "Invoice 2024-000123 issued 2024-01-02 at 14:05; total €1,234.56 (VAT 20%).",
        "Build 10.0.19041.1234 (commit 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b) released 02.03.2024.",
        "uuid=123e4567-e89b-12d3-a456-426614174000 size=1048576 mtime=1700000000",
        "md5 d41d8cd98f00b204e9800998ecf8427e sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
        "Images: hero@2x.png, hero@3x.png; see std::map<int, int> and Foo::bar()",
        "{\"count\": 12345678901234567890, \"ratio\": 0.125, \"when\": \"2024-01-02T03:04:05.123456+00:00\"}",
        "Meeting 10:30-11:45, room 4.12, 3 x 250ml, order #A1B2C3D4",
    };
    for (const char* text : clean) {
        INFO(text);
        CHECK(found_all(text).empty());
    }
}

TEST_CASE("synthetic values are recognised", "[detectors]") {
    CHECK(synthetic("ann@example.com"));
    CHECK(synthetic("user-abc@sub.example.org"));
    CHECK(synthetic("ann@EXAMPLE.NET"));
    CHECK(synthetic("ann@shop.test"));
    CHECK(synthetic("ann@foo.invalid"));
    CHECK(synthetic("ann@corp.example"));
    CHECK_FALSE(synthetic("ann@example.co.uk"));
    CHECK_FALSE(synthetic("ann@myexample.com"));

    CHECK(synthetic("07700 900123"));
    CHECK(synthetic("+44 7700 900123"));
    CHECK(synthetic("+447700900999"));
    CHECK(synthetic("0044 7700 900123"));
    CHECK(synthetic("020 7946 0958"));
    CHECK(synthetic("0161 496 0123"));
    CHECK(synthetic("(555) 555-0123"));
    CHECK(synthetic("202-555-0199"));
    CHECK(synthetic("+1 202-555-0100"));
    CHECK_FALSE(synthetic("07911 123456"));
    CHECK_FALSE(synthetic("202-555-0200"));
    CHECK_FALSE(synthetic("(555) 123-4567"));

    CHECK(synthetic("192.0.2.44"));
    CHECK(synthetic("198.51.100.0/24"));
    CHECK(synthetic("203.0.113.255"));
    CHECK(synthetic("2001:db8:85a3::8a2e:370:7334"));
    CHECK(synthetic("::ffff:203.0.113.9"));
    CHECK_FALSE(synthetic("192.0.3.1"));
    CHECK_FALSE(synthetic("2001:db9::1"));

    CHECK(synthetic("4111 1111 1111 1111"));
    CHECK(synthetic("4242424242424242"));
    CHECK(synthetic(luhn("411111987654321")));
    CHECK_FALSE(synthetic(luhn("453201511283036")));

    CHECK(synthetic("GB82 WEST 1234 5698 7654 32"));
    CHECK(synthetic("GB" + iban_check_digits("GB", "ZZZZ12345678901234") + "ZZZZ12345678901234"));
    CHECK_FALSE(synthetic("GB33BUKB20201555555555"));

    CHECK(synthetic("postgres://user-1a2b3c4d:redacted@db/x"));
    CHECK(synthetic("https://ann:pw@example.com/"));
    CHECK_FALSE(synthetic("postgres://admin:s3cr3t@db/x"));

    CHECK(synthetic("ZZ99 3AB"));
    CHECK_FALSE(synthetic("SW1A 1AA"));
}

// ---- password hashes ---------------------------------------------------------------
// The examples are real: Python's hashlib.pbkdf2_hmac / hashlib.scrypt in
// Django's layout, and libxcrypt's crypt() for bcrypt and the unix formats.

TEST_CASE("password hashes: Django's formats in auth_user.password", "[detectors][password_hash]") {
    const char* hashes[] = {
        "pbkdf2_sha256$870000$Wq3v0cXbXv9yQpYb1kLr2e$BpjfKMPL3rfyIa6Gq/svLLx0GDDxreEZT9i9eB8fza4=",
        "pbkdf2_sha1$260000$eH9T5rW2qZ1m$zaU936RdqCjkXI/T8xzUBChO8HQ=",
        "argon2$argon2id$v=19$m=102400,t=2,p=8$c2FsdHNhbHRzYWx0$Y2hsb2VoYXNoZWRwYXNzd29yZA",
        "argon2$argon2i$m=512,t=2,p=2$MlB5d3hpQ3NFdmRw$Yg5jh7fMPuFHT3lQq3zEFUNlP4iV1Y4r5Vc5Fw8lq0U",
        "bcrypt_sha256$$2b$12$R9h/cIPz0gi.URNNX3kh2OCwFxHysKnmlI2Ep9PUg4sxFsAo.MRiy",
        "bcrypt$$2b$12$D5CR2ZL.Ae3QCMKr.TFwKOdJ4UziCO7iOnn6yYqmHu0s0CrNMAKMW",
        "scrypt$Dm4kP2xW9qL0sN7v$16384$8$1$YjfRMqF+il3OSdCuC3EMAIdIsJU2KbiwcRtX/TB2B2b5P9fdcCovMXQheJzMzlw28DJLlwud3l9AxVMY+2Rt7w==",
        "md5$QbH3Z1s9$b6dd9724ef25c7d271e03ccfb11805c7",
        "sha1$QbH3Z1s9$c15e09b39f0bab0d6a335a998ee878f4a550102a",
        "sha1$$c15e09b39f0bab0d6a335a998ee878f4a550102a", // unsalted_sha1
        "crypt$$ab1Iy3vXbR4Ko",
    };
    for (const char* hash : hashes) {
        INFO(hash);
        CHECK(found(hash, PiiKind::password_hash) == Strings{hash});
        CHECK(found_all(hash) == Strings{"password_hash:" + std::string(hash)}); // nothing else inside
    }
    // In a COPY row, in JSON, after a key name: the hash only.
    const std::string pbkdf2 = hashes[0];
    CHECK(found("1\t" + pbkdf2 + "\t2025-06-01 07:58:12+00\ttrue", PiiKind::password_hash) == Strings{pbkdf2});
    CHECK(found_all(R"({"username": "ann", "password": ")" + pbkdf2 + R"("})") == Strings{"password_hash:" + pbkdf2});
    CHECK(found_all("password=" + pbkdf2 + "; next") == Strings{"password_hash:" + pbkdf2});
}

TEST_CASE("password hashes: bcrypt, argon2 and unix crypt without Django's prefix", "[detectors][password_hash]") {
    const char* hashes[] = {
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OCwFxHysKnmlI2Ep9PUg4sxFsAo.MRiy",
        "$2a$10$AbCdEfGhIjKlMnOpQrStUuPFitWOzGfxkabKFDPL8bPGziOjClRf2",
        "$2y$10$AbCdEfGhIjKlMnOpQrStUuPFitWOzGfxkabKFDPL8bPGziOjClRf2",
        "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$RdescudvJCsgt3ub+b+dWRWJTmaaJObG",
        "$6$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj.",
        "$5$rounds=10000$saltsalt$aJ7VvlzxHN9pQ/TjPQZXT1ZkdsgW7yN9NkkGFE6xjd6",
        "$1$saltsalt$ZliGyAN3DciDHEkDboonh/",
        "$y$j9T$F5Jx5fExrKuPp53xLKQ..1$PmNgGTLMFjJn.URBv11CpTEm5RwlKtPjRtztKe6.b33",
    };
    for (const char* hash : hashes) {
        INFO(hash);
        CHECK(found("hash: " + std::string(hash) + ".", PiiKind::password_hash) == Strings{hash});
    }
    // An /etc/shadow line: the hash between the colons.
    CHECK(found("ann:$6$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj.:19700:0:99999:7:::",
                PiiKind::password_hash) == Strings{hashes[4]});
}

TEST_CASE("password hashes win over the kinds that look like their parts", "[detectors][password_hash]") {
    // The salt of this MD5-crypt hash is an IPv4 address.
    const std::string hash = "$1$10.0.0.1$X0saorEK0Wtl32YvvBMuw/";
    CHECK(found("x " + hash, PiiKind::ip) == Strings{"10.0.0.1"});
    CHECK(found_all("x " + hash) == Strings{"password_hash:" + hash});
}

TEST_CASE("malformed hashes, prices, shell text and Django's unusable password are not password hashes",
          "[detectors][password_hash]") {
    const char* negatives[] = {
        // Django's unusable-password marker: "!" and 40 characters, or "!" alone.
        "!GZ2gWcW4EdxmxUbd3OBnVvw3VGLrBP7FhHxfkJ6N", "!",
        // Wrong fields: iterations not a number or 0, a hash too short, bcrypt cost out of range or
        // 52 characters, a hex digest of the wrong length, an SHA-512 crypt hash of 85 characters.
        "pbkdf2_sha256$many$Wq3v0cXbXv9yQpYb1kLr2e$BpjfKMPL3rfyIa6Gq/svLLx0GDDxreEZT9i9eB8fza4=",
        "pbkdf2_sha256$0$Wq3v0cXbXv9yQpYb1kLr2e$BpjfKMPL3rfyIa6Gq/svLLx0GDDxreEZT9i9eB8fza4=",
        "pbkdf2_sha256$870000$Wq3v0cXbXv9yQpYb1kLr2e$Bpjf",
        "$2b$99$R9h/cIPz0gi.URNNX3kh2OCwFxHysKnmlI2Ep9PUg4sxFsAo.MRiy",
        "$2b$03$R9h/cIPz0gi.URNNX3kh2OCwFxHysKnmlI2Ep9PUg4sxFsAo.MRiy",
        "$2b$12$R9h/cIPz0gi.URNNX3kh2OCwFxHysKnmlI2Ep9PUg4sxFsAo.MRi",
        "md5$QbH3Z1s9$b6dd9724ef25c7d271e03ccfb11805c",
        "sha1$QbH3Z1s9$c15e09b39f0bab0d6a335a998ee878f4a550102a0",
        "$6$saltsalt$8iYtNHxjWRl.NF6oNZ5tF.iKFlQREaXBLlSmZKP6dy9l5z3vsooWNW0/GZ6Nej73/TFug6pIPSqbJoCT6dfnj",
        "scrypt$Dm4kP2xW9qL0sN7v$1000$8$1$YjfRMqF+il3OSdCuC3EMAIdIsJU2KbiwcRtX/TB2B2b5P9fdcCovMXQheJzMzlw28D==",
        // Glued to a word.
        "xpbkdf2_sha256$870000$Wq3v0cXbXv9yQpYb1kLr2e$BpjfKMPL3rfyIa6Gq/svLLx0GDDxreEZT9i9eB8fza4=",
        // Prices and shell text.
        "Tickets $12.50, $3.99 for children, US$1,234 in total ($5 off).",
        "export PATH=$HOME/bin:$PATH; echo \"$USER$HOSTNAME\"; awk '{print $1$2}'",
        "s/^\\$6\\$//; the regex \\$2[aby]\\$ matches bcrypt",
        "md5 d41d8cd98f00b204e9800998ecf8427e sha1 da39a3ee5e6b4b0d3255bfef95601890afd80709",
    };
    for (const char* text : negatives) {
        INFO(text);
        CHECK(found(text, PiiKind::password_hash).empty());
    }
}

// ---- secrets ------------------------------------------------------------------------

namespace {

// An HS256 JWT signed with "staging-secret": {"alg":"HS256","typ":"JWT"}.{"sub":"42","name":"Ann Baker","iat":1716239022}
const std::string jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiIsIm5hbWUiOiJBbm4gQmFrZXIiLCJpYXQiOjE3MTYy"
                        "MzkwMjJ9.JveSn7OafEGAghX9-fee025FogU0aSGQT04qUW8K8tA";

} // namespace

TEST_CASE("secrets: JWTs anywhere, the header decoding to a JSON object with alg", "[detectors][secret]") {
    CHECK(found(jwt, PiiKind::secret) == Strings{jwt});
    CHECK(found("Authorization: Bearer " + jwt, PiiKind::secret) == Strings{jwt});
    CHECK(found("the token " + jwt + ". Then", PiiKind::secret) == Strings{jwt}); // not the full stop
    CHECK(found("https://app.example.org/callback#id_token=" + jwt + "&state=af0ifjsldkj", PiiKind::secret) ==
          Strings{jwt});
    CHECK(found("GET /api?jwt=" + jwt + " HTTP/1.1", PiiKind::secret) == Strings{jwt});
    CHECK(found_all(R"({"access": ")" + jwt + R"("})") == Strings{"secret:" + jwt});
    // Unsigned (alg none): the signature is empty.
    const std::string unsigned_jwt = "eyJhbGciOiJub25lIn0.eyJzdWIiOiI0MiJ9.";
    CHECK(found("jwt: " + unsigned_jwt + " ok", PiiKind::secret) == Strings{unsigned_jwt});

    // Not JWTs: a header without "alg" ({"foo":"bar","baz":1}), two parts, a
    // Django signed session (payload:timestamp:signature, no key name).
    CHECK(found("eyJmb28iOiJiYXIiLCJiYXoiOjF9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJl", PiiKind::secret).empty());
    CHECK(found("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI0MiJ9", PiiKind::secret).empty());
    CHECK(found("eyJfYXV0aF91c2VyX2lkIjoiMSJ9:1u3xYz:Qm9vbGVhbkV4cHJlc3Npb25fU2lnbmF0dXJlXzEyMw", PiiKind::secret)
              .empty());
}

TEST_CASE("secrets: keys recognised by their prefix", "[detectors][secret]") {
    const char* keys[] = {
        "AKIAUVW53EFR4EDT2SYW",                                     // AWS access key id
        "ASIAB3WKH5DNSIPZZ5FK",                                     // AWS temporary key id
        "ghp_U8JZpDE0iGXlD6gNCFbaEPFjbD0kH8Oool8D",                 // GitHub personal access token
        "gho_U8JZpDE0iGXlD6gNCFbaEPFjbD0kH8Oool8D",                 // GitHub OAuth
        "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",
        "xoxb-882001826330-4348395486205-5dql05ha064gIiJhgB3cxLmA", // Slack bot token
        "sk_live_cZjR4I0b3jRtaWr4Y9OJFLJO",                         // Stripe
        "rk_live_qOAf1lLQSAJaiXnkU8Is2g8n",
        "pk_live_prvDd53x83rzjZZZZGeoZDME",
        "AIzaa4UOrGNATMuDJawTgsu8PO-799nKSNrh9UC",                  // Google API key
        "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", // SendGrid
    };
    for (const char* key : keys) {
        INFO(key);
        CHECK(found(std::string("config: ") + key + "\n", PiiKind::secret) == Strings{key});
        CHECK(found(std::string("(") + key + ")", PiiKind::secret) == Strings{key});
    }
    // Wrong lengths or glued to other characters.
    const char* negatives[] = {
        "AKIAUVW53EFR4EDT2SY",  "AKIAUVW53EFR4EDT2SYWX", "XAKIAUVW53EFR4EDT2SYW", "akiauvw53efr4edt2syw",
        "ghp_U8JZpDE0iGXlD6gNCFbaEPFjbD0kH8", "sk_live_short", "AIzaa4UOrGNATMuDJawTgsu8PO-799nKSNrh9U",
        "SG.auSDmLhuVtcqcYezdZ_tDD", "xoxb-only-words-here-nothing-else",
    };
    for (const char* text : negatives) {
        INFO(text);
        CHECK(found(text, PiiKind::secret).empty());
    }
}

TEST_CASE("secrets: PEM private key blocks, whole", "[detectors][secret]") {
    const std::string body = "MIIEpAIBAAKCAQEA1c7+9z5Pad7OejecsQ0bu3aozN3tihPmljnnudb9G3HECdnH\n"
                             "lWu2/a1gB9JW5TBQ+AVpum9Okx7KfqkfBKL9mcHgSL0yWMdjMfNOqNtrQqKlN4kE\n"
                             "r2VHz7EbQgckgtxTHCvDkHyWF+teUInkAYa6qKV9EZ5vtl0Aq8Mq845mfwIuhy1J==\n";
    const std::string rsa = "-----BEGIN RSA PRIVATE KEY-----\n" + body + "-----END RSA PRIVATE KEY-----";
    CHECK(found("key:\n" + rsa + "\nrest", PiiKind::secret) == Strings{rsa});
    const std::string openssh = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + body + "-----END OPENSSH PRIVATE KEY-----";
    CHECK(found(openssh, PiiKind::secret) == Strings{openssh});
    const std::string encrypted = "-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + "-----END ENCRYPTED PRIVATE KEY-----";
    CHECK(found(encrypted, PiiKind::secret) == Strings{encrypted});
    // Inside a JSON string, newlines escaped (a service-account file kept as text).
    const std::string escaped = R"(-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n-----END PRIVATE KEY-----\n)";
    const std::string json = R"({"type": "service_account", "private_key": ")" + escaped + R"(", "x": 1})";
    CHECK(found(json, PiiKind::secret) == Strings{escaped.substr(0, escaped.size() - 2)});
    // Cut off before its footer: up to the end of the body.
    CHECK(found("-----BEGIN PRIVATE KEY-----\n" + body + "\n", PiiKind::secret) ==
          Strings{"-----BEGIN PRIVATE KEY-----\n" + body.substr(0, body.size() - 1)});
    // Public keys and certificates are not secrets.
    CHECK(found("-----BEGIN PUBLIC KEY-----\n" + body + "-----END PUBLIC KEY-----", PiiKind::secret).empty());
    CHECK(found("-----BEGIN CERTIFICATE-----\n" + body + "-----END CERTIFICATE-----", PiiKind::secret).empty());
}

TEST_CASE("secrets after a key name: the value only", "[detectors][secret]") {
    const std::string b64 = "xzJLJenuHjDUrhhjeyxG4jDPMRCxGgcjBw56EcUn";
    CHECK(found("api_key=" + b64, PiiKind::secret) == Strings{b64});
    CHECK(found("API_KEY=" + b64 + "\nDEBUG=1", PiiKind::secret) == Strings{b64});
    CHECK(found(R"({"client_id": "4f2a", "client_secret": ")" + b64 + R"("})", PiiKind::secret) == Strings{b64});
    CHECK(found("SECRET_KEY = '" + b64 + "'", PiiKind::secret) == Strings{b64});
    CHECK(found("'apiKey' => '" + b64 + "',", PiiKind::secret) == Strings{b64});
    CHECK(found("X-Api-Key: " + b64, PiiKind::secret) == Strings{b64});
    CHECK(found("X-Auth-Token: " + b64, PiiKind::secret) == Strings{b64});
    CHECK(found("Authorization: Bearer " + b64, PiiKind::secret) == Strings{b64});
    CHECK(found("Authorization: Basic YW5uOlRyMHViNGRvciYz", PiiKind::secret) == Strings{"YW5uOlRyMHViNGRvciYz"});
    CHECK(found("/reset?access_token=" + b64 + "&next=/home", PiiKind::secret) == Strings{b64});
    CHECK(found("db_password: " + b64, PiiKind::secret) == Strings{b64});
    CHECK(found("private_key=" + b64, PiiKind::secret) == Strings{b64});
    CHECK(found("passwd " + b64, PiiKind::secret) == Strings{b64});
    // AWS's documentation key pair: found (and synthetic, see below).
    CHECK(found("aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = "
                "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                PiiKind::secret) == Strings{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"});
    // Hex: 32 digits or more. DRF's "Token <40 hex>", a session key of small letters and digits.
    CHECK(found("Authorization: Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b", PiiKind::secret) ==
          Strings{"9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"});
    CHECK(found("token: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", PiiKind::secret) ==
          Strings{"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"});
    CHECK(found("Cookie: csrftoken=x; sessionid=66mr26846p7q9m2i0hz2uep1enthjxjq", PiiKind::secret) ==
          Strings{"66mr26846p7q9m2i0hz2uep1enthjxjq"});
    // A key name after a key name.
    CHECK(found("session token: " + b64, PiiKind::secret) == Strings{b64});
    CHECK(found("API token " + b64, PiiKind::secret) == Strings{b64});
    CHECK(found("auth token=" + b64 + " for the staging API", PiiKind::secret) == Strings{b64});
    // Google's ya29.<token>, a refresh token with slashes: the whole value.
    const std::string google = "ya29.a0AfH6SMBx3kLq9Zr2Wm8Tn4Vc7Yp1Qd5Ej0Gh6Ks3Lf9Nb2Rt8Uw4Xz7Ca1Ve5Iy";
    CHECK(found(R"({"access_token": ")" + google + R"(", "refresh_token": "1//0gLq8Zt2Wm9Xr4Vc7Yp1Qd5Ej0Gh6Ks3Lf9Nb"})",
                PiiKind::secret) == Strings{google, "1//0gLq8Zt2Wm9Xr4Vc7Yp1Qd5Ej0Gh6Ks3Lf9Nb"});
    // A signed value (payload:timestamp:signature) after its key name: all of it.
    const std::string signed_value = "eyJfYXV0aF91c2VyX2lkIjoiMSJ9:1u3xYz:Qm9vbGVhbkV4cHJlc3Npb25fU2lnbmF0dXJl";
    CHECK(found("session=" + signed_value + "; Path=/", PiiKind::secret) == Strings{signed_value});
    // The token wins over the phone number that starts it.
    CHECK(found_all("session=0161-496-0000-AbCdEfGhIjKl9876") == Strings{"secret:0161-496-0000-AbCdEfGhIjKl9876"});
}

TEST_CASE("not secrets: digests, git SHAs, UUIDs, images, prose, numbers and words after a key name",
          "[detectors][secret]") {
    const char* negatives[] = {
        // A digest with no key name: a file's SHA-256, an MD5, a git SHA.
        "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        "sha256 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08  hero.jpg",
        "d41d8cd98f00b204e9800998ecf8427e", "commit 4b825dc642cb6eb9a060e54bf8d69288fbee4904",
        "Merge da39a3ee5e6b4b0d3255bfef95601890afd80709 into main",
        "123e4567-e89b-12d3-a456-426614174000",
        // Base64 image data: no key name.
        "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\">",
        "Ru9wMMv5U3JS3M6t12S2oy+7Ca3q4QnEqZcgOXU1K4eLFFyKQtiEz0z9py2OHV3Z",
        // Prose with the key words in it.
        "Your session token has expired; request a new token from the settings page.",
        "The secret to a good password is length: use a passphrase, not a word.",
        "Authorization: see the internationalization guide for authentication details.",
        // After a key name, but not random: a UUID, a number, a time stamp, short hex, a
        // word, a slug, a path, a camelCase name, an e-mail address.
        "session_id: 123e4567-e89b-12d3-a456-426614174000",
        "session: 17000000000000000000000", "token: 2024-01-02T03:04:05.123456Z",
        "token: deadbeefcafebabe12345678", "password: correcthorsebatterystaple",
        "session: spring-garden-festival-2024", "secret: Wednesday_morning_workshop_2024",
        "secret: /var/lib/app/secrets/config.yaml", "token: getUserSessionTokenForRequest",
        "auth: ann@example.org", "password: ********************", "token: v1.2.3.4.5.6.7.8.9.10.11.12",
        "session: 2024.01.02:12:30:45.123456", "auth: www.example-university.co.uk/login",
        "password: hunter2", "token: abcdefghij.klmnopqrst.uvwxyz0123",
        // Timestamps and numbers.
        "1700000000000 1700000000.123456 2024-01-02T03:04:05.123456+00:00 12345678901234567890",
    };
    for (const char* text : negatives) {
        INFO(text);
        CHECK(found(text, PiiKind::secret).empty());
    }
}

TEST_CASE("password hashes and secrets: the pre-check skips text that cannot hold one", "[detectors]") {
    const KindSet both{PiiKind::password_hash, PiiKind::secret};
    CHECK(detector().candidates("The quick brown fox jumps over the lazy dog, twice.", both).empty());
    CHECK(detector().candidates("price $12.50", both).empty());                      // one '$'
    CHECK(detector().candidates("state-of-art, well-known, up-to-date", both).empty()); // short runs
    CHECK(detector().candidates("token: " + jwt, both).contains(PiiKind::secret));
    CHECK(detector().candidates("$2b$12$R9h/cIPz0gi.URNNX3kh2OCwFxHysKnmlI2Ep9PUg4sxFsAo.MRiy", both)
              .contains(PiiKind::password_hash));
}

TEST_CASE("synthetic password hashes and secrets", "[detectors]") {
    // redact's outputs, as matches made by hand: find() never reports the
    // unusable-password marker, and redacted-secret-<hex> is no random value.
    const std::string marker = "!redacted0123456789abcdef0123456789abcdef";
    CHECK(is_synthetic(Match{PiiKind::password_hash, 0, marker.size()}, marker));
    CHECK(detector().find(marker).empty());
    const std::string fake = "redacted-secret-1a2b3c4d";
    CHECK(is_synthetic(Match{PiiKind::secret, 0, fake.size()}, fake));
    CHECK(detector().find("api_key=" + fake).empty());
    CHECK_FALSE(is_synthetic(Match{PiiKind::secret, 0, 19}, "redacted-secret-1a2"));
    // AWS's documentation keys.
    CHECK(synthetic("AKIAIOSFODNN7EXAMPLE"));
    CHECK(synthetic("aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    CHECK_FALSE(synthetic("AKIAUVW53EFR4EDT2SYW"));
    CHECK_FALSE(synthetic(jwt));
    CHECK_FALSE(synthetic("pbkdf2_sha256$870000$Wq3v0cXbXv9yQpYb1kLr2e$BpjfKMPL3rfyIa6Gq/svLLx0GDDxreEZT9i9eB8fza4="));
}

TEST_CASE("Detector: regression: a value with a hundred thousand matches, all found, in order, once", "[detectors]") {
    // Issue 10 #4: each match was inserted into the middle of a sorted
    // vector (quadratic: a 49 MB field took 246 s). Now a merge per kind.
    std::string text;
    for (int i = 0; i < 100000; ++i) {
        text += "write to person" + std::to_string(i) + "@fastmail.com or call +44 20 " + std::to_string(7100 + i % 800) +
                " " + std::to_string(1000 + i % 8000) + "; ";
    }
    std::vector<Match> matches;
    Detector::shared().find(text, KindSet::all(), matches);
    std::size_t emails = 0, phones = 0;
    for (std::size_t i = 0; i < matches.size(); ++i) {
        if (i > 0) REQUIRE(matches[i - 1].offset + matches[i - 1].length <= matches[i].offset);
        emails += matches[i].kind == PiiKind::email;
        phones += matches[i].kind == PiiKind::phone;
    }
    CHECK(emails == 100000);
    CHECK(phones == 100000);
}

TEST_CASE("work inside one value stops when a signal came", "[detectors][stop]") {
    // As if Ctrl-C had arrived while a detector, the explorer or a grapheme
    // walk was busy with one large value: each stops at its next stop point.
    std::string text;
    for (int i = 0; i < 20000; ++i) text += "mail person" + std::to_string(i) + "@example.org, call +44 20 7946 0" + std::to_string(100 + i % 800) + "; ";
    std::string accented;
    for (int i = 0; i < 100000; ++i) accented += "é";
    auto is_interruption = [](const pgscrub::common::Error& e) { return e.kind() == pgscrub::common::ErrorKind::Interrupted; };

    pgscrub::common::simulate_interrupt(2);
    std::vector<pgscrub::anonymise::Match> matches;
    std::size_t pieces = 0;
    pgscrub::anonymise::ValueExplorer explorer(true);
    try {
        pgscrub::anonymise::Detector::shared().find(text, pgscrub::anonymise::KindSet::all(), matches);
        FAIL("find() did not stop");
    } catch (const pgscrub::common::Error& e) {
        CHECK(is_interruption(e));
        CHECK(std::string(e.what()) == "interrupted by signal 2; partial output removed");
    }
    CHECK_THROWS_MATCHES(explorer.explore(text, false, [&](const pgscrub::anonymise::Piece&) { ++pieces; }),
                         pgscrub::common::Error, Catch::Predicate<pgscrub::common::Error>(is_interruption));
    CHECK(pieces <= 1);
    // The grapheme walk lets go of ICU before it throws: ICU stays usable.
    CHECK_THROWS_AS(pgscrub::anonymise::grapheme_count(accented), pgscrub::common::Error);

    pgscrub::common::simulate_interrupt(0);
    CHECK(pgscrub::anonymise::grapheme_count(accented) == 100000);
    CHECK_NOTHROW(pgscrub::anonymise::Detector::shared().find(text, pgscrub::anonymise::KindSet::all(), matches));
    CHECK(matches.size() >= 20000);
}
