#pragma once
// A database address taken apart by libpq and put back together as a conninfo
// string: to point at another database of the same server (the maintenance
// database, a fresh database beside the target) with the same credentials,
// and to hand a child tool (pg_dump, pg_restore) the address without its
// password, which then travels in PGPASSWORD and never on a command line.

#include "db/database_address.hpp"

#include <string>
#include <utility>
#include <vector>

namespace pgscrub::db {

// The options `address` sets, as libpq parsed them (keyword, value), in
// libpq's order. Throws dump::ArchiveError (exit 3) as DatabaseAddress::parse.
std::vector<std::pair<std::string, std::string>> connection_options(const DatabaseAddress& address);

// `value` as a conninfo value: single-quoted, with \ and ' escaped, so
// spaces, quotes and '=' in a database name or password survive.
std::string conninfo_quote(const std::string& value);

// "keyword='value' keyword='value' ..."; "" for no options.
std::string build_conninfo(const std::vector<std::pair<std::string, std::string>>& options);

// The same server, user and password, another database.
DatabaseAddress with_database(const DatabaseAddress& address, const std::string& dbname);

// How a child tool is pointed at `address`: the conninfo without the
// password (for -d) and the password (for PGPASSWORD; "" when the address
// has none, and then the environment's own PGPASSWORD or ~/.pgpass apply).
struct ToolConnection {
    std::string conninfo;
    std::string password;
};
ToolConnection tool_connection(const DatabaseAddress& address);

} // namespace pgscrub::db
