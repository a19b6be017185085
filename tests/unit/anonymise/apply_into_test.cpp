// Transform::apply_into, which the row rewriter calls with one buffer per
// column kept from row to row (anonymise/transform.hpp): every transform must
// replace the buffer's content (never append to it), write the same value
// apply() returns, and leave a roomy buffer where it is (no new allocation).
#include "transform_helpers.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace pgscrub::test;

namespace {

TransformConfig nested(std::string name, std::vector<std::pair<std::string, TransformConfig>> children) {
    TransformConfig c = config(std::move(name));
    for (auto& [key, child] : children) c.nested.emplace_back(key, std::move(child));
    return c;
}

struct Case {
    const char* label;
    TransformConfig config;
    std::vector<std::string> inputs; // two or more, applied one after another into one buffer
};

std::vector<Case> cases() {
    return {
        {"fake_ip", config("fake_ip"), {"10.1.2.3", "2001:db8:1::7/64", "172.16.0.1"}},
        {"fake_email", config("fake_email"), {"ann.smith@corp.example.net", "b@c.org"}},
        {"fake_name", config("fake_name"), {"Zoë Smith", "王伟", "Ann"}},
        {"fake_first_name", config("fake_first_name"), {"Ann", "Léa"}},
        {"fake_last_name", config("fake_last_name"), {"Smith", "Dubois"}},
        {"fake_phone", config("fake_phone"), {"+44 20 7946 0018", "555-0100"}},
        {"pseudonym", config("pseudonym", {{"prefix", "user_"}}), {"ann", "bob"}},
        {"mask", config("mask", {{"keep_start", "1"}}), {"a rather long secret value here", "xy"}},
        {"keep", config("keep"), {"kept as it is, and longer than inline", "k"}},
        {"set", config("set", {{"value", "fixed"}}), {"one", "two"}},
        {"regex_replace",
         config("regex_replace", {{"pattern", "[0-9]+"}, {"replacement", "N"}}),
         {"ref 123 and 456", "none"}},
        {"redact", config("redact"), {"mail ann@corp.com or call 020 7946 0018", "nothing here"}},
        {"json",
         nested("json", {{"others", config("mask", {{"keep_start", "1"}})}}),
         {R"({"theme": "dark", "tags": ["0b8e0a5c-5d1f-4b6b-9c43-1e0f6a2b7c9d", "tag"]})", R"([1, "x"])",
          R"({"a": 1})"}},
        {"json with a path",
         nested("json", {{"$.email", config("fake_email")}}),
         {R"({"email": "ann@corp.com", "n": 2})", R"({"other": "x"})"}},
        {"array", nested("array", {{"each", config("fake_email")}}), {"{a@b.org,NULL,\"c d@e.org\"}", "{}"}},
    };
}

} // namespace

TEST_CASE("apply_into: replaces the buffer's content with apply()'s value, in the buffer it was given", "[transform]") {
    for (const Case& c : cases()) {
        INFO(c.label);
        const auto t = build_ok(c.config);
        const TransformContext context{kKey, nullptr};
        std::string out;
        out.reserve(1024);
        out.assign(300, '#'); // stale content a broken transform would append to
        const char* const data = out.data();
        const std::size_t capacity = out.capacity();
        for (const std::string& input : c.inputs) {
            INFO(input);
            const auto expected = t->apply(std::string_view(input), context);
            REQUIRE(expected);
            REQUIRE(t->apply_into(std::string_view(input), context, out));
            CHECK(out == *expected);
            CHECK(out.data() == data);
            CHECK(out.capacity() == capacity);
        }
    }
}

TEST_CASE("apply_into: NULL is false, whatever the buffer held", "[transform]") {
    const TransformContext context{kKey, nullptr};
    std::string out = "stale";
    for (const Case& c : cases()) {
        if (c.config.name == "set") continue; // below
        INFO(c.label);
        CHECK_FALSE(build_ok(c.config)->apply_into(std::nullopt, context, out));
    }
    CHECK_FALSE(build_ok(config("null"))->apply_into(std::string_view("value"), context, out));
    // set fills a NULL too, and replaces what the buffer held.
    CHECK(build_ok(config("set", {{"value", "v"}}))->apply_into(std::nullopt, context, out));
    CHECK(out == "v");
}

TEST_CASE("apply_into: template reads the row into the buffer it was given", "[transform]") {
    const auto t = build_ok(config("template", {{"format", "Dear {first} {last}"}}));
    MapRow row;
    row.values["first"] = "Ann";
    row.values["last"] = std::nullopt;
    const TransformContext context{kKey, &row};
    std::string out;
    out.reserve(256);
    out = "stale content";
    const char* const data = out.data();
    REQUIRE(t->apply_into(std::string_view("x"), context, out));
    CHECK(out == "Dear Ann ");
    row.values["last"] = "Smith";
    REQUIRE(t->apply_into(std::string_view("x"), context, out));
    CHECK(out == "Dear Ann Smith");
    CHECK(out.data() == data);
}
