#pragma once
// PostgreSQL's own client tools (pg_dump, pg_restore, psql) as child
// processes (common/child_process.hpp runs them): found in --pg-bin or on
// the PATH, pointed at a database, their failures summarised. A password
// never appears on a command line (it travels in PGPASSWORD) nor in
// anything printed: it is among the command's secrets, masked wherever the
// tool repeats it.

#include "common/child_process.hpp"
#include "db/database_address.hpp"

#include <string>

namespace pgscrub::db {

// Where the tools are: a directory (--pg-bin), or the PATH when none is given.
class PgTools {
public:
    explicit PgTools(std::string bin_dir = "");
    // The absolute path of `tool` ("pg_dump"); throws dump::ArchiveError
    // (exit 3) naming where it looked when there is no executable there.
    std::string path(const std::string& tool) const;
    const std::string& bin_dir() const { return bin_dir_; }
    // A command that runs `tool` from here: its failures are database
    // errors, summarised by tool_failure_summary().
    common::ChildCommand command(const std::string& tool) const;

private:
    std::string bin_dir_;
};

// The arguments of `command` for `tool`'s -d: the target's conninfo without
// its password, which goes to PGPASSWORD in `command.environment` instead.
void connect_to(common::ChildCommand& command, const DatabaseAddress& address);

// What a failed PostgreSQL tool said, on one line: its first error (the line
// with "error:", or ERROR/FATAL) and the lines that continue it, up to two;
// never the "Command was:", CONTEXT, LINE or detail lines after it, which
// quote SQL and row values. Without such a line, the last three lines.
std::string tool_failure_summary(const std::string& stderr_text);

} // namespace pgscrub::db
