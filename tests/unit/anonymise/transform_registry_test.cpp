// The transform registry (anonymise/transform_registry.hpp): what holds for
// every transform (NULL, blank values, UTF-8), the list and its descriptions,
// and the exact validation messages rules files get.

#include "transform_helpers.hpp"
#include "anonymise/transform_registry.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <iostream>
#include <set>
#include <string>
#include <vector>

using namespace pgscrub::anonymise;
using namespace pgscrub::test;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

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

} // namespace

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
