#pragma once
// A run file's media steps: `sync_media` (what `pgscrub media sync` does)
// and `verify_media` (what `pgscrub media verify` does), with their options
// taken from the step and the run's guardrails (allow_production_like_target
// and, for verify_media's expect:, the run's target database).
//
// A run checks every media step's guardrails before its first step, as it
// does the database's: a refused bucket never leaves a half-reset staging.

#include "media/media_sync.hpp"
#include "media/media_verify.hpp"
#include "runbook/runbook_file.hpp"

#include <optional>
#include <string>
#include <vector>

namespace pgscrub::runbook {

// What one media step did, for the run's report.
struct MediaStepRecord {
    std::string step; // sync_media or verify_media
    std::string from; // as shown (no credentials: locations carry none)
    std::string to;
    std::optional<media::MediaSyncResult> sync;
    std::optional<media::MediaVerifyResult> verify;
};

media::MediaSyncOptions media_sync_options(const RunFile& run, const RunStep& step);
media::MediaVerifyOptions media_verify_options(const RunFile& run, const RunStep& step);

// Throws db::GuardrailRefusal or common::Error (usage) for a media step the
// run must refuse before touching anything.
void check_media_step(const RunFile& run, const RunStep& step);

// The plan line of a media step (--dry-run and the start of every run).
std::string describe_media_step(const RunFile& run, const RunStep& step);

// Runs the step, appends its record and returns the step's one-line detail.
// An image that could not be cleaned does not fail a sync_media step (it is
// left out and the run exits 1 at the end, as `media sync` does); a
// verify_media that finds a difference fails its step (exit 1).
std::string run_media_step(const RunFile& run, const RunStep& step, std::vector<MediaStepRecord>& records);

// The report's "Media" section (empty when the run had no media step).
std::string media_report_markdown(const std::vector<MediaStepRecord>& records);

} // namespace pgscrub::runbook
