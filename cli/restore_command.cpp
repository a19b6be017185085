#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "common/utc_time.hpp"
#include "db/archive_restore.hpp"
#include "db/connection_string.hpp"
#include "db/database_address.hpp"
#include "db/database_admin.hpp"
#include "db/guardrails.hpp"
#include "db/pg_tools.hpp"
#include "dump/archive_error.hpp"

#include <chrono>
#include <cstdio>
#include <iostream>
#include <sys/stat.h>

namespace pgscrub::cli {

namespace {
const CommandSpec kRestoreSpec{
    "restore",
    "restore -i FILE --db URL --confirm NAME [-j N] [--clean] [--strategy in_place|swap] [--pg-bin DIR]",
    "Restores an archive (custom, tar or directory format; FILE - reads a stream) into a database with stock\n"
    "pg_restore --exit-on-error, leaving owners and grants out (--no-owner --no-acl) unless --owner/--acl.\n"
    "Guardrails, checked before anything is touched (refusals exit 2): NAME must equal the target database's\n"
    "name, in the URL and as the server reports it; a target whose name or host contains \"prod\" is refused\n"
    "unless --allow-production-like-target; only one pgscrub run per target at a time (a lock on the server).\n"
    "--strategy swap restores into a fresh database beside the target and swaps it into place only when the\n"
    "restore succeeded, so a failed restore leaves the target as it was. Archives that create extensions in\n"
    "Heroku's heroku_ext schema get that schema created first.",
    {
        {"input", 'i', "FILE", "the archive: a file, a directory (directory format), or - for stdin"},
        {"db", 0, "URL", "the target database (libpq URL or conninfo)"},
        {"confirm", 0, "NAME", "the target database's name, typed again: required"},
        {"jobs", 'j', "N", "pg_restore -j N (a file or directory, not a stream)"},
        {"clean", 0, "", "in place: drop the archive's objects before recreating them (--clean --if-exists)"},
        {"single-transaction", 0, "", "in place: all or nothing (not with -j)"},
        {"strategy", 0, "S", "in_place (default): restore into the target; swap: into a fresh database, then swap"},
        {"keep-old", 0, "", "swap: keep the previous target, renamed NAME_pgscrub_old_<time>, instead of dropping it"},
        {"owner", 0, "", "restore object owners (default: --no-owner)"},
        {"acl", 0, "", "restore grants (default: --no-acl)"},
        {"allow-production-like-target", 0, "", "allow a target whose name or host contains \"prod\""},
        {"pg-bin", 0, "DIR", "directory holding pg_restore (default: the PATH)"},
        {"help", 'h', "", "show this help"},
    },
    {}};

int parse_jobs(const std::string& text) {
    try {
        std::size_t used = 0;
        int jobs = std::stoi(text, &used);
        if (used == text.size() && jobs >= 1 && jobs <= 256) return jobs;
    } catch (const std::exception&) {
    }
    throw UsageError("-j needs a number of jobs from 1 to 256, not \"" + text + "\"");
}
} // namespace

int run_restore_command(const std::vector<std::string>& args) {
    ParsedArguments parsed = parse_arguments(kRestoreSpec, args);
    if (parsed.has("help")) {
        std::cout << command_help(kRestoreSpec);
        return kSuccess;
    }
    if (!parsed.positionals.empty()) throw UsageError("unexpected argument \"" + common::mask_secrets(parsed.positionals[0]) + "\": the archive is given with -i FILE");
    if (!parsed.has("input")) throw UsageError("restore needs an archive: -i FILE (or -i - for stdin)");
    if (!parsed.has("db")) throw UsageError("restore needs the target database: --db URL");
    std::string input = *parsed.get("input");
    std::string strategy = parsed.get("strategy").value_or("in_place");
    if (strategy != "in_place" && strategy != "swap") throw UsageError("--strategy is in_place or swap, not \"" + strategy + "\"");
    bool swap = strategy == "swap";

    db::RestoreOptions options;
    if (parsed.has("jobs")) options.jobs = parse_jobs(*parsed.get("jobs"));
    options.clean = parsed.has("clean");
    options.single_transaction = parsed.has("single-transaction");
    options.keep_owner = parsed.has("owner");
    options.keep_acl = parsed.has("acl");
    if (swap && options.clean) throw UsageError("--clean is for in-place restores: --strategy swap restores into a fresh, empty database");
    if (parsed.has("keep-old") && !swap) throw UsageError("--keep-old goes with --strategy swap");
    if (options.single_transaction && options.jobs > 1) throw UsageError("--single-transaction and -j exclude each other (a pg_restore rule)");
    if (input == "-" && options.jobs > 1) throw UsageError("-j needs a file or directory: pg_restore cannot read a stream in parallel");

    db::DatabaseAddress target = db::DatabaseAddress::parse(*parsed.get("db"));
    db::TargetGuardrails guardrails;
    guardrails.confirm = parsed.get("confirm").value_or("");
    guardrails.allow_production_like_target = parsed.has("allow-production-like-target");
    db::PgTools tools(parsed.get("pg-bin").value_or(""));

    // Refusals first, then the lock, then the first thing that touches anything.
    db::check_target(target, guardrails);
    db::TargetLock lock(target);
    struct stat st {};
    if (input != "-" && ::stat(input.c_str(), &st) != 0) common::throw_system_error(input, "cannot open the archive");
    tools.path("pg_restore");

    auto started = std::chrono::steady_clock::now();
    auto elapsed = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count(); };
    const std::string& name = guardrails.confirm; // equal to the target's name: checked above
    auto note_heroku = [](const db::RestoreOutcome& outcome) {
        if (outcome.created_heroku_ext_schema)
            std::fprintf(stderr, "pgscrub restore: created schema heroku_ext first: the archive's extensions live in it (a Heroku backup)\n");
    };
    if (!swap) {
        note_heroku(db::restore_archive(input, target, options, tools));
        std::fprintf(stderr, "pgscrub restore: %s restored into %s in %.1f s\n", input.c_str(), target.describe().c_str(), elapsed());
        return kSuccess;
    }

    db::DatabaseAdmin admin(target);
    std::string fresh = db::side_database_name(name, "new", common::compact_utc_stamp());
    admin.create_database_like(fresh, name);
    try {
        note_heroku(db::restore_archive(input, db::with_database(target, fresh), options, tools));
    } catch (const common::Error& e) {
        std::string cleanup = "; the target was not touched";
        try {
            admin.drop_database(fresh);
        } catch (const common::Error& drop) {
            cleanup += ", but the unfinished database \"" + fresh + "\" could not be dropped (" + drop.what() + "): drop it by hand";
        }
        throw dump::ArchiveError(e.what() + cleanup, e.location());
    }
    db::DatabaseAdmin::SwapResult swapped = admin.swap_databases(name, fresh, !parsed.has("keep-old"));
    std::string old = swapped.old_dropped ? "the previous one dropped"
                                          : "the previous one kept as \"" + swapped.old_name + "\"" +
                                                (parsed.has("keep-old") ? "" : " (dropping it failed: drop it by hand)");
    std::fprintf(stderr, "pgscrub restore: %s restored into a fresh database and swapped into place as %s in %.1f s; %s\n",
                 input.c_str(), target.describe().c_str(), elapsed(), old.c_str());
    return kSuccess;
}

} // namespace pgscrub::cli
