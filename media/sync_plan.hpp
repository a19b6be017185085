#pragma once
// What a media sync copies, leaves and deletes, decided from two listings
// before anything is transferred (so `--dry-run` shows exactly what a run
// would do).
//
// A key is copied when the target lacks it, or when the target's copy is not
// the one pgscrub made from the source's current object. Each copy records
// the source's ETag and size (S3: x-amz-meta-pgscrub-source-etag/-size; a
// local target: its manifest) and the target's own fingerprint (ETag, or the
// local file's size and modification time): a changed source, or an edit on
// the target — even one of the same size, which `aws s3 sync` never notices —
// makes the key copy again, and a second run with nothing changed copies
// nothing. Keys outside the filter are neither copied nor deleted.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::media {

// Which keys (relative to the location) take part: those under an include
// prefix (all when none is given) and under no exclude prefix.
struct KeyFilter {
    std::vector<std::string> include;
    std::vector<std::string> exclude;
    bool matches(std::string_view key) const;
};

// `wagtail-originals`: original_images/ only (a developer's local site
// rebuilds renditions on demand); `wagtail-all`: every key. Throws
// common::Error (usage) for another name, listing the presets.
KeyFilter preset_filter(std::string_view name);

// One object of a listing. For the target, `recorded` is what pgscrub wrote
// when it copied the key (absent for an object something else put there).
struct ListedObject {
    std::string key; // relative to the location
    std::uint64_t size = 0;
    std::string fingerprint; // S3: the ETag; local: size and mtime
    struct Record {
        std::string source_etag;
        std::uint64_t source_size = 0;
        std::string target_fingerprint; // the copy's own fingerprint when made ("" on S3: its metadata goes with it)
    };
    std::optional<Record> recorded;
};

struct SyncPlan {
    struct Copy {
        std::string key;
        std::uint64_t size;
        const char* why; // "missing", "source changed", "target changed", "not copied by pgscrub"
    };
    std::vector<Copy> copies;
    std::vector<std::string> deletions; // target keys the source lacks (with --delete)
    std::uint64_t unchanged = 0;        // keys already in step
    std::uint64_t filtered_out = 0;     // source keys outside the filter
    std::uint64_t bytes_to_copy = 0;
};

// Listings in any order; keys unique within each. `delete_extra`: plan the
// deletion of target keys the source lacks (inside the filter only).
SyncPlan plan_sync(const std::vector<ListedObject>& source, const std::vector<ListedObject>& target,
                   const KeyFilter& filter, bool delete_extra);

} // namespace pgscrub::media
