// The JSON reader and writer (common/json_text.hpp): jsonb-style text round
// trips byte for byte, escapes decode, and malformed input fails at an offset.
#include "common/json_text.hpp"

#include <catch2/catch.hpp>

#include <cstddef>
#include <string>
#include <utility>

namespace json = pgscrub::common::json;

TEST_CASE("JSON: jsonb-style text round-trips byte for byte", "[json]") {
    const std::string docs[] = {
        R"({"a": [1, 2.50, {"b": null}], "c": "x\"y\\z", "d": true, "e": false})",
        R"({"n": 12345678901234567890.5e-3, "m": -0, "k": 1E+400, "big": 123456789012345678901234567890})",
        R"({"uni": "é中🙂", "ctl": "a\tb\nc\r\u0001\u001f\b\f", "slash": "/"})",
        R"([[[[]]], {}, [{}], "", 0])",
        R"({"dup": 1, "dup": 2, "": "empty key"})",
        R"("just a string")",
        "null",
        "-1.5e-7",
    };
    for (const auto& doc : docs) {
        INFO(doc);
        CHECK(json::serialise(json::parse(doc)) == doc);
    }
}

TEST_CASE("JSON: escapes decode, output escapes only what it must", "[json]") {
    const auto v = json::parse(R"( { "a\u0040b" : "ann\u0040x.org \u00e9 \ud83d\ude42 \/ \" \\ \n" , "x":[ 1 ,2 ] } )");
    REQUIRE(v.type == json::Type::object);
    CHECK(v.keys[0] == "a@b");
    CHECK(v.items[0].text == "ann@x.org \xC3\xA9 \xF0\x9F\x99\x82 / \" \\ \n");
    CHECK(json::serialise(v) == R"({"a@b": "ann@x.org é 🙂 / \" \\ \n", "x": [1, 2]})");
    // Lone surrogates cannot be UTF-8: they become U+FFFD.
    CHECK(json::parse(R"("\ud800x")").text == "\xEF\xBF\xBDx");
    CHECK(json::parse(R"("\udc00")").text == "\xEF\xBF\xBD");
    CHECK(json::parse(R"("\ud800\u0041")").text == "\xEF\xBF\xBD"
                                                   "A");
    CHECK(json::parse(R"("\u0000")").text == std::string(1, '\0'));
    CHECK(json::serialise(json::parse(R"("\u0000\u007f")")) == "\"\\u0000\x7f\"");
}

TEST_CASE("JSON: malformed input is an error with an offset", "[json]") {
    const std::pair<const char*, std::size_t> bad[] = {
        {"", 0},      {"{\"a\":}", 5}, {"[1,]", 3},      {"{\"a\" 1}", 5},   {"\"abc", 4},   {"01", 1},
        {"1.", 2},    {"-", 1},        {"tru", 0},       {"{\"a\":1} x", 8}, {"\"\\x\"", 2}, {"\"a\tb\"", 2},
        {"{1:2}", 1}, {"[1 2]", 3},    {"\"\\u12\"", 3}, {"nul", 0},
    };
    for (const auto& [text, offset] : bad) {
        INFO(text);
        try {
            (void)json::parse(text);
            FAIL("parsed");
        } catch (const json::ParseError& e) {
            CHECK(e.offset() == offset);
        }
    }
    CHECK_THROWS_AS(json::parse(std::string(json::max_depth + 1, '[') + std::string(json::max_depth + 1, ']')),
                    json::ParseError);
    CHECK_NOTHROW(json::parse(std::string(500, '[') + std::string(500, ']')));
    CHECK(json::is_number("-0.5e+3"));
    CHECK_FALSE(json::is_number("+1"));
    CHECK_FALSE(json::is_number("1e"));
    CHECK_FALSE(json::is_number(".5"));
    CHECK_FALSE(json::is_number("0x10"));
}

TEST_CASE("JSON: member finds an object's key, the last of duplicates, nothing in a non-object", "[json]") {
    const json::Value doc = json::parse(R"({"a": 1, "b": {"c": "x"}, "a": 2, "n": null})");
    REQUIRE(json::member(doc, "a") != nullptr);
    CHECK(json::member(doc, "a")->text == "2"); // jsonb keeps the last duplicate
    REQUIRE(json::member(doc, "b") != nullptr);
    CHECK(json::member(*json::member(doc, "b"), "c")->text == "x");
    CHECK(json::member(doc, "n")->type == json::Type::null); // present, and null
    CHECK(json::member(doc, "missing") == nullptr);
    CHECK(json::member(json::parse("[1, 2]"), "a") == nullptr);
    CHECK(json::member(json::parse("\"a\""), "a") == nullptr);
}

TEST_CASE("JSON: parsing into a Value that held another document gives what a fresh parse gives", "[json]") {
    // The json transform parses every row into one reused Value: no node may
    // keep a member, element, key, text or flag of the document before it.
    const char* documents[] = {
        R"({"a": "a long string past the inline size", "b": {"c": [1, true, null, "x"]}, "d": "e"})",
        R"(["p", {"q": "r"}, [[]], 2.5e3])",
        R"({"a": 1})",
        R"("lone string")",
        R"({"k": [true, null, "v"], "a": {}, "z": []})",
        R"(true)",
        R"({"a": {"b": {"c": {"d": "deep"}}}, "b": false})",
        R"([])",
        R"({"a": "a long string past the inline size", "b": {"c": [1, true, null, "x"]}, "d": "e"})",
    };
    json::Value reused;
    for (const char* text : documents) {
        INFO(text);
        json::parse(text, reused);
        CHECK(json::serialise(reused) == text);
        const json::Value fresh = json::parse(text);
        CHECK(json::serialise(reused) == json::serialise(fresh));
        CHECK(reused.items.size() == fresh.items.size());
        CHECK(reused.keys.size() == fresh.keys.size());
    }
    // A document that fails half-way leaves a partial value; the next parse is whole again.
    CHECK_THROWS_AS(json::parse(R"({"a": [1, 2, "x", {"b": )", reused), json::ParseError);
    json::parse(R"({"a": [3]})", reused);
    CHECK(json::serialise(reused) == R"({"a": [3]})");
}
