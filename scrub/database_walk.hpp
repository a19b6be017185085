#pragma once
// The table walk of table_walk.hpp over a live database: its catalog gives
// the tables and column types, COPY ... TO STDOUT gives the rows, all in one
// repeatable-read snapshot.

#include "scrub/table_walk.hpp"

#include <string>

namespace pgscrub::scrub {

// `address`: a libpq URL or conninfo. Throws ArchiveError (exit 3) when the
// database cannot be reached or read, the password masked.
void walk_database(const std::string& address, RowVisitor& visitor);

} // namespace pgscrub::scrub
