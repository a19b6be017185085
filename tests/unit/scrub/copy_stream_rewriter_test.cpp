// The row path of a transformed table: fields no rule touches are copied
// byte for byte, transformed fields are decoded, rewritten and re-encoded,
// and a template sees the other columns' output, never their original values.
#include "anonymise/fakes.hpp"
#include "anonymise/transform_registry.hpp"
#include "scrub/copy_stream_rewriter.hpp"

#include "column_plans.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub;

namespace {

std::string rewrite(const rules::TablePlan& plan, const anonymise::KeyedHash& key, std::string_view input,
                    std::size_t piece) {
    common::StringSink out;
    scrub::CopyStreamRewriter rewriter(out, static_cast<int>(plan.columns.size()), &plan, &key, {});
    for (std::size_t at = 0; at < input.size(); at += piece) rewriter.write(input.substr(at, piece));
    rewriter.finish();
    return out.data;
}

} // namespace

TEST_CASE("rewriter: kept fields byte for byte, transformed fields re-encoded, trailer kept", "[scrub]") {
    anonymise::KeyedHash key("unit-test-key-0123456789");
    rules::TablePlan plan;
    plan.action = rules::TableAction::Transform;
    plan.columns.push_back(test::column_plan("id", "keep"));
    plan.columns.push_back(test::column_plan("email", "fake_email"));
    plan.columns.push_back(test::column_plan("note", "keep"));
    auto piece = GENERATE(std::size_t{1}, std::size_t{7}, std::size_t{4096});

    std::string input = "1\tAnn@Example.org\ttab\\there\\\\\n2\t\\N\t\\N\n\\.\n\n\n";
    std::string expected = "1\t" + anonymise::fake_email(key, "Ann@Example.org") + "\ttab\\there\\\\\n2\t\\N\t\\N\n\\.\n\n\n";
    REQUIRE(rewrite(plan, key, input, piece) == expected);
}

TEST_CASE("rewriter: a template reads the other columns' transformed values", "[scrub]") {
    anonymise::KeyedHash key("unit-test-key-0123456789");
    rules::TablePlan plan;
    plan.action = rules::TableAction::Transform;
    plan.needs_row = true;
    plan.columns.push_back(test::column_plan("greeting", "template", {{"format", "Dear {first} ({id})"}}));
    plan.columns.push_back(test::column_plan("first", "fake_first_name"));
    plan.columns.push_back(test::column_plan("id", "keep"));

    std::string out = rewrite(plan, key, "x\tAnn\t7\n\\.\n\n\n", 4096);
    std::string fake = anonymise::fake_first_name(key, "Ann");
    REQUIRE(out == "Dear " + fake + " (7)\t" + fake + "\t7\n\\.\n\n\n");
    REQUIRE(out.find("Ann") == std::string::npos);
}

TEST_CASE("rewriter: a row with the wrong number of fields is an error naming the row", "[scrub]") {
    anonymise::KeyedHash key("unit-test-key-0123456789");
    rules::TablePlan plan;
    plan.action = rules::TableAction::Transform;
    plan.columns.push_back(test::column_plan("a", "keep"));
    plan.columns.push_back(test::column_plan("b", "fake_email"));
    try {
        rewrite(plan, key, "1\tx\n2\n\\.\n\n\n", 4096);
        FAIL("no error");
    } catch (const common::Error& e) {
        REQUIRE(std::string(e.what()).find("row 2 (byte 4 of the COPY data) has 1 fields, but the COPY statement lists 2 columns") == 0);
    }
}
