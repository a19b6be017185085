#include "anonymise/detectors.hpp"
#include "anonymise/json_text.hpp"

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
    CHECK(KindSet::all().contains(PiiKind::uk_postcode));
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
    const auto document = json::parse(raw);
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

TEST_CASE("Luhn and card numbers", "[detectors]") {
    CHECK(luhn_valid("4111111111111111"));
    CHECK(luhn_valid("79927398713"));
    CHECK_FALSE(luhn_valid("79927398710"));
    CHECK_FALSE(luhn_valid("4111111111111112"));
    CHECK_FALSE(luhn_valid("41x1"));
    CHECK(luhn_check_digit("7992739871") == '3');
    for (const char* payload : {"453201511283036", "55000055555555", "37144963539843", "601100099013942"})
        CHECK(luhn_valid(luhn(payload)));

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
    CHECK(iban_valid("GB82 WEST 1234 5698 7654 32"));
    CHECK(iban_valid("GB33BUKB20201555555555"));
    CHECK(iban_valid("DE89370400440532013000"));
    CHECK(iban_valid("FR1420041010050500013M02606"));
    CHECK(iban_valid("NO9386011117947"));
    CHECK(iban_valid("gb82west12345698765432"));
    CHECK_FALSE(iban_valid("GB82 WEST 1234 5698 7654 33")); // check digits
    CHECK_FALSE(iban_valid("GB82WEST1234569876543"));       // length for GB
    CHECK_FALSE(iban_valid("XX82WEST12345698765432"));      // no such country
    CHECK(iban_length("GB") == 22);
    CHECK(iban_length("US") == 0);
    CHECK(iban_check_digits("GB", "WEST12345698765432") == "82");
    CHECK(iban_check_digits("DE", "370400440532013000") == "89");

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
