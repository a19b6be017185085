#pragma once
// Where media is read from or written to: an S3 prefix (`s3://bucket/prefix`)
// or a local directory — the SRC and DST of `pgscrub media sync` and
// `media verify`, and of a run file's media steps.
//
// The guardrails that need no network live here too: a target equal to,
// inside or containing its source is refused (a sync into itself would copy
// objects onto themselves, and `--delete` would remove the source's), and so
// is a bucket whose name looks like production unless the caller allows it
// (db::looks_production_like, the rule database targets follow).

#include "common/error.hpp"

#include <string>
#include <string_view>

namespace pgscrub::media {

struct MediaLocation {
    enum class Kind { S3, Local };
    Kind kind = Kind::Local;
    std::string bucket; // S3
    // S3: the key prefix, "" or ending in '/'. Local: the directory as an
    // absolute, lexically normal path without a trailing '/'.
    std::string prefix;
    std::string directory;

    // As messages print it: "s3://bucket/prefix/" or the directory.
    std::string shown() const;
    // The key of `relative` (a key relative to the location) in the bucket.
    std::string key_of(std::string_view relative) const { return prefix + std::string(relative); }
};

// Parses SRC or DST. `s3://bucket[/prefix]` (bucket names as S3 allows them:
// 3–63 characters of a–z, 0–9, '.' and '-'); anything else is a local
// directory, made absolute against the working directory. Throws
// common::Error (usage) naming the text and what is wrong.
MediaLocation parse_location(std::string_view text);

// True when `target` is `source`, lies inside it or contains it.
bool locations_overlap(const MediaLocation& source, const MediaLocation& target);

// Throws db::GuardrailRefusal (exit 2) when `target` is `source`, lies inside
// it or contains it, and when an S3 target's bucket looks like production
// and `allow_production_like_target` is false.
void check_media_target(const MediaLocation& source, const MediaLocation& target, bool allow_production_like_target);

} // namespace pgscrub::media
