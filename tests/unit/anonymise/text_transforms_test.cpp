// Text transforms (anonymise/simple_transforms.hpp): mask, regex_replace and
// template, and the Unicode helpers they stand on (anonymise/unicode_text.hpp).

#include "transform_helpers.hpp"
#include "anonymise/simple_transforms.hpp"
#include "anonymise/unicode_text.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

using namespace pgscrub::anonymise;
using namespace pgscrub::test;
using namespace std::string_literals;
using namespace std::string_view_literals;

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
