#pragma once
// The current time in UTC, in the two spellings pgscrub writes: ISO 8601 for
// reports and manifests, and a compact stamp for names (databases, files).
// UTC, so that names sort in time order and mean the same on every machine.

#include <string>

namespace pgscrub::common {

// "2026-12-07T01:58:15Z"
std::string utc_timestamp();

// "20261207_015815": for database and file names (no letters or signs, so a
// side database's name needs no quoting in SQL).
std::string compact_utc_stamp();

} // namespace pgscrub::common
