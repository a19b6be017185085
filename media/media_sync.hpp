#pragma once
// `pgscrub media sync`: brings a target in step with a source (sync_plan.hpp
// decides what), on N transfer threads, streaming — an object is never held
// whole in memory unless it is an image being cleaned. What was committed is
// recorded as it goes, and the records are saved when the run ends for any
// reason (an error, Ctrl-C), so a re-run copies nothing twice.

#include "media/sync_plan.hpp"

#include <cstddef>
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
    // A progress line on stderr while objects are copied (sync_progress.hpp);
    // the CLI sets it when stderr is a terminal and the run is not a dry run.
    bool progress = false;
    bool allow_production_like_target = false;
    // The canned ACL of every object written to an S3 target (x-amz-acl);
    // one of kCannedAcls (media_store.hpp).
    std::string acl = "bucket-owner-full-control";
    // Images (JPEG, PNG, WebP, GIF) are cleaned of personal metadata on the
    // way (image_cleaner.hpp); other objects are copied as they are.
    bool strip_metadata = true;
    // An image that cannot be cleaned (HEIC/AVIF, corrupt, truncated, too
    // large) is not copied and is named in the result; with this, it is
    // copied unchanged instead, with a warning.
    bool copy_unstrippable = false;
    std::size_t max_image_bytes = std::size_t{64} << 20;
    // What all images being cleaned at once may hold (each takes about twice
    // its size): keeps peak memory bounded at any -j.
    std::uint64_t image_memory_budget = std::uint64_t{160} << 20;
};

struct MediaSyncResult {
    SyncPlan plan;
    std::uint64_t source_objects = 0;
    std::uint64_t copied = 0;
    std::uint64_t bytes_copied = 0;
    std::uint64_t deleted = 0;
    std::uint64_t cleaned = 0;        // images written without their metadata
    std::uint64_t metadata_bytes_removed = 0;
    std::map<std::string, std::uint64_t> removed_by_kind; // "gps" -> images that had it
    struct Unstrippable {
        std::string key;
        std::string reason; // "unknown-format", "truncated", ...: fixed text, no image bytes
        std::string detail;
        bool copied_anyway;
    };
    std::vector<Unstrippable> unstrippable; // in key order

    // True when an image was left out because it could not be cleaned (exit 1).
    bool refused_any() const;
};

// Throws db::GuardrailRefusal (exit 2) for a target the guardrails refuse or
// a --delete without the right --confirm, common::Error for a location that
// cannot be read or written (naming it and the key).
MediaSyncResult run_media_sync(const MediaSyncOptions& options);

// What run_media_sync refuses before it contacts anything: for a run file,
// which checks every guardrail before its first step.
void check_media_sync_guardrails(const MediaSyncOptions& options);

// The result as JSON (--report): counts, removals by kind, and every image
// that could not be cleaned, by key.
std::string media_sync_report_json(const MediaSyncResult& result, const MediaSyncOptions& options);

// What a run did (or, with --dry-run, would do): one line per key copied or
// deleted in a dry run, one per image that could not be cleaned, then a
// summary line.
std::string format_media_sync(const MediaSyncResult& result, const MediaSyncOptions& options);

} // namespace pgscrub::media
