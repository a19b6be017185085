#include "db/pg_tools.hpp"

#include "db/connection_string.hpp"
#include "db/database_error.hpp"

#include <initializer_list>
#include <sys/stat.h>
#include <unistd.h>

namespace pgscrub::db {

namespace {

bool is_executable_file(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

bool starts_with_any(const std::string& line, std::initializer_list<std::string_view> prefixes) {
    for (std::string_view prefix : prefixes)
        if (line.starts_with(prefix)) return true;
    return false;
}

} // namespace

// ---- PgTools ---------------------------------------------------------------

PgTools::PgTools(std::string bin_dir) : bin_dir_(std::move(bin_dir)) {
    while (bin_dir_.size() > 1 && bin_dir_.back() == '/') bin_dir_.pop_back();
}

std::string PgTools::path(const std::string& tool) const {
    if (!bin_dir_.empty()) {
        std::string candidate = bin_dir_ + "/" + tool;
        if (is_executable_file(candidate)) return candidate;
        throw DatabaseError("no executable " + tool + " in " + bin_dir_ +
                                     " — --pg-bin must name the directory holding pg_dump, pg_restore and psql "
                                     "(e.g. /usr/lib/postgresql/15/bin)",
                                 common::mask_secrets(bin_dir_ + "/" + tool));
    }
    const char* env_path = std::getenv("PATH");
    std::string search = env_path && *env_path ? env_path : "/usr/local/bin:/usr/bin:/bin";
    std::size_t start = 0;
    while (start <= search.size()) {
        std::size_t end = search.find(':', start);
        if (end == std::string::npos) end = search.size();
        // Built in one go: assigning "." afterwards, once inlined, trips a
        // false -Wrestrict warning of GCC 12 (an error under -Werror).
        std::string dir = end > start ? search.substr(start, end - start) : std::string(".");
        std::string candidate = dir + "/" + tool;
        if (is_executable_file(candidate)) return candidate;
        start = end + 1;
    }
    throw DatabaseError("cannot find " + tool + " on the PATH — install the PostgreSQL client tools "
                             "(apt-get install postgresql-client) or give --pg-bin DIR");
}

common::ChildCommand PgTools::command(const std::string& tool) const {
    common::ChildCommand command(tool, path(tool), common::ErrorKind::Database);
    command.summarise_failure = tool_failure_summary;
    return command;
}

// ---- naming and masking ----------------------------------------------------

void connect_to(common::ChildCommand& command, const DatabaseAddress& address) {
    ToolConnection connection = tool_connection(address);
    // Never prompt on a terminal: a missing password is an error, not a hang.
    command.arguments.push_back("--no-password");
    if (!connection.conninfo.empty()) {
        command.arguments.push_back("--dbname");
        command.arguments.push_back(connection.conninfo);
    }
    if (!connection.password.empty()) {
        command.environment.emplace_back("PGPASSWORD", connection.password);
        command.secrets.add(connection.password);
    }
}

std::string tool_failure_summary(const std::string& stderr_text) {
    const std::vector<std::string> lines = common::stderr_lines(stderr_text);
    for (std::size_t i = 0; i < lines.size(); ++i) {
        const std::string& line = lines[i];
        bool is_error = line.find(": error: ") != std::string::npos || starts_with_any(line, {"ERROR:", "FATAL:", "error:"});
        if (!is_error) continue;
        std::size_t end = i + 1;
        // Continuation lines (libpq's "server closed the connection
        // unexpectedly"), but nothing that quotes SQL or values.
        while (end < lines.size() && end < i + 2 &&
               !starts_with_any(lines[end], {"Command was:", "CONTEXT:", "LINE ", "DETAIL:", "HINT:", "QUERY:", "pg_"}) &&
               lines[end].find(": error: ") == std::string::npos)
            ++end;
        return common::join_stderr_lines(lines, i, end);
    }
    return common::stderr_tail_summary(stderr_text);
}

} // namespace pgscrub::db
