// Run files (`pgscrub run`): what a valid one loads into, and how a wrong one
// is reported: every problem at FILE:LINE:COL, all of them at once.

#include "runbook/runbook_file.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <string>

using pgscrub::rules::RulesError;
using pgscrub::runbook::parse_run_file;
using pgscrub::runbook::RunStep;

namespace {

// The diagnostics of a run file that must fail, one formatted line each.
std::vector<std::string> problems_of(const std::string& yaml) {
    try {
        parse_run_file(yaml, "ops/reset.yaml", "20261207T010000Z");
    } catch (const RulesError& e) {
        std::vector<std::string> lines;
        for (const auto& d : e.diagnostics()) lines.push_back(d.format());
        return lines;
    }
    FAIL("the run file was accepted");
    return {};
}

} // namespace

TEST_CASE("run file: a valid one loads with paths relative to its folder and the timestamp filled in", "[runbook]") {
    ::setenv("PGSCRUB_TEST_BACKUP_URL", "https://backups.example/latest.dump?sig=abc", 1);
    const auto run = parse_run_file(R"(version: 1
source:
  dump: "${PGSCRUB_TEST_BACKUP_URL}"
rules: rules/site.yaml
target:
  database: "postgresql:///staging"
  confirm: staging
steps:
  - backup_target: {to: "backups/staging-{timestamp}.dump"}
  - restore: {strategy: swap, jobs: 1}
  - sql:
      - "UPDATE wagtailcore_site SET hostname = 'staging.example.org'"
  - verify: {scan: false}
  - flush_cache: {redis: "redis://127.0.0.1:6379/0"}
report: reports/reset-{timestamp}.md
)",
                                    "ops/reset.yaml", "20261207T010000Z");
    CHECK(run.source_dump == "https://backups.example/latest.dump?sig=abc"); // a URL is not a path
    CHECK(run.source_database.empty());
    CHECK(run.rules_path == "ops/rules/site.yaml");
    CHECK(run.target_database == "postgresql:///staging");
    CHECK(run.target_confirm == "staging");
    CHECK(run.report_path == "ops/reports/reset-20261207T010000Z.md");
    REQUIRE(run.steps.size() == 5);
    CHECK(run.steps[0].kind == RunStep::Kind::BackupTarget);
    CHECK(run.steps[0].backup_to == "ops/backups/staging-20261207T010000Z.dump");
    CHECK(run.steps[1].kind == RunStep::Kind::Restore);
    CHECK(run.steps[1].strategy == RunStep::Strategy::Swap);
    CHECK(run.step(RunStep::Kind::FlushCache) != nullptr);
    CHECK(run.step(RunStep::Kind::CheckUrl) == nullptr);
}

TEST_CASE("run file: every problem is reported at its position, all at once", "[runbook]") {
    const auto lines = problems_of(R"(version: 1
source:
  dump: a.dump
  database: "postgresql:///prod"
target:
  confirm: staging
steps:
  - restore: {strategy: sideways}
)");
    auto has = [&](const std::string& text) {
        for (const auto& l : lines)
            if (l.find(text) != std::string::npos) return true;
        return false;
    };
    CHECK(has("ops/reset.yaml:"));
    CHECK(has("rules:"));                  // no rules file named
    CHECK(has("target: needs database:")); // a target without its database
    CHECK(has("unknown strategy \"sideways\""));
    CHECK(has("source: needs exactly one of dump:")); // both given
    for (const auto& l : lines) CHECK(l.rfind("ops/reset.yaml:", 0) == 0);
    CHECK(lines.size() >= 4);
}

TEST_CASE("run file: an empty file or one of only comments is reported at 1:1", "[runbook]") {
    for (const char* text : {"", "# nothing here yet\n"}) {
        const auto lines = problems_of(text);
        REQUIRE(!lines.empty());
        CHECK(lines[0].rfind("ops/reset.yaml:1:1: error: ", 0) == 0);
    }
}
