#pragma once
// The small things a run asks of a live database after (or before) a
// restore: its name, its row counts, one column's values, and the SQL
// fix-ups of a run file in one transaction.

#include "db/database_address.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pgscrub::db {

// SELECT current_database(): the name a confirmation is compared with.
std::string current_database_name(const DatabaseAddress& address);

// Rows per table that holds rows ("schema.table" -> count), counted exactly.
std::map<std::string, std::uint64_t> count_rows(const DatabaseAddress& address);

// The distinct non-NULL values of `table`.`column` ("schema.table" or a bare
// public table); empty when the table or column does not exist.
std::vector<std::string> column_values(const DatabaseAddress& address, const std::string& table, const std::string& column);
// The same, but nullopt when the table or column does not exist, for callers
// that must tell "no rows" from a misspelt name (media verify's --expect).
std::optional<std::vector<std::string>> existing_column_values(const DatabaseAddress& address, const std::string& table,
                                                               const std::string& column);

// Runs `statements` in one transaction: all or nothing. Throws ArchiveError
// naming the statement's number (not its text: it may hold values) and the
// server's message.
void run_in_transaction(const DatabaseAddress& address, const std::vector<std::string>& statements);

} // namespace pgscrub::db
