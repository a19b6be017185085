// The streaming JSON writer: compact for --json and reports, indented for
// files people read (the backup manifest).

#include "common/json_writer.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <string>

using pgscrub::common::JsonWriter;

namespace {

void write_sample(JsonWriter& json) {
    json.begin_object();
    json.key("name").value("a\"b");
    json.key("n").value(std::int64_t{-3});
    json.key("list").begin_array().value(true).null().value(0.5).end_array();
    json.key("empty").begin_object().end_object();
    json.key("none").begin_array().end_array();
    json.key("seconds").value_fixed(3.2144, 3);
    json.end_object();
}

} // namespace

TEST_CASE("JsonWriter: compact by default, commas and escapes handled", "[json]") {
    JsonWriter json;
    write_sample(json);
    CHECK(json.text() == R"({"name":"a\"b","n":-3,"list":[true,null,0.5],"empty":{},"none":[],"seconds":3.214})");
}

TEST_CASE("JsonWriter: indented, one member or element a line, empty containers stay closed", "[json]") {
    JsonWriter json(2);
    write_sample(json);
    CHECK(json.text() == "{\n"
                         "  \"name\": \"a\\\"b\",\n"
                         "  \"n\": -3,\n"
                         "  \"list\": [\n"
                         "    true,\n"
                         "    null,\n"
                         "    0.5\n"
                         "  ],\n"
                         "  \"empty\": {},\n"
                         "  \"none\": [],\n"
                         "  \"seconds\": 3.214\n"
                         "}");
    JsonWriter top(4);
    top.begin_array().value("x").end_array();
    CHECK(top.text() == "[\n    \"x\"\n]");
}
