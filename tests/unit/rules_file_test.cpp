#include "rules/rules_file.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub;

TEST_CASE("Rules file: an empty columns: or keep: (YAML null) is an empty list", "[rules]") {
    // Regression: commenting out the last entry under columns: left a YAML
    // null, which was refused as "columns: must map column names to transforms".
    rules::RulesFile r = rules::parse_rules(R"(version: 1
unlisted_tables: fail
unlisted_columns: fail
tables:
  users:
    keep: [id, name]
    columns:
      # email: fake_email
  events:
    keep:
      # - id
    columns:
      id: {transform: set, value: "0"}
)",
                                            "r.yaml");
    REQUIRE(r.tables.size() == 2);
    CHECK(r.tables[0].keep_columns.size() == 2);
    CHECK(r.tables[0].columns.empty());
    CHECK(r.tables[1].keep_columns.empty());
    CHECK(r.tables[1].columns.size() == 1);
}

TEST_CASE("Rules file: keep: and columns: of the wrong shape are still errors", "[rules]") {
    CHECK_THROWS_AS(rules::parse_rules("version: 1\ntables:\n  users:\n    keep: id\n", "r.yaml"), rules::RulesError);
    CHECK_THROWS_AS(rules::parse_rules("version: 1\ntables:\n  users:\n    columns: [email]\n", "r.yaml"), rules::RulesError);
}

TEST_CASE("Rules file: large_objects is keep or drop", "[rules]") {
    CHECK(rules::parse_rules("version: 1\nlarge_objects: drop\ntables: {}\n", "r.yaml").large_objects ==
          rules::LargeObjects::Drop);
    CHECK(rules::parse_rules("version: 1\nlarge_objects: keep\ntables: {}\n", "r.yaml").large_objects ==
          rules::LargeObjects::Keep);
    CHECK(rules::parse_rules("version: 1\ntables: {}\n", "r.yaml").large_objects == rules::LargeObjects::Unset);
    try {
        rules::parse_rules("version: 1\nlarge_objects: maybe\ntables: {}\n", "r.yaml");
        FAIL("large_objects: maybe was accepted");
    } catch (const rules::RulesError& e) {
        REQUIRE(e.diagnostics().size() == 1);
        CHECK(e.diagnostics()[0].where.line == 2);
        CHECK(e.diagnostics()[0].message.find("expected keep or drop") != std::string::npos);
    }
}
