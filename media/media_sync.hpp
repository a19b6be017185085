#pragma once
// `pgscrub media sync`: brings a target in step with a source (sync_plan.hpp
// decides what), on N transfer threads, streaming — an object is never held
// whole in memory unless it is an image being cleaned. What was committed is
// recorded as it goes, and the records are saved when the run ends for any
// reason (an error, Ctrl-C), so a re-run copies nothing twice.

#include "media/sync_plan.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace pgscrub::media {

struct MediaSyncOptions {
    std::string from;
    std::string to;
    KeyFilter filter;
    bool delete_extra = false;
    // With delete_extra: must name the target (its bucket, or its directory's
    // last component), as restore's --confirm names the database.
    std::string confirm;
    int jobs = 8;
    bool dry_run = false;
    bool allow_production_like_target = false;
};

struct MediaSyncResult {
    SyncPlan plan;
    std::uint64_t source_objects = 0;
    std::uint64_t copied = 0;
    std::uint64_t bytes_copied = 0;
    std::uint64_t deleted = 0;
};

// Throws db::GuardrailRefusal (exit 2) for a target the guardrails refuse or
// a --delete without the right --confirm, common::Error for a location that
// cannot be read or written (naming it and the key).
MediaSyncResult run_media_sync(const MediaSyncOptions& options);

// What a run did (or, with --dry-run, would do): one line per key copied or
// deleted in a dry run, then a summary line.
std::string format_media_sync(const MediaSyncResult& result, const MediaSyncOptions& options);

} // namespace pgscrub::media
