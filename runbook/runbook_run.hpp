#pragma once
// `pgscrub run`: a run file's steps, executed in order with guardrails.
//
//   preflight      (always) the target's name equals confirm:, the target is
//                  not the source, not production-like; one lock per target;
//                  the accounts only the target has are listed for the report
//   backup_target  pg_dump -Fc of the target, under a temporary name
//   restore        source -> scrub -> pg_restore, streamed (no unscrubbed copy
//                  on disk). swap: into a fresh database beside the target,
//                  renamed into place when the restore succeeded, so a failed
//                  run leaves the target as it was; in_place: the target
//                  itself is cleaned and restored (after backup_target)
//   sql            the fix-ups, in one transaction
//   verify         row counts equal what scrub wrote; scan: the restored
//                  database has no personal data the rules do not confirm
//   flush_cache    FLUSHDB on the application's Redis
//   check_url      a page answers with the expected status
//   sync_media     `pgscrub media sync`: a bucket or folder copied, images
//                  cleaned of personal metadata (media_steps.hpp)
//   verify_media   `pgscrub media verify`: the target's keys, sizes and
//                  content against the source's, and the keys rows name
//
// A refusal (guardrail) is a RunRefused (exit 2) before anything is touched;
// a failed step is a StepFailed (exit 3) naming the step and how to resume.

#include "common/error.hpp"
#include "runbook/media_steps.hpp"
#include "runbook/runbook_file.hpp"
#include "scrub/scrub_job.hpp"

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgscrub::runbook {

struct RunOptions {
    bool dry_run = false;
    std::string from_step;  // "" = from the first step
    std::string key;        // for the scrub
    bool progress = false;
};

struct StepRecord {
    std::string name;
    std::string detail;   // what it did, one line, passwords masked
    double seconds = 0;
    bool skipped = false; // before --from
    bool failed = false;
};

struct RunRecord {
    std::string run_file;
    std::string started_at;  // UTC
    std::string target;      // masked
    std::string source;      // masked
    std::string rules_sha256;
    std::vector<StepRecord> steps;
    std::vector<std::string> target_only_accounts;
    std::string accounts_spec; // auth_user.email
    std::optional<scrub::ScrubSummary> scrub;
    std::string backup_path;
    std::vector<MediaStepRecord> media; // sync_media and verify_media, in order
    std::string failed_step; // "" when the run succeeded
    std::string failure;     // the error, one line
    double seconds = 0;

    // True when a sync_media step left out an image it could not clean: the
    // run completes and exits 1, as `pgscrub media sync` does.
    bool media_refused_any() const;
};

class RunRefused : public common::Error {
public:
    explicit RunRefused(std::string what) : common::Error(common::ErrorKind::Refused, std::move(what)) {}
};

// Prints the plan: every step and the commands it runs, passwords masked.
std::string describe_plan(const RunFile& run, const RunOptions& options);

// Runs the steps; fills `record` as it goes (also when it throws), so the
// caller can write the report of a failed run.
void execute_run(const RunFile& run, const RunOptions& options, RunRecord& record);

// The Markdown report: what ran, when, how long, rows per table, what was
// truncated, the backup, accounts to recreate, and a note for stakeholders.
std::string run_report_markdown(const RunFile& run, const RunRecord& record);

} // namespace pgscrub::runbook
