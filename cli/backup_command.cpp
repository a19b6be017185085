#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "db/database_address.hpp"
#include "db/database_dump.hpp"
#include "db/pg_tools.hpp"

#include <cstdio>
#include <iostream>

namespace pgscrub::cli {

namespace {
const CommandSpec kBackupSpec{
    "backup",
    "backup --db URL -o FILE [--pg-bin DIR]",
    "Backs up a database with pg_dump -Fc (custom format: pg_restore -l and -j work on it). The archive is\n"
    "written under a temporary name and renamed when pg_dump succeeded, so a failed backup leaves nothing\n"
    "under FILE. Beside it, FILE.manifest.json records its sha256, size, the database and host (password\n"
    "masked), the server and pg_dump versions, the time (UTC) and the pgscrub version. Size and duration are\n"
    "printed on stderr. The password of URL travels to pg_dump in its environment, never on a command line.",
    {
        {"db", 0, "URL", "the database to back up (libpq URL or conninfo)"},
        {"output", 'o', "FILE", "where to write the archive (a regular file)"},
        {"pg-bin", 0, "DIR", "directory holding pg_dump (default: the PATH)"},
        {"help", 'h', "", "show this help"},
    },
    {}};

std::string human_size(std::uint64_t bytes) {
    const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
    double value = static_cast<double>(bytes);
    int unit = 0;
    while (value >= 1024 && unit < 4) {
        value /= 1024;
        ++unit;
    }
    char text[32];
    std::snprintf(text, sizeof text, unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
    return text;
}
} // namespace

int run_backup_command(const std::vector<std::string>& args) {
    ParsedArguments parsed = parse_arguments(kBackupSpec, args);
    if (parsed.has("help")) {
        std::cout << command_help(kBackupSpec);
        return kSuccess;
    }
    if (!parsed.positionals.empty()) throw UsageError("unexpected argument \"" + common::mask_secrets(parsed.positionals[0]) + "\": the database is given with --db URL");
    if (!parsed.has("db")) throw UsageError("backup needs the database: --db URL");
    if (!parsed.has("output")) throw UsageError("backup needs a file to write: -o FILE");
    std::string output = *parsed.get("output");
    if (output.empty() || output == "-") throw UsageError("backup writes a file (its manifest describes the file's bytes): give -o FILE, not -o -");
    db::DatabaseAddress source = db::DatabaseAddress::parse(*parsed.get("db"));
    db::PgTools tools(parsed.get("pg-bin").value_or(""));

    db::BackupResult backup = db::backup_database(source, output, tools);
    std::fprintf(stderr, "pgscrub backup: %s (%s, database %s, PostgreSQL %s) in %.1f s; sha256 %s; manifest %s\n",
                 backup.path.c_str(), human_size(backup.size).c_str(), backup.database.c_str(), backup.server_version.c_str(),
                 backup.seconds, backup.sha256.c_str(), backup.manifest_path.c_str());
    return kSuccess;
}

} // namespace pgscrub::cli
