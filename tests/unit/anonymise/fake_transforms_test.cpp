// Keyed fakes (anonymise/fakes.hpp, simple_transforms.hpp): fake_email,
// pseudonym, fake names, fake_phone and fake_ip: determinism, distinctness
// and the shapes they keep.

#include "transform_helpers.hpp"
#include "anonymise/fakes.hpp"
#include "anonymise/keyed_hash.hpp"
#include "anonymise/name_choice.hpp"
#include "anonymise/name_lists.hpp"
#include "anonymise/simple_transforms.hpp"
#include "anonymise/unicode_text.hpp"

#include <catch2/catch.hpp>

#include <arpa/inet.h>
#include <sys/socket.h>

#include <algorithm>
#include <regex>
#include <set>
#include <span>
#include <string>
#include <string_view>

using namespace pgscrub::anonymise;
using namespace pgscrub::test;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

const KeyedHash kOtherKey("another key");

bool in_list(std::span<const std::string_view> list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

} // namespace

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
