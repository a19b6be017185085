#pragma once
// `pgscrub media verify`: the runbook's "compare the listings of both
// buckets" done right (issue #12; docs/media.md, "media verify"). Read-only
// on both sides: it checks that DST holds what `media sync` from SRC would
// leave there —
//   - every source key inside the filter, with the right size and content:
//     an object that is not an image (or any object, without stripping)
//     holds the source's bytes; an image holds what cleaning the source
//     gives (image_cleaner.hpp), not the source's bytes;
//   - an image that cannot be cleaned is absent (sync refused it); present,
//     it is a failure — an uncleaned personal photo — unless
//     copy_unstrippable says it was copied on purpose, and then it must hold
//     the source's bytes;
//   - with a database, every non-empty value of each expected column is a key
//     of DST (relative to DST's location, whatever the filter).
// Keys only DST holds are reported; they fail only with `exact` (staging may
// hold its own uploads).
//
// Content is compared by MD5 (verify_compare.hpp): an S3 listing's ETag is
// the MD5 of a single-part object, so bucket-to-bucket copies are compared
// without a download; local files, cleaned images and objects without such
// an ETag are hashed as they stream, and a mismatch is confirmed from the
// bytes. Images are read whole under the sync's limit and memory budget.

#include "media/sync_plan.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pgscrub::media {

struct MediaVerifyOptions {
    std::string from;
    std::string to;
    KeyFilter filter;
    bool strip_metadata = true;
    bool copy_unstrippable = false;
    bool exact = false;                        // keys only in DST fail the verification
    std::string database_url;                  // with expected_columns: the database whose rows name keys
    std::vector<std::string> expected_columns; // "table.column" or "schema.table.column"
    int jobs = 8;
    std::size_t max_image_bytes = std::size_t{64} << 20;
    std::uint64_t image_memory_budget = std::uint64_t{160} << 20;
};

struct MediaVerifyProblem {
    std::string key;
    // "missing", "size", "content", "not-cleaned", "unstrippable", "extra",
    // "expected-missing"
    std::string kind;
    std::string detail; // one line: sizes, reasons; never bytes or metadata values
    std::string column; // expected-missing: the "table.column" that names the key
};

struct MediaVerifyResult {
    std::uint64_t source_objects = 0;
    std::uint64_t outside_filter = 0; // source keys outside the filter
    std::uint64_t target_objects = 0;
    std::uint64_t compared = 0; // keys both sides hold, inside the filter
    std::uint64_t matching = 0;
    std::uint64_t images_cleaned = 0;      // source images whose cleaned form was compared
    std::uint64_t unstrippable_absent = 0; // images that cannot be cleaned, rightly absent from DST
    std::uint64_t objects_read = 0;        // objects read whole (downloaded or local), either side
    std::uint64_t bytes_read = 0;
    struct ExpectedColumn {
        std::string column;        // "table.column" as given
        std::uint64_t keys = 0;    // distinct non-empty values
        std::uint64_t missing = 0; // of them, not keys of DST
    };
    std::vector<ExpectedColumn> expected;
    // Failures: missing and differing keys, unstrippable images present,
    // then keys the database names that DST lacks. Each in key order.
    std::vector<MediaVerifyProblem> problems;
    // Keys only DST holds, inside the filter (kind "extra"): failures only
    // when `exact`.
    std::vector<MediaVerifyProblem> extras;
    bool exact = false;

    bool ok() const { return problems.empty() && (!exact || extras.empty()); }
};

// Throws common::Error: usage (exit 2) for a wrong --expect or a database
// without columns and the reverse, and for a table or column the database
// does not have; db::GuardrailRefusal (exit 2) when DST is SRC, lies inside
// it or contains it; input, network or database errors (exit 3) for a
// location or database that cannot be read, naming it (secrets masked).
MediaVerifyResult run_media_verify(const MediaVerifyOptions& options);

// One line per problem ("KIND KEY: detail"), one per key only in DST, then a
// summary line.
std::string format_media_verify(const MediaVerifyResult& result, const MediaVerifyOptions& options);

// The result as JSON (--report): counts, problems, keys only in DST, the
// expected columns.
std::string media_verify_report_json(const MediaVerifyResult& result, const MediaVerifyOptions& options);

} // namespace pgscrub::media
