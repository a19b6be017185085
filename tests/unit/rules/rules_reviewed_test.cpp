// `reviewed:` in rules files: where a reviewer may confirm that kept data is
// not personal, how the bound plan carries it, and how mistakes are reported.

#include "dump/schema_model.hpp"
#include "rules/rules_error.hpp"
#include "rules/rules_file.hpp"
#include "rules/scrub_plan.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace pgscrub;

TEST_CASE("rules: reviewed: on keep entries, kept columns and whole tables", "[rules]") {
    rules::RulesFile r = rules::parse_rules(R"(version: 1
tables:
  notes:
    keep: [id, {column: body, reviewed: "staff notes, checked monthly"}]
    columns:
      title: {transform: keep, reviewed: "titles are public"}
      email: fake_email
  pages: {keep: all, reviewed: "public pages"}
  logs:
    reviewed: "log lines hold no names"
    keep: [id, line]
)", "r.yaml");
    REQUIRE(r.tables.size() == 3);
    CHECK(r.tables[0].keep_columns[1].name == "body");
    CHECK(r.tables[0].keep_columns[1].reviewed == std::optional<std::string>("staff notes, checked monthly"));
    CHECK(r.tables[0].columns[0].reviewed == std::optional<std::string>("titles are public"));
    CHECK(r.tables[1].kind == rules::TableRule::Kind::Keep);
    CHECK(r.tables[1].reviewed == std::optional<std::string>("public pages"));
    CHECK(r.sha256.size() == 64);

    dump::SchemaModel none;
    auto d = [&](const char* table, const char* column) { return rules::column_disposition(r, none, {"public", table}, column); };
    CHECK(d("notes", "body").reviewed == std::optional<std::string>("staff notes, checked monthly"));
    CHECK_FALSE(d("notes", "id").reviewed);
    CHECK(d("notes", "title").reviewed == std::optional<std::string>("titles are public"));
    CHECK(d("notes", "email").action == rules::ColumnDisposition::Action::Transformed);
    CHECK(d("notes", "email").transform == "fake_email");
    CHECK_FALSE(d("notes", "unnamed").listed);
    CHECK(d("pages", "anything").reviewed == std::optional<std::string>("public pages"));
    CHECK(d("logs", "line").reviewed == std::optional<std::string>("log lines hold no names"));
    CHECK_FALSE(d("other", "x").listed);
}

TEST_CASE("rules: reviewed: mistakes name file:line:col", "[rules]") {
    auto problem = [](const char* yaml) {
        try {
            rules::parse_rules(yaml, "r.yaml");
        } catch (const rules::RulesError& e) {
            return e.diagnostics().front().format();
        }
        return std::string("no error");
    };
    CHECK_THAT(problem("version: 1\ntables:\n  t:\n    columns:\n      e: {transform: fake_email, reviewed: \"x\"}\n"),
               Catch::Contains("r.yaml:5:") && Catch::Contains("reviewed: confirms a kept column"));
    CHECK_THAT(problem("version: 1\ntables:\n  t:\n    keep: [{column: a, reviewed: \"  \"}]\n"),
               Catch::Contains("r.yaml:4:") && Catch::Contains("reviewed: needs a reason"));
    CHECK_THAT(problem("version: 1\ntables:\n  t:\n    keep: [{name: a}]\n"), Catch::Contains("expected {column: NAME, reviewed:"));
    CHECK_THAT(problem("version: 1\ntables:\n  t:\n    keep: all\n    columns: {a: null}\n"), Catch::Contains("keep: all keeps the whole table"));
}
