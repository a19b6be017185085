#pragma once
// Which server and database a connection really reaches, asked of the
// server itself: two addresses that look different (a host name and its IP,
// a socket and localhost) may still reach the same database.

#include "db/database_address.hpp"

#include <optional>
#include <string>

namespace pgscrub::db {

struct ServerIdentity {
    std::string system_identifier; // pg_control_system(): "" when not allowed to ask
    std::string database;          // current_database()
    std::string server_version;    // SHOW server_version
};

// Connects and asks; throws dump::ArchiveError (exit 3, address masked) when
// the database cannot be reached.
ServerIdentity read_server_identity(const DatabaseAddress& address);

// libpq/libpqxx messages span lines and indent with tabs: one line, masked.
std::string one_line_message(const std::string& text);

} // namespace pgscrub::db
