// Transforms (anonymise/simple_transforms.hpp, fakes.hpp, unicode_text.hpp)
// and the registry (transform_registry.hpp): semantics, Unicode handling,
// determinism and the exact validation messages rules files get.

#include "anonymise/fakes.hpp"
#include "anonymise/keyed_hash.hpp"
#include "anonymise/name_choice.hpp"
#include "anonymise/name_lists.hpp"
#include "anonymise/simple_transforms.hpp"
#include "anonymise/transform_registry.hpp"
#include "anonymise/unicode_text.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <chrono>
#include <iostream>
#include <map>
#include <regex>
#include <set>

using namespace pgscrub::anonymise;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

const KeyedHash kKey("unit-test key");
const KeyedHash kOtherKey("another key");

// An independent strict UTF-8 check (RFC 3629), not the one under test.
bool utf8_ok(std::string_view s) {
    std::size_t i = 0;
    while (i < s.size()) {
        const auto c = static_cast<unsigned char>(s[i]);
        std::size_t n;
        std::uint32_t cp;
        if (c < 0x80) { ++i; continue; }
        if (c >= 0xC2 && c <= 0xDF) { n = 1; cp = c & 0x1F; }
        else if (c >= 0xE0 && c <= 0xEF) { n = 2; cp = c & 0x0F; }
        else if (c >= 0xF0 && c <= 0xF4) { n = 3; cp = c & 0x07; }
        else return false;
        if (i + n >= s.size()) return false;
        for (std::size_t k = 1; k <= n; ++k) {
            const auto d = static_cast<unsigned char>(s[i + k]);
            if ((d & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n + 1;
    }
    return true;
}

TransformConfig config(std::string name, std::vector<std::pair<std::string, std::string>> scalars = {}) {
    TransformConfig c;
    c.name = std::move(name);
    c.where = {3, 12};
    int column = 20;
    for (auto& [key, value] : scalars) {
        TransformConfig::Scalar s;
        s.value = value;
        s.where = {3, column};
        column += 10;
        c.scalars.emplace_back(key, std::move(s));
    }
    return c;
}

std::unique_ptr<Transform> build_ok(const TransformConfig& c) {
    std::vector<ConfigProblem> problems;
    auto t = build_transform(c, problems);
    for (const auto& p : problems) UNSCOPED_INFO(p.message);
    REQUIRE(problems.empty());
    REQUIRE(t);
    return t;
}

std::vector<ConfigProblem> problems_of(const TransformConfig& c) {
    std::vector<ConfigProblem> problems;
    auto t = build_transform(c, problems);
    CHECK(!t);
    CHECK(!problems.empty());
    return problems;
}

std::string message_of(const TransformConfig& c) {
    auto problems = problems_of(c);
    return problems.empty() ? std::string() : problems.front().message;
}

std::optional<std::string> run(const Transform& t, std::optional<std::string_view> value, const KeyedHash& key = kKey,
                               const RowAccess* row = nullptr) {
    TransformContext context{key, row};
    return t.apply(value, context);
}

std::string run_text(const Transform& t, std::string_view value, const KeyedHash& key = kKey) {
    auto out = run(t, value, key);
    REQUIRE(out);
    return *out;
}

class MapRow final : public RowAccess {
public:
    std::map<std::string, std::optional<std::string>, std::less<>> values;
    std::optional<std::string> value_of(std::string_view column) const override {
        auto it = values.find(column);
        return it == values.end() ? std::nullopt : it->second;
    }
};

// A buildable config for every registered transform.
TransformConfig minimal_config(const std::string& name) {
    if (name == "set") return config("set", {{"value", "!"}});
    if (name == "regex_replace") return config("regex_replace", {{"pattern", "a"}, {"replacement", "b"}});
    if (name == "template") return config("template", {{"format", "x"}});
    TransformConfig c = config(name);
    if (name == "array") c.nested.emplace_back("each", config("fake_email"));
    if (name == "json") c.nested.emplace_back("$.email", config("fake_email"));
    return c;
}

bool in_list(std::span<const std::string_view> list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

} // namespace

// ---- Unicode helpers -------------------------------------------------------------

TEST_CASE("unicode: UTF-8 validation and repair", "[transforms][unicode]") {
    for (std::string_view good : {""sv, "plain ascii"sv, "Zoë"sv, "👩‍👩‍👧"sv, "\xF4\x8F\xBF\xBF"sv, "日本語"sv})
        CHECK(is_valid_utf8(good));
    for (std::string_view bad : {"\xFF"sv, "abc\xC3"sv, "\xC0\xAF"sv, "\xED\xA0\x80"sv, "\xF4\x90\x80\x80"sv,
                                 "\x80"sv, "12345678\xE2\x82"sv})
        CHECK_FALSE(is_valid_utf8(bad));
    CHECK(repair_utf8("a\xFF" "b") == "a\xEF\xBF\xBD" "b");
    CHECK(repair_utf8("Zoë") == "Zoë");
    CHECK(repair_utf8("abc\xC3") == "abc\xEF\xBF\xBD");
    CHECK(utf8_ok(repair_utf8("\xC0\xAF\xED\xA0\x80xyz\xF0\x9F")));
}

TEST_CASE("unicode: trim, NFC, case folding, caseless key", "[transforms][unicode]") {
    CHECK(trim_unicode_space(" \t\u00A0ann\u3000\n") == "ann");
    CHECK(trim_unicode_space("   ").empty());
    CHECK(trim_unicode_space("a b") == "a b");
    CHECK(to_nfc("e\u0301") == "\u00E9");
    CHECK(case_fold("STRASSE Straße ΣΊΣΥΦΟΣ") == "strasse strasse σίσυφοσ");
    CHECK(normalise_caseless("  A\u0308NN@Example.ORG ") == "\u00E4nn@example.org");
    CHECK(normalise_caseless("\u00C4nn@example.org") == normalise_caseless("a\u0308nn@EXAMPLE.org"));
}

TEST_CASE("unicode: grapheme clusters", "[transforms][unicode]") {
    CHECK(grapheme_count("") == 0);
    CHECK(grapheme_count("abc") == 3);
    CHECK(grapheme_count("a\r\nb") == 3);
    CHECK(grapheme_count("Zoë👩‍👩‍👧Smith") == 9);
    CHECK(grapheme_count("Zoe\u0308") == 3);       // combining diaeresis
    CHECK(grapheme_count("🇬🇧🇫🇷") == 2);           // flags
    CHECK(grapheme_count("👍🏽") == 1);             // skin tone modifier
    CHECK(grapheme_count("한국어") == 3);
    std::vector<std::size_t> bounds;
    grapheme_boundaries("aé", bounds);
    CHECK(bounds == std::vector<std::size_t>{0, 1, 3});
}

// ---- determinism and keys -----------------------------------------------------------

TEST_CASE("keyed transforms: deterministic, and a different key gives different output", "[transforms]") {
    for (const char* name : {"pseudonym", "fake_email", "fake_first_name", "fake_last_name", "fake_name", "fake_phone",
                             "fake_ip"}) {
        INFO(name);
        auto a = build_ok(config(name));
        auto b = build_ok(config(name));
        int differing = 0;
        for (const char* value : {"Ann Smith", "ann@example.org", "+44 7911 123456", "10.1.2.3", "bob", "Zoë"}) {
            CHECK(run_text(*a, value) == run_text(*a, value));
            CHECK(run_text(*a, value) == run_text(*b, value));
            if (run_text(*a, value) != run_text(*a, value, kOtherKey)) ++differing;
        }
        CHECK(differing >= 4); // names and phones come from small ranges: a rare coincidence is allowed
    }
    auto email = build_ok(config("fake_email"));
    auto pseudonym = build_ok(config("pseudonym"));
    CHECK(run_text(*email, "ann@x.org") != run_text(*email, "ann@x.org", kOtherKey));
    CHECK(run_text(*pseudonym, "ann") != run_text(*pseudonym, "ann", kOtherKey));
}

// ---- fake_email ------------------------------------------------------------------------

TEST_CASE("fake_email: reserved domain, user-<16 base32>, normalised input agrees", "[transforms]") {
    auto t = build_ok(config("fake_email"));
    const std::string fake = run_text(*t, "Ann@Example.org");
    CHECK(std::regex_match(fake, std::regex("user-[a-z2-7]{16}@example\\.com")));
    CHECK(run_text(*t, " ann@example.org") == fake);
    CHECK(run_text(*t, "ANN@EXAMPLE.ORG\u00A0") == fake);
    CHECK(run_text(*t, "bob@example.org") != fake);
    // Unicode local parts: NFC and full case folding.
    CHECK(run_text(*t, "Ä\u00DFe@beispiel.de") == run_text(*t, "a\u0308SSE@Beispiel.DE"));
    // The same as fakes.hpp, which redact uses for e-mails inside text.
    CHECK(fake_email(kKey, "ann@example.org") == fake);
    CHECK(normalise_email(" Ann@Example.ORG ") == "ann@example.org");

    auto org = build_ok(config("fake_email", {{"domain", "example.org"}}));
    const std::string fake_org = run_text(*org, "ann@example.org");
    CHECK(fake_org.ends_with("@example.org"));
    CHECK(fake_org.substr(0, 21) == fake.substr(0, 21));
    // Another domain is the author's choice: accepted.
    CHECK(run_text(*build_ok(config("fake_email", {{"domain", "staging.acme.io"}})), "a@b.c").ends_with("@staging.acme.io"));
    CHECK(is_reserved_email_domain("example.com"));
    CHECK(is_reserved_email_domain("mail.test"));
    CHECK(is_reserved_email_domain("x.EXAMPLE"));
    CHECK(is_reserved_email_domain("nowhere.invalid"));
    CHECK_FALSE(is_reserved_email_domain("gmail.com"));
    CHECK_FALSE(is_reserved_email_domain("mytest"));
}

TEST_CASE("fake_email and pseudonym: 100 000 distinct inputs give 100 000 distinct outputs", "[transforms]") {
    auto email = build_ok(config("fake_email"));
    auto pseudonym = build_ok(config("pseudonym"));
    std::set<std::string> emails, pseudonyms;
    for (int i = 0; i < 100000; ++i) {
        const std::string value = "person" + std::to_string(i) + "@example.org";
        emails.insert(run_text(*email, value));
        pseudonyms.insert(run_text(*pseudonym, value));
    }
    CHECK(emails.size() == 100000);
    CHECK(pseudonyms.size() == 100000);
}

// ---- pseudonym ----------------------------------------------------------------------------

TEST_CASE("pseudonym: prefix + base32 hash of the exact value + suffix", "[transforms]") {
    auto t = build_ok(config("pseudonym", {{"prefix", "user_"}, {"suffix", "!"}, {"length", "20"}}));
    const std::string out = run_text(*t, "ann");
    CHECK(std::regex_match(out, std::regex("user_[a-z2-7]{20}!")));
    CHECK(run_text(*t, "Ann") != out); // exact: case matters
    auto plain = build_ok(config("pseudonym"));
    CHECK(std::regex_match(run_text(*plain, "ann"), std::regex("[a-z2-7]{12}")));
    CHECK(run_text(*plain, "ann") == out.substr(5, 12)); // same hash, any prefix: joins survive
    CHECK(run_text(*build_ok(config("pseudonym", {{"length", "52"}})), "x").size() == 52);
    CHECK(run_text(*build_ok(config("pseudonym", {{"length", "6"}})), "x").size() == 6);
}

// ---- names ----------------------------------------------------------------------------------

TEST_CASE("names: lists are valid NFC UTF-8 and cover many scripts", "[transforms]") {
    CHECK(all_given_names().size() >= 100);
    CHECK(all_family_names().size() >= 100);
    for (auto list : {all_given_names(), all_family_names()})
        for (std::string_view name : list) {
            INFO(name);
            CHECK(!name.empty());
            CHECK(utf8_ok(name));
            CHECK(to_nfc(name) == name);
            CHECK(trim_unicode_space(name) == name);
        }
    for (std::string_view sample : {"Γιώργος"sv, "Олена"sv, "محمد"sv, "अर्जुन"sv, "さくら"sv, "서연"sv, "ნინო"sv,
                                    "נועה"sv, "Adébáyọ̀"sv, "Søren"sv, "สมชาย"sv})
        CHECK(in_list(all_given_names(), sample));
    for (std::string_view sample : {"Müller"sv, "Οικονόμου"sv, "Шевченко"sv, "王"sv, "Nguyễn"sv, "Yılmaz"sv})
        CHECK(in_list(all_family_names(), sample));
    CHECK(name_cultures().size() >= 25);
}

TEST_CASE("fake names: from the lists, case-insensitive and trimmed, spread over the lists", "[transforms]") {
    auto first = build_ok(config("fake_first_name"));
    auto last = build_ok(config("fake_last_name"));
    auto full = build_ok(config("fake_name"));
    CHECK(in_list(all_given_names(), run_text(*first, "Ann")));
    CHECK(in_list(all_family_names(), run_text(*last, "Smith")));
    CHECK(run_text(*first, "Ann") == run_text(*first, " ANN "));
    CHECK(run_text(*full, "Ann Smith") == run_text(*full, "ann smith"));
    std::set<std::string> seen_first, seen_full;
    for (int i = 0; i < 5000; ++i) {
        seen_first.insert(run_text(*first, "person " + std::to_string(i)));
        const std::string name = run_text(*full, "person " + std::to_string(i));
        CHECK(utf8_ok(name));
        seen_full.insert(name);
    }
    // Latin originals draw from every Latin-script list.
    CHECK(seen_first.size() >= 80);
    CHECK(seen_full.size() >= 500);
    // Full names follow the culture's order: family first without a space for Chinese and Korean.
    bool han_or_hangul = false;
    for (int i = 0; i < 500; ++i) {
        const std::string name = run_text(*full, "李" + std::to_string(i));
        for (const NameCulture& c : name_cultures())
            if (c.separator.empty())
                for (std::string_view family : c.family)
                    if (name.starts_with(family) && name.find(' ') == std::string::npos) han_or_hangul = true;
    }
    CHECK(han_or_hangul);
}

TEST_CASE("fake names: the fake keeps the original's script, so one row looks like one person", "[transforms]") {
    // Regression (issue 9): first and last name of one row came out as "अनन्या Weiß".
    auto first = build_ok(config("fake_first_name"));
    auto last = build_ok(config("fake_last_name"));
    auto full = build_ok(config("fake_name"));
    const int latin = name_script("Ann");
    const struct {
        const char* original;
        const char* same_script_as;
    } cases[] = {{"Margaret", "Ann"},    {"O'Neill", "Ann"},  {"Søren", "Ann"},     {"Ольга", "Ольга"},
                 {"Петрова", "Ольга"},  {"李雷", "李"},       {"さくら", "李"},      {"김민준", "김"},
                 {"अनन्या", "अ"},        {"Γιώργος", "Γ"},     {"דוד", "ד"},         {"محمد", "م"}};
    for (const auto& c : cases) {
        CAPTURE(c.original);
        const int want = name_script(c.same_script_as);
        REQUIRE(want >= 0);
        for (int i = 0; i < 40; ++i) {
            std::string original = std::string(c.original) + std::string(static_cast<std::size_t>(i % 7), ' ') +
                                   (i < 20 ? "" : std::string(c.original));
            CHECK(name_script(run_text(*first, original)) == want);
            CHECK(name_script(run_text(*last, original)) == want);
            CHECK(name_script(run_text(*full, original)) == want);
        }
    }
    // A first and a last name of the same person: both Latin.
    CHECK(name_script(run_text(*first, "Weiß")) == latin);
    CHECK(name_script(run_text(*last, "Weiß")) == latin);
    // No letters: any list, deterministically.
    CHECK(run_text(*full, "1234") == run_text(*full, "1234"));
    CHECK(utf8_ok(run_text(*first, "---")));
}

TEST_CASE("fake names: locales narrows the lists; unknown ones are named", "[transforms]") {
    auto german = build_ok(config("fake_name", {{"locales", "German"}}));
    const NameCulture* de = nullptr;
    for (const NameCulture& c : name_cultures())
        if (c.label == "German") de = &c;
    REQUIRE(de);
    for (int i = 0; i < 200; ++i) {
        const std::string name = run_text(*german, "person " + std::to_string(i));
        const std::size_t space = name.find(' ');
        REQUIRE(space != std::string::npos);
        CHECK(std::find(de->given.begin(), de->given.end(), name.substr(0, space)) != de->given.end());
        CHECK(std::find(de->family.begin(), de->family.end(), name.substr(space + 1)) != de->family.end());
    }
    // Case-insensitive, comma-separated or a list; the script still decides within them.
    auto two = build_ok(config("fake_first_name", {{"locales", "german, ukrainian"}}));
    CHECK(name_script(run_text(*two, "Ольга")) == name_script("Ольга"));
    CHECK(name_script(run_text(*two, "Ann")) == name_script("Ann"));
    CHECK(message_of(config("fake_last_name", {{"locales", "German, Klingon"}})).starts_with(
        "unknown locale \"Klingon\" for fake_last_name — expected a list of: English, "));
}

// ---- fake_phone ---------------------------------------------------------------------------------

TEST_CASE("fake_phone: fictional ranges, shaped like the original", "[transforms]") {
    auto t = build_ok(config("fake_phone"));
    CHECK(std::regex_match(run_text(*t, "07911 123456"), std::regex("07700 900[0-9]{3}")));
    CHECK(std::regex_match(run_text(*t, "+44 7911 123456"), std::regex("\\+44 7700 900[0-9]{3}")));
    CHECK(std::regex_match(run_text(*t, "+447911123456"), std::regex("\\+447700900[0-9]{3}")));
    CHECK(std::regex_match(run_text(*t, "0044 7911 123456"), std::regex("0044 7700 900[0-9]{3}")));
    CHECK(std::regex_match(run_text(*t, "+33 6 12 34 56 78"), std::regex("\\+44 7700 900[0-9]{3}")));
    CHECK(std::regex_match(run_text(*t, "07911123456"), std::regex("07700900[0-9]{3}")));
    const std::regex nanp_area("[2-9][0-9]{2}");
    const std::string us_international = run_text(*t, "+1 415 555 2671");
    CHECK(std::regex_match(us_international, std::regex("\\+1 [2-9][0-9]{2}-555-01[0-9]{2}")));
    CHECK(std::regex_match(run_text(*t, "+14155552671"), std::regex("\\+1[2-9][0-9]{2}55501[0-9]{2}")));
    CHECK(std::regex_match(run_text(*t, "(415) 555-2671"), std::regex("\\([2-9][0-9]{2}\\) 555-01[0-9]{2}")));
    CHECK(std::regex_match(run_text(*t, "415-555-2671"), std::regex("[2-9][0-9]{2}-555-01[0-9]{2}")));
    CHECK(std::regex_match(run_text(*t, "1-415-555-2671"), std::regex("1-[2-9][0-9]{2}-555-01[0-9]{2}")));
    // Spacing variants of one number agree.
    CHECK(run_text(*t, "+44 7911 123456").substr(11) == run_text(*t, "+447911123456").substr(9));
    for (int i = 0; i < 2000; ++i) {
        const std::string out = run_text(*t, "+1 212 555 " + std::to_string(1000 + i));
        const std::string area = out.substr(3, 3);
        CHECK(area.substr(1) != "11");
        CHECK(std::regex_match(area, nanp_area));
    }
}

// ---- fake_ip --------------------------------------------------------------------------------------

TEST_CASE("fake_ip: documentation ranges, same family, prefix kept", "[transforms]") {
    auto t = build_ok(config("fake_ip"));
    const std::regex v4("(192\\.0\\.2|198\\.51\\.100|203\\.0\\.113)\\.([0-9]+)");
    std::set<std::string> networks;
    for (int i = 0; i < 3000; ++i) {
        const std::string address = "10." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ".7";
        const std::string out = run_text(*t, address);
        std::smatch m;
        REQUIRE(std::regex_match(out, m, v4));
        const int host = std::stoi(m[2]);
        CHECK(host >= 1);
        CHECK(host <= 254);
        networks.insert(m[1]);
        in_addr parsed{};
        CHECK(inet_pton(AF_INET, out.c_str(), &parsed) == 1);
    }
    CHECK(networks.size() == 3);

    const std::string v6 = run_text(*t, "2a00:1450:4009:81f::200e");
    CHECK(v6.starts_with("2001:db8:"));
    in6_addr parsed6{};
    CHECK(inet_pton(AF_INET6, v6.c_str(), &parsed6) == 1);
    CHECK(run_text(*t, "::1") == run_text(*t, "0:0:0:0:0:0:0:1"));            // spellings agree
    CHECK(run_text(*t, "2a00:1450::1/64").starts_with("2001:db8:"));
    CHECK(run_text(*t, "2a00:1450::1/64").ends_with("/64"));
    CHECK(run_text(*t, "::ffff:10.0.0.1").starts_with("2001:db8:"));          // IPv6 family kept

    // inet host with a prefix: host bits kept, prefix kept.
    const std::string host = run_text(*t, "10.1.2.3/28");
    CHECK(std::regex_match(host, std::regex("(192\\.0\\.2|198\\.51\\.100|203\\.0\\.113)\\.[0-9]+/28")));
    CHECK(host.substr(0, host.find('/')) == run_text(*t, "10.1.2.3"));        // same host, with or without prefix
    // cidr network: no host bits in, none out (cidr input would refuse them).
    const std::string network = run_text(*t, "10.1.2.0/24");
    CHECK(std::regex_match(network, std::regex("(192\\.0\\.2|198\\.51\\.100|203\\.0\\.113)\\.0/24")));
    const std::string small_network = run_text(*t, "10.1.2.16/28");
    const int last = std::stoi(small_network.substr(small_network.rfind('.') + 1));
    CHECK(last % 16 == 0);
    CHECK(small_network.ends_with("/28"));
    CHECK(run_text(*t, "10.1.2.3/32").ends_with("/32"));
    // A prefix shorter than the documentation block is narrowed to it.
    CHECK(std::regex_match(run_text(*t, "10.0.0.0/8"), std::regex("(192\\.0\\.2|198\\.51\\.100|203\\.0\\.113)\\.0/24")));
    CHECK(std::regex_match(run_text(*t, "2a00::/16"), std::regex("2001:db8::/32")));
    // Not an address: still a fake of the guessed family.
    CHECK(std::regex_match(run_text(*t, "unknown"), v4));
}

// ---- mask ------------------------------------------------------------------------------------------

TEST_CASE("mask: counts grapheme clusters, output valid UTF-8", "[transforms]") {
    auto t = build_ok(config("mask", {{"keep_start", "1"}, {"keep_end", "4"}}));
    CHECK(run_text(*t, "Zoë👩‍👩‍👧Smith") == "Z****mith");
    CHECK(run_text(*t, "Zoe\u0308👩‍👩‍👧Smith") == "Z****mith");
    CHECK(run_text(*t, "4111 1111 1111 1111") == "4**************1111");
    CHECK(run_text(*t, "Bob") == "***");     // too short to keep both ends: all hidden
    CHECK(run_text(*t, "Smith") == "*****");
    CHECK(run_text(*t, "Smiths") == "S*iths");
    CHECK(run_text(*t, "") == "");
    auto all = build_ok(config("mask"));
    CHECK(run_text(*all, "🇬🇧 a\r\nb") == "*****"); // flag, space, a, CR LF, b
    auto bullet = build_ok(config("mask", {{"keep_end", "2"}, {"char", "•"}}));
    CHECK(run_text(*bullet, "Ελένη") == "•••νη");
    auto end = build_ok(config("mask", {{"keep_end", "1"}}));
    const std::string repaired = run_text(*end, "ab\xFF" "c\xC3");
    CHECK(utf8_ok(repaired));
    CHECK(repaired == "****\xEF\xBF\xBD");
}

// ---- regex_replace ------------------------------------------------------------------------------------

TEST_CASE("regex_replace: RE2 groups, every match, valid UTF-8", "[transforms]") {
    auto t = build_ok(config("regex_replace", {{"pattern", "^(.)[^@]*@(.*)$"}, {"replacement", "\\1***@\\2"}}));
    CHECK(run_text(*t, "ann@example.org") == "a***@example.org");
    auto digits = build_ok(config("regex_replace", {{"pattern", "[0-9]"}, {"replacement", "#"}}));
    CHECK(run_text(*digits, "call 0123 or 99") == "call #### or ##");
    auto whole = build_ok(config("regex_replace", {{"pattern", "(?i)secret"}, {"replacement", "<\\0>"}}));
    CHECK(run_text(*whole, "a SECRET b") == "a <SECRET> b");
    auto remove = build_ok(config("regex_replace", {{"pattern", "\\s+"}, {"replacement", ""}}));
    CHECK(run_text(*remove, " a b  c ") == "abc");
    auto unicode = build_ok(config("regex_replace", {{"pattern", "ë"}, {"replacement", "e"}}));
    CHECK(run_text(*unicode, "Zoë") == "Zoe");
    CHECK(utf8_ok(run_text(*digits, "1\xFF")));
}

TEST_CASE("regex_replace: invalid pattern or replacement is reported at its position", "[transforms]") {
    auto c = config("regex_replace", {{"pattern", "(abc"}, {"replacement", "x"}});
    auto problems = problems_of(c);
    REQUIRE(problems.size() == 1);
    CHECK(problems[0].message ==
          "invalid pattern \"(abc\" for regex_replace: missing ): (abc — expected an RE2 regular expression "
          "(https://github.com/google/re2/wiki/Syntax)");
    CHECK(problems[0].where.line == 3);
    CHECK(problems[0].where.column == 20);
    auto r = config("regex_replace", {{"pattern", "(a)"}, {"replacement", "\\2"}});
    auto rp = problems_of(r);
    REQUIRE(rp.size() == 1);
    CHECK(rp[0].message == "invalid replacement \"\\2\" for regex_replace: Rewrite schema requests 2 matches, but the "
                           "regexp only has 1 parenthesized subexpressions. — \\0 is the whole match, \\1 to \\1 its "
                           "groups, \\\\ a backslash");
    CHECK(rp[0].where.column == 30);
}

// ---- template ------------------------------------------------------------------------------------------

TEST_CASE("template: {column} reads the row, {{ }} are literal braces", "[transforms]") {
    auto c = config("template", {{"format", "{first_name} {last_name} <{email}> {{id}} {first_name}"}});
    auto t = build_ok(c);
    CHECK(t->needs_row());
    CHECK(template_columns(c) == std::vector<std::string>{"first_name", "last_name", "email"});
    MapRow row;
    row.values["first_name"] = "Léa";
    row.values["last_name"] = std::nullopt;
    row.values["email"] = "user-abc@example.com";
    CHECK(run(*t, "old", kKey, &row) == "Léa  <user-abc@example.com> {id} Léa"s);
    CHECK(run(*t, std::nullopt, kKey, &row) == std::nullopt);
    auto spaced = config("template", {{"format", "{Full Name}!"}});
    MapRow spaced_row;
    spaced_row.values["Full Name"] = "Ann";
    CHECK(run(*build_ok(spaced), "x", kKey, &spaced_row) == "Ann!"s);
    CHECK(template_columns(spaced) == std::vector<std::string>{"Full Name"});
    CHECK(template_columns(config("set", {{"value", "{x}"}})).empty());
    CHECK_FALSE(build_ok(config("fake_email"))->needs_row());
}

TEST_CASE("template: unbalanced braces are reported", "[transforms]") {
    CHECK(message_of(config("template", {{"format", "{first_name"}})) ==
          "invalid format for template: unmatched \"{\" at character 1 of format — write {column} for a column's "
          "value and {{ for a literal {");
    CHECK(message_of(config("template", {{"format", "a}b"}})) ==
          "invalid format for template: unmatched \"}\" at character 2 of format — write }} for a literal }");
    CHECK(message_of(config("template", {{"format", "x{}"}})) ==
          "invalid format for template: empty {} at character 2 of format — put a column name between the braces, "
          "or write {{}} for literal braces");
    CHECK(template_columns(config("template", {{"format", "{a"}})).empty());
}

// ---- NULL, blank values, UTF-8 for every transform --------------------------------------------------------

TEST_CASE("NULL stays NULL for every transform except null and set", "[transforms]") {
    MapRow row;
    for (const TransformSpec& spec : transform_registry()) {
        INFO(spec.name);
        std::vector<ConfigProblem> problems;
        auto t = build_transform(minimal_config(spec.name), problems);
        if (!t) {
            // redact/json/array before their implementation lands
            REQUIRE(problems.size() == 1);
            CHECK(problems[0].message.find("not available in this build") != std::string::npos);
            continue;
        }
        const auto out = run(*t, std::nullopt, kKey, &row);
        if (spec.name == "set")
            CHECK(out == "!"s);
        else
            CHECK(out == std::nullopt);
    }
    CHECK(run(*build_ok(config("null")), "value") == std::nullopt);
    CHECK(run(*build_ok(config("keep")), "value") == "value"s);
    CHECK(run(*build_ok(config("set", {{"value", "!"}})), "value") == "!"s);
}

TEST_CASE("blank values are kept by fakes and pseudonym", "[transforms]") {
    for (const char* name : {"pseudonym", "fake_email", "fake_first_name", "fake_last_name", "fake_name", "fake_phone",
                             "fake_ip"}) {
        INFO(name);
        auto t = build_ok(config(name));
        CHECK(run_text(*t, "") == "");
        CHECK(run_text(*t, "  ") == "  ");
    }
}

TEST_CASE("text transforms give valid UTF-8 for invalid input", "[transforms]") {
    std::vector<TransformConfig> configs = {
        config("pseudonym"), config("fake_email"), config("fake_first_name"), config("fake_last_name"),
        config("fake_name"), config("fake_phone"), config("fake_ip"), config("mask", {{"keep_start", "2"}}),
        config("regex_replace", {{"pattern", "x"}, {"replacement", "y"}}), config("template", {{"format", "{a}-{b}"}}),
        config("set", {{"value", "!"}})};
    MapRow row;
    row.values["a"] = "\xFF\xFE";
    row.values["b"] = "ok\xC3";
    for (const auto& c : configs) {
        INFO(c.name);
        auto t = build_ok(c);
        for (std::string_view bad : {"\xFF\xFE"sv, "abc\xC3"sv, "\xC0\xAF@x.org"sv, "\xED\xA0\x80 1.2.3.4"sv,
                                     "Zo\xEB"sv, "+44 \x80 7911"sv}) {
            auto out = run(*t, bad, kKey, &row);
            REQUIRE(out);
            CHECK(utf8_ok(*out));
        }
    }
}

// ---- registry and validation ------------------------------------------------------------------------------

TEST_CASE("registry: every transform of rules version 1, described", "[transforms]") {
    const std::vector<std::string> expected = {"keep", "null", "set", "pseudonym", "fake_email", "fake_first_name",
                                               "fake_last_name", "fake_name", "fake_phone", "fake_ip", "mask", "redact",
                                               "regex_replace", "template", "json", "array"};
    std::vector<std::string> names;
    for (const auto& spec : transform_registry()) names.push_back(spec.name);
    CHECK(names == expected);
    for (const auto& spec : transform_registry()) {
        INFO(spec.name);
        CHECK(!spec.summary.empty());
        CHECK(!spec.details.empty());
        CHECK(!spec.example.empty());
        CHECK(spec.factory);
        for (const auto& p : spec.params) CHECK(!p.summary.empty());
    }
    std::set<std::string> injective;
    for (const auto& spec : transform_registry())
        if (spec.injective) injective.insert(spec.name);
    CHECK(injective == std::set<std::string>{"keep", "pseudonym", "fake_email"});
    CHECK(find_transform("fake_ip")->accepts == std::vector<TypeFamily>{TypeFamily::Text, TypeFamily::Inet});
    CHECK(find_transform("json")->accepts == std::vector<TypeFamily>{TypeFamily::Json, TypeFamily::Text});
    CHECK(find_transform("array")->accepts == std::vector<TypeFamily>{TypeFamily::Array});
    CHECK(find_transform("set")->accepts.empty());
    CHECK(accepts_type(*find_transform("keep"), TypeFamily::Bytea));
    CHECK_FALSE(accepts_type(*find_transform("mask"), TypeFamily::Numeric));
    CHECK(find_transform("fake_emial") == nullptr);

    const std::string listing = transforms_listing();
    const std::string markdown = transforms_reference_markdown();
    for (const auto& spec : transform_registry()) {
        CHECK(listing.find("  " + spec.name + " ") != std::string::npos);
        CHECK(markdown.find("## " + spec.name + "\n") != std::string::npos);
        for (const auto& p : spec.params) {
            CHECK(listing.find(p.name + ": ") != std::string::npos);
            CHECK(markdown.find("| `" + p.name + "` |") != std::string::npos);
        }
    }
    CHECK(utf8_ok(listing));
    CHECK(utf8_ok(markdown));
}

TEST_CASE("build_transform: unknown transforms and parameters, with did-you-mean", "[transforms]") {
    auto p = problems_of(config("fake_emial"));
    REQUIRE(p.size() == 1);
    CHECK(p[0].message == "unknown transform \"fake_emial\" — did you mean fake_email? (see pgscrub transforms)");
    CHECK(p[0].where.line == 3);
    CHECK(p[0].where.column == 12);
    CHECK(message_of(config("email")) == "unknown transform \"email\" — did you mean fake_email? (see pgscrub transforms)");
    CHECK(message_of(config("scramble")) ==
          "unknown transform \"scramble\" — valid: keep, null, set, pseudonym, fake_email, fake_first_name, "
          "fake_last_name, fake_name, fake_phone, fake_ip, mask, redact, regex_replace, template, json, array (see "
          "pgscrub transforms)");

    auto q = problems_of(config("fake_email", {{"domian", "example.org"}}));
    REQUIRE(q.size() == 1);
    CHECK(q[0].message == "unknown parameter \"domian\" for fake_email — did you mean domain? valid: domain");
    CHECK(q[0].where.column == 20);
    CHECK(message_of(config("pseudonym", {{"colour", "red"}})) ==
          "unknown parameter \"colour\" for pseudonym — valid: prefix, suffix, length");
    CHECK(message_of(config("fake_name", {{"locale", "fr"}})) ==
          "unknown parameter \"locale\" for fake_name — did you mean locales? valid: locales");
    CHECK(message_of(config("fake_phone", {{"locale", "fr"}})) ==
          "unknown parameter \"locale\" for fake_phone — fake_phone takes no parameters");
    CHECK(message_of(config("fake_email", {{"domain", "a.test"}, {"domain", "b.test"}})) ==
          "parameter \"domain\" given twice for fake_email — keep one");
}

TEST_CASE("build_transform: missing and mistyped parameters", "[transforms]") {
    CHECK(message_of(config("set")) == "missing required parameter \"value\" for set — e.g. {transform: set, value: \"!\"}");
    CHECK(message_of(config("regex_replace", {{"pattern", "x"}})) ==
          "missing required parameter \"replacement\" for regex_replace — e.g. {transform: regex_replace, pattern: "
          "\"^(.).*@\", replacement: \"\\\\1***@\"}");
    CHECK(message_of(config("array")) ==
          "missing required parameter \"each\" for array — e.g. {transform: array, each: fake_email}");

    auto p = problems_of(config("pseudonym", {{"length", "abc"}}));
    REQUIRE(p.size() == 1);
    CHECK(p[0].message == "invalid length \"abc\" for pseudonym — expected an integer from 6 to 52");
    CHECK(p[0].where.column == 20);
    CHECK(message_of(config("pseudonym", {{"length", "80"}})) ==
          "invalid length \"80\" for pseudonym — expected an integer from 6 to 52");
    CHECK(message_of(config("pseudonym", {{"length", "5"}})) ==
          "invalid length \"5\" for pseudonym — expected an integer from 6 to 52");
    CHECK(message_of(config("mask", {{"keep_start", "-1"}})) ==
          "invalid keep_start \"-1\" for mask — expected an integer from 0 to 1000000");
    CHECK(message_of(config("mask", {{"char", "ab"}})) ==
          "invalid char \"ab\" for mask — expected exactly one character, e.g. \"*\"");
    CHECK(message_of(config("mask", {{"char", ""}})) ==
          "invalid char \"\" for mask — expected exactly one character, e.g. \"*\"");
    build_ok(config("mask", {{"char", "👩‍👩‍👧"}}));  // one grapheme cluster is one character
    CHECK(message_of(config("fake_email", {{"domain", "not a domain"}})) ==
          "invalid domain \"not a domain\" for fake_email — expected a domain name such as example.com, example.org "
          "or mail.test (reserved for examples)");

    auto list = config("fake_email");
    TransformConfig::Scalar items;
    items.is_list = true;
    items.items = {"a.test", "b.test"};
    items.where = {4, 5};
    list.scalars.emplace_back("domain", items);
    auto lp = problems_of(list);
    REQUIRE(lp.size() == 1);
    CHECK(lp[0].message == "invalid domain for fake_email — expected a single string, not a list");
    CHECK(lp[0].where.line == 4);

    // Several problems at once.
    auto several = problems_of(config("pseudonym", {{"lenght", "8"}, {"length", "x"}, {"prefx", "u_"}}));
    REQUIRE(several.size() == 3);
    CHECK(several[0].message == "unknown parameter \"lenght\" for pseudonym — did you mean length? valid: prefix, suffix, length");
    CHECK(several[1].message == "invalid length \"x\" for pseudonym — expected an integer from 6 to 52");
    CHECK(several[2].message == "unknown parameter \"prefx\" for pseudonym — did you mean prefix? valid: prefix, suffix, length");
}

TEST_CASE("build_transform: nested transforms are checked, also when their parent is wrong", "[transforms]") {
    auto array = config("array", {{"colour", "red"}});
    auto each = config("fake_emial");
    each.where = {5, 9};
    array.nested.emplace_back("each", each);
    auto p = problems_of(array);
    REQUIRE(p.size() == 2);
    CHECK(p[0].message == "unknown parameter \"colour\" for array — valid: each");
    CHECK(p[1].message == "unknown transform \"fake_emial\" — did you mean fake_email? (see pgscrub transforms)");
    CHECK(p[1].where.line == 5);

    auto wrong_nesting = config("fake_email");
    wrong_nesting.nested.emplace_back("each", config("redact"));
    CHECK(message_of(wrong_nesting) == "unknown parameter \"each\" for fake_email — valid: domain");
    auto path_outside_json = config("array");
    path_outside_json.nested.emplace_back("$.email", config("fake_email"));
    path_outside_json.nested.emplace_back("each", config("fake_email"));
    CHECK(message_of(path_outside_json) == "unknown parameter \"$.email\" for array — valid: each");
    auto scalar_each = config("array", {{"each", "fake_email"}});
    CHECK(message_of(scalar_each) ==
          "invalid each for array — expected a transform, e.g. each: fake_email or each: {transform: redact}");
    CHECK(message_of(config("")) ==
          "missing transform name — e.g. {transform: fake_email}; valid: keep, null, set, pseudonym, fake_email, "
          "fake_first_name, fake_last_name, fake_name, fake_phone, fake_ip, mask, redact, regex_replace, template, "
          "json, array");
}

TEST_CASE("did_you_mean", "[transforms]") {
    const std::vector<std::string> names = {"keep", "null", "set", "pseudonym", "fake_email", "fake_first_name",
                                            "fake_name", "fake_phone", "mask"};
    CHECK(did_you_mean("fake_emial", names) == "fake_email");
    CHECK(did_you_mean("Fake_Email", names) == "fake_email");
    CHECK(did_you_mean("fake-email", names) == "fake_email");
    CHECK(did_you_mean("psuedonym", names) == "pseudonym");
    CHECK(did_you_mean("nul", names) == "null");
    CHECK(did_you_mean("email", names) == "fake_email");
    CHECK(did_you_mean("name", names) == "fake_name");
    CHECK(did_you_mean("phone", names) == "fake_phone");
    CHECK(did_you_mean("encrypt", names) == "");
    CHECK(did_you_mean("keep", names) == "");
    CHECK(did_you_mean("", names) == "");
    CHECK(did_you_mean("domian", {"domain"}) == "domain");
}

TEST_CASE("type_family: types as pg_dump writes them", "[transforms]") {
    const std::vector<std::pair<std::string, TypeFamily>> cases = {
        {"text", TypeFamily::Text},
        {"character varying(150)", TypeFamily::Text},
        {"character varying", TypeFamily::Text},
        {"character(2)", TypeFamily::Text},
        {"varchar", TypeFamily::Text},
        {"name", TypeFamily::Text},
        {"\"char\"", TypeFamily::Text},
        {"public.citext", TypeFamily::Text},
        {"citext", TypeFamily::Text},
        {"json", TypeFamily::Json},
        {"jsonb", TypeFamily::Json},
        {"pg_catalog.jsonb", TypeFamily::Json},
        {"text[]", TypeFamily::Array},
        {"character varying(254)[]", TypeFamily::Array},
        {"integer[][]", TypeFamily::Array},
        {"_text", TypeFamily::Array},
        {"_int4", TypeFamily::Array},
        {"public.mood[]", TypeFamily::Array},
        {"inet", TypeFamily::Inet},
        {"cidr", TypeFamily::Inet},
        {"macaddr", TypeFamily::Other},
        {"bytea", TypeFamily::Bytea},
        {"integer", TypeFamily::Numeric},
        {"bigint", TypeFamily::Numeric},
        {"smallint", TypeFamily::Numeric},
        {"numeric(10,2)", TypeFamily::Numeric},
        {"numeric", TypeFamily::Numeric},
        {"real", TypeFamily::Numeric},
        {"double precision", TypeFamily::Numeric},
        {"date", TypeFamily::Temporal},
        {"time without time zone", TypeFamily::Temporal},
        {"time(3) with time zone", TypeFamily::Temporal},
        {"timestamp with time zone", TypeFamily::Temporal},
        {"timestamp(6) without time zone", TypeFamily::Temporal},
        {"timestamp", TypeFamily::Temporal},
        {"interval", TypeFamily::Temporal},
        {"interval day to second(3)", TypeFamily::Temporal},
        {"boolean", TypeFamily::Boolean},
        {"uuid", TypeFamily::Other},
        {"xml", TypeFamily::Other},
        {"public.mood", TypeFamily::Other},
        {"\"CRM\".\"Status\"", TypeFamily::Other},
        {"public.\"text\"", TypeFamily::Other},
        {"public.text", TypeFamily::Other},
        {"", TypeFamily::Other},
    };
    for (const auto& [type, family] : cases) {
        INFO(type);
        CHECK(type_family_name(type_family(type)) == std::string(type_family_name(family)));
    }
}

// ---- throughput (hidden; run with "[.benchmark]") ----------------------------------------------------------

TEST_CASE("throughput of fake_email, pseudonym, fake_ip, fake_name and mask", "[.benchmark]") {
    std::vector<std::string> values;
    std::vector<std::string> addresses;
    for (int i = 0; i < 200000; ++i) {
        values.push_back("Person.Number" + std::to_string(i) + "@Example.org");
        addresses.push_back("10." + std::to_string(i / 65536) + "." + std::to_string(i / 256 % 256) + "." + std::to_string(i % 256));
    }
    for (const auto& c : {config("fake_email"), config("pseudonym"), config("fake_name"), config("fake_ip"),
                          config("mask", {{"keep_start", "1"}, {"keep_end", "4"}})}) {
        auto t = build_ok(c);
        TransformContext context{kKey, nullptr};
        std::size_t bytes = 0;
        const auto& inputs = c.name == "fake_ip" ? addresses : values;
        const auto start = std::chrono::steady_clock::now();
        for (const auto& v : inputs) bytes += t->apply(std::string_view(v), context)->size();
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::cout << c.name << ": " << static_cast<int>(values.size() / seconds / 1000) << " k values/s, "
                  << static_cast<int>(seconds * 1e9 / static_cast<double>(values.size())) << " ns/value (" << bytes
                  << " bytes out)\n";
    }
}
