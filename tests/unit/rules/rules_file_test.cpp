#include "rules/rules_file.hpp"
#include "rules/scrub_plan.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

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

namespace {
std::vector<std::string> messages_of(std::string_view yaml) {
    try {
        rules::parse_rules(yaml, "r.yaml");
    } catch (const rules::RulesError& e) {
        std::vector<std::string> out;
        for (const auto& d : e.diagnostics()) out.push_back(d.format());
        return out;
    }
    return {};
}
} // namespace

TEST_CASE("Rules file: regression: a YAML alias inside the transform it names is an error, not a crash", "[rules]") {
    // Issue 10 #1: `&t {transform: array, each: *t}` recursed until the stack ran out.
    auto array = messages_of("version: 1\ntables:\n  t:\n    columns:\n      tags: &t {transform: array, each: *t}\n");
    REQUIRE(array.size() == 1);
    CHECK(array[0].starts_with("r.yaml:5:"));
    CHECK(array[0].find("YAML alias") != std::string::npos);
    auto json = messages_of("version: 1\ntables:\n  t:\n    columns:\n      j: &j {transform: json, others: *j}\n");
    REQUIRE(json.size() == 1);
    CHECK(json[0].find("nested more than 32 deep") != std::string::npos);
    // A shared (not self-referring) alias is fine.
    CHECK(messages_of("version: 1\ntables:\n  t:\n    columns:\n      a: &f fake_email\n      b: *f\n").empty());
}

TEST_CASE("Rules file: regression: bytes that are not UTF-8 are refused with their position", "[rules]") {
    // Issue 10 #8: invalid bytes silently became U+FFFD.
    auto latin1 = messages_of("version: 1\n# caf\xe9 au lait\ntables: {}\n");
    REQUIRE(latin1.size() == 1);
    CHECK(latin1[0] == "r.yaml:2:6: error: not UTF-8 here — a rules file is YAML, which is UTF-8: save it as UTF-8");
    CHECK(messages_of("version: 1\ntables:\n  t:\n    columns: {n: {transform: set, value: \"\xc3\"}}\n").size() == 1);
    CHECK(messages_of("version: 1\n# naïve, Zoë, 李雷\ntables: {}\n").empty());
}

TEST_CASE("Rules file: an empty file and a directory say so, with a position", "[rules]") {
    CHECK(messages_of("") == std::vector<std::string>{"r.yaml:1:1: error: the rules file is empty — it needs at least \"version: 1\" and tables:"});
    CHECK(messages_of(" \n\n") .size() == 1);
    try {
        rules::load_rules_file(PGSCRUB_SOURCE_DIR);
        FAIL("a directory was read as a rules file");
    } catch (const rules::RulesError& e) {
        CHECK(e.diagnostics()[0].message.starts_with("is a directory"));
    }
}

TEST_CASE("Rules file: regression: thousands of tables, duplicates found by index, a size limit", "[rules]") {
    // Issue 10 #6: every table was compared with every earlier one (a 4 MB
    // file took 12 s; 50 MB ran out of memory). Now an index: 4 MB in ~1 s.
    std::string yaml = "version: 1\nunlisted_tables: keep\ntables:\n";
    for (int i = 0; i < 20000; ++i) {
        yaml += "  s" + std::to_string(i % 7) + ".t" + std::to_string(i) + ":\n    keep: [id]\n    columns: {email: fake_email}\n";
    }
    rules::RulesFile r = rules::parse_rules(yaml, "big.yaml");
    CHECK(r.tables.size() == 20000);
    REQUIRE(r.rule_for("s6", "t19998"));
    CHECK(r.rule_for("s6", "t19998")->where.line == 3 + 19998 * 3 + 1);
    CHECK_FALSE(r.rule_for("s5", "t19999"));
    // A duplicate far down names the first one's line.
    auto duplicate = messages_of(yaml + "  s0.t7:\n    keep: [id]\n");
    REQUIRE(duplicate.size() == 1);
    CHECK(duplicate[0].find("table \"s0.t7\" has a second rule — the first is at line 25") != std::string::npos);
    // Larger than any real rules file: refused with the limit.
    std::string huge = "version: 1\n# " + std::string(rules::kMaxRulesFileBytes, 'x') + "\n";
    auto refused = messages_of(huge);
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].find("larger than 4 MiB") != std::string::npos);
}

TEST_CASE("the bound plan carries each column's disposition, decided where the run is", "[rules][plan]") {
    using pgscrub::rules::ColumnDisposition;
    const auto rules = pgscrub::rules::parse_rules(R"(version: 1
unlisted_tables: truncate
unlisted_columns: null
tables:
  events:
    reviewed: "no personal data in events"
    keep: [id]
    columns:
      email: fake_email
      note: keep
  sessions: truncate
)",
                                                   "plan.yaml");
    std::vector<pgscrub::dump::Table> tables(3);
    tables[0].name = {"public", "events"};
    tables[0].partitioned = true;
    tables[1].name = {"public", "events_2026"};
    tables[1].parents = {{"public", "events"}};
    tables[1].copy_columns = {"id", "email", "note", "extra"};
    tables[1].data_dump_id = 10;
    tables[2].name = {"public", "logs"};
    tables[2].copy_columns = {"line"};
    tables[2].data_dump_id = 11;
    const auto schema = pgscrub::dump::SchemaModel::from_tables(tables);
    const auto plan = pgscrub::rules::bind_rules(rules, schema);

    const auto* partition = plan.plan_for(10);
    REQUIRE(partition);
    REQUIRE(partition->dispositions.size() == 4);
    const auto* id = partition->disposition("id");
    const auto* email = partition->disposition("email");
    const auto* note = partition->disposition("note");
    const auto* extra = partition->disposition("extra");
    REQUIRE((id && email && note && extra));
    // The partition's data is governed by its parent's rule.
    CHECK(id->rule_table == "public.events");
    CHECK(id->action == ColumnDisposition::Action::Kept);
    CHECK(id->listed);
    CHECK(id->reviewed == std::optional<std::string>("no personal data in events"));
    CHECK(email->action == ColumnDisposition::Action::Transformed);
    CHECK(email->transform == "fake_email");
    CHECK(note->action == ColumnDisposition::Action::Kept);
    CHECK(note->listed);
    CHECK(extra->action == ColumnDisposition::Action::Nulled); // unlisted_columns: null
    CHECK_FALSE(extra->listed);
    // And the run does exactly that: email and extra are rewritten, id and note are not.
    REQUIRE(partition->columns.size() == 4);
    CHECK(partition->columns[0].transform == nullptr);
    CHECK(partition->columns[1].transform != nullptr);
    CHECK(partition->columns[2].transform == nullptr);
    CHECK(partition->columns[3].transform != nullptr);

    const auto* logs = plan.plan_for(11);
    REQUIRE(logs);
    CHECK(logs->action == pgscrub::rules::TableAction::Truncate); // unlisted_tables: truncate
    REQUIRE(logs->disposition("line"));
    CHECK(logs->disposition("line")->action == ColumnDisposition::Action::Truncated);
    CHECK_FALSE(logs->disposition("line")->listed);
    // The resolver the scan of a live database uses says the same.
    auto live = pgscrub::rules::column_disposition(rules, schema, {"public", "events_2026"}, "email");
    CHECK(live.action == email->action);
    CHECK(live.rule_table == email->rule_table);
}

TEST_CASE("regression: unlisted_columns: null, unquoted as the docs write it, is the null policy", "[rules]") {
    // YAML reads an unquoted null as a null node, not the word; it was refused
    // as 'unknown policy "<not a scalar>"'.
    for (const char* text : {"null", "\"null\"", "~"}) {
        const auto rules = pgscrub::rules::parse_rules(std::string("version: 1\nunlisted_columns: ") + text + "\ntables: {}\n", "r.yaml");
        CHECK(rules.unlisted_columns == pgscrub::rules::UnlistedColumns::Null);
    }
}
