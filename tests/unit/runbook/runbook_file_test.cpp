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

TEST_CASE("run file: rules: preset:NAME names a shipped preset, not a file beside the run file", "[runbook]") {
    const auto run = parse_run_file(R"(version: 1
source:
  dump: prod.dump
rules: preset:wagtail
target:
  database: "postgresql:///staging"
  confirm: staging
steps:
  - restore: {}
)",
                                    "ops/reset.yaml", "20261207T010000Z");
    CHECK(run.rules_path == "preset:wagtail");
    CHECK(run.source_dump == "ops/prod.dump");
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

TEST_CASE("run file: media steps take sync and verify options, local folders relative to the file", "[runbook]") {
    const auto run = parse_run_file(R"(version: 1
source: {dump: a.dump}
rules: r.yaml
target: {database: "postgresql:///staging", confirm: staging}
steps:
  - sync_media: {from: "s3://media.example.org", to: "s3://staging-media/site", preset: wagtail-all, delete: true,
                 confirm: staging-media, jobs: 4, unstrippable: copy}
  - restore: {}
  - sync_media: {from: "s3://media.example.org", to: media, include: [original_images/, documents/],
                 exclude: original_images/tmp/, strip_metadata: false}
  - verify_media: {from: "s3://media.example.org", to: media, expect: [wagtailimages_image.file, wagtaildocs_document.file],
                   exact: true}
)",
                                    "ops/reset.yaml", "20261207T010000Z");
    REQUIRE(run.steps.size() == 4);
    const RunStep::Media& bucket = run.steps[0].media;
    CHECK(run.steps[0].kind == RunStep::Kind::SyncMedia);
    CHECK(bucket.from == "s3://media.example.org"); // an S3 location is not a path
    CHECK(bucket.to == "s3://staging-media/site");
    CHECK(bucket.preset == "wagtail-all");
    CHECK(bucket.delete_extra);
    CHECK(bucket.confirm == "staging-media");
    CHECK(bucket.jobs == 4);
    CHECK(bucket.copy_unstrippable);
    CHECK(bucket.strip_metadata);
    const RunStep::Media& local = run.steps[2].media;
    CHECK(local.to == "ops/media");
    CHECK(local.include == std::vector<std::string>{"original_images/", "documents/"});
    CHECK(local.exclude == std::vector<std::string>{"original_images/tmp/"});
    CHECK_FALSE(local.strip_metadata);
    CHECK_FALSE(local.delete_extra);
    CHECK(run.steps[3].kind == RunStep::Kind::VerifyMedia);
    CHECK(run.steps[3].media.expect == std::vector<std::string>{"wagtailimages_image.file", "wagtaildocs_document.file"});
    CHECK(run.steps[3].media.exact);
}

TEST_CASE("run file: a wrong media step is reported at its position", "[runbook]") {
    const auto lines = problems_of(R"(version: 1
source: {dump: a.dump}
rules: r.yaml
target: {database: "postgresql:///staging", confirm: staging}
steps:
  - verify_media: {from: a, to: b, expect: [wagtailimages_image.file]}
  - restore: {}
  - sync_media: {from: a, to: b, delete: true}
  - sync_media: {from: a, preset: wagtail-everything}
  - sync_media: {from: a, to: b, preset: wagtail-all, include: x/, expect: [t.c]}
  - verify_media: {from: a, to: b, expect: [file], unstrippable: sometimes}
)");
    auto has = [&](const std::string& text) {
        for (const auto& l : lines)
            if (l.find(text) != std::string::npos) return true;
        return false;
    };
    CHECK(has("ops/reset.yaml:6:5: error: verify_media must come after restore")); // expect: reads the restored rows
    CHECK(has("ops/reset.yaml:8:5: error: sync_media with delete: true needs confirm:"));
    CHECK(has("unknown preset \"wagtail-everything\""));
    CHECK(has("ops/reset.yaml:9:5: error: sync_media needs from: and to:"));
    CHECK(has("give preset: or include:/exclude:, not both"));
    CHECK(has("unknown option \"expect\" of sync_media"));
    CHECK(has("expect: names TABLE.COLUMN"));
    CHECK(has("unstrippable: is refuse"));
}

TEST_CASE("run file: media steps without expect: may come before the restore", "[runbook]") {
    const auto run = parse_run_file(R"(version: 1
source: {dump: a.dump}
rules: r.yaml
target: {database: "postgresql:///staging", confirm: staging}
steps:
  - sync_media: {from: a, to: b}
  - verify_media: {from: a, to: b}
  - restore: {}
)",
                                    "ops/reset.yaml", "20261207T010000Z");
    CHECK(run.steps.size() == 3);
}

TEST_CASE("run file: an unset variable in a media location is one error, not two", "[runbook]") {
    ::unsetenv("PGSCRUB_TEST_UNSET_MEDIA_ROOT");
    const auto lines = problems_of(R"(version: 1
source: {dump: a.dump}
rules: r.yaml
target: {database: "postgresql:///staging", confirm: staging}
steps:
  - restore: {}
  - sync_media: {from: "s3://media.example.org", to: "${PGSCRUB_TEST_UNSET_MEDIA_ROOT}"}
)");
    REQUIRE(lines.size() == 1);
    CHECK(lines[0].find("environment variable PGSCRUB_TEST_UNSET_MEDIA_ROOT is not set") != std::string::npos);
}
