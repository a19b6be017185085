#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/secret_key.hpp"
#include "common/byte_stream.hpp"
#include "common/utc_time.hpp"
#include "db/guardrails.hpp"
#include "report/scrub_report.hpp"
#include "rules/rules_file.hpp"
#include "runbook/runbook_run.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <iostream>

namespace pgscrub::cli {

namespace {

const CommandSpec kRunSpec{
    "run",
    "run a run file: back up, scrub into the target, fix up, verify (guarded)",
    "run RUNFILE [--dry-run] [--yes] [--from STEP] [--secret-file FILE]",
    "Runs a run file (docs/runbook.md): back up the target, stream the source through scrub into\n"
    "pg_restore, fix up, verify, flush the cache, check the site, and write a report. Guardrails refuse\n"
    "(exit 2, before anything is touched) a confirm: name that is not the target's, a target that is the\n"
    "source, and a production-like target. --dry-run prints the plan, passwords masked, and touches nothing.",
    {
        flag_option("dry-run", 0, "print the plan and stop")
            .with_doc("print the plan (passwords masked), check the guardrails, and stop: nothing is touched"),
        flag_option("yes", 'y', "do not ask for the target's name on the terminal"),
        text_option("from", 0, "STEP", "resume at STEP (backup_target, restore, sql, verify, flush_cache, check_url, sync_media, verify_media)")
            .with_doc("resume at STEP (`backup_target`, `restore`, `sql`, `verify`, `flush_cache`, `check_url`, `sync_media`, "
                      "`verify_media`), "
                      "as a failed run says")
            .suggesting({"backup_target", "restore", "sql", "verify", "flush_cache", "check_url", "sync_media",
                         "verify_media"}),
        path_option("secret-file", 0, "FILE", "read the scrub key from FILE instead of the rules' secret_env variable")
            .with_doc("read the scrub key from FILE instead of the rules' `secret_env` variable"),
    },
    {"RUNFILE"},
    "run needs one run file: pgscrub run RUNFILE [--dry-run] [--yes]"};

// Without --yes, a person types the target's name: the last guard against
// running the right file against the wrong database.
bool confirmed_on_terminal(const runbook::RunFile& run) {
    if (!::isatty(STDIN_FILENO)) return false;
    std::fprintf(stderr, "pgscrub run: this replaces the target database's data. Type its name (%s) to go on: ",
                 run.target_confirm.c_str());
    std::string answer;
    std::getline(std::cin, answer);
    return answer == run.target_confirm;
}

int run_run(const ParsedArguments& parsed) {
    std::string timestamp = common::utc_timestamp();
    timestamp.erase(std::remove(timestamp.begin(), timestamp.end(), '-'), timestamp.end());
    timestamp.erase(std::remove(timestamp.begin(), timestamp.end(), ':'), timestamp.end());
    runbook::RunFile run = runbook::load_run_file(parsed.positionals[0], timestamp);

    runbook::RunOptions options;
    options.dry_run = parsed.has("dry-run");
    options.from_step = parsed.get("from").value_or("");
    options.progress = ::isatty(STDERR_FILENO);
    std::fputs(runbook::describe_plan(run, options).c_str(), stderr);

    runbook::RunRecord record;
    try {
        if (!options.dry_run) {
            rules::RulesFile rules = rules::load_rules_file(run.rules_path);
            options.key = read_key(rules, parsed.get("secret-file"));
            if (!parsed.has("yes") && !confirmed_on_terminal(run)) {
                throw runbook::RunRefused("not confirmed: give --yes, or type the target's name when asked on a terminal");
            }
        }
        runbook::execute_run(run, options, record);
    } catch (const common::Error& e) {
        switch (e.kind()) {
        case common::ErrorKind::Usage:
        case common::ErrorKind::Rules: throw; // printed by main, as for every command
        case common::ErrorKind::Refused:
            std::fprintf(stderr, "pgscrub run: refused: %s\n", e.what());
            return common::exit_code(e.kind());
        default: break;
        }
        if (record.failed_step.empty()) record.failed_step = "preflight";
        record.failure = e.describe();
        std::fprintf(stderr, "pgscrub run: step %s failed: %s\n", record.failed_step.c_str(), e.describe().c_str());
        std::fprintf(stderr, "pgscrub run: fix the cause, then resume with: pgscrub run %s --from %s\n", run.path.c_str(),
                     record.failed_step.c_str());
        if (!run.report_path.empty()) common::write_whole_file(run.report_path, runbook::run_report_markdown(run, record));
        return common::exit_code(e.kind());
    }
    if (options.dry_run) {
        std::fputs("pgscrub run: dry run: guardrails passed, nothing was touched\n", stderr);
        return kSuccess;
    }
    if (!run.report_path.empty()) {
        common::write_whole_file(run.report_path, runbook::run_report_markdown(run, record));
        std::fprintf(stderr, "pgscrub run: report written to %s\n", run.report_path.c_str());
    }
    if (record.media_refused_any()) {
        std::fprintf(stderr, "pgscrub run: done in %.1f s, but some images were not copied: they cannot be cleaned (see the report)\n",
                     record.seconds);
        return kProblemsFound;
    }
    std::fprintf(stderr, "pgscrub run: done in %.1f s\n", record.seconds);
    return kSuccess;
}

} // namespace

Command run_command() { return {&kRunSpec, run_run}; }

} // namespace pgscrub::cli
