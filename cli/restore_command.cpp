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
#include <sys/stat.h>

namespace pgscrub::cli {

namespace {
const CommandSpec kRestoreSpec{
    "restore",
    "restore an archive with pg_restore, behind guardrails",
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
        path_option("input", 'i', "FILE", "the archive: a file, a directory (directory format), or - for stdin")
            .with_doc("a custom or tar archive, a directory (directory format), or `-` for a stream on stdin (also "
                      "a named pipe; a plain SQL dump is refused: restore it with `psql -f`)")
            .required_as("restore needs an archive: -i FILE (or -i - for stdin)"),
        address_option("db", 0, "URL", "the target database (libpq URL or conninfo)")
            .required_as("restore needs the target database: --db URL"),
        // Required, but checked with the guardrails (db::check_target), which say why.
        text_option("confirm", 0, "NAME", "the target database's name, typed again: required")
            .with_doc("the target database's name, typed again; required"),
        integer_option("jobs", 'j', "N", 1, 256, "jobs", "pg_restore -j N (a file or directory, not a stream)")
            .with_doc("`pg_restore -j N`; needs a file or a directory (`pg_restore` cannot read a stream in "
                      "parallel)"),
        flag_option("clean", 0, "in place: drop the archive's objects before recreating them (--clean --if-exists)")
            .with_doc("in place: drop the archive's objects before recreating them (`--clean --if-exists`). Objects "
                      "the archive does not have stay. `pg_restore` cannot drop a partition's inherited constraint on "
                      "its own; those drop errors are harmless (the parent's drop takes the constraint), so a clean "
                      "restore runs without `--exit-on-error` and pgscrub reads every error: it fails, naming the "
                      "first, unless each one was such a drop"),
        flag_option("single-transaction", 0, "in place: all or nothing (not with -j)")
            .with_doc("in place: all or nothing; a failure (a truncated archive) leaves nothing of the restore. Not "
                      "with `-j`, and not with `--clean` on an archive with partitioned tables (use `swap`)"),
        choice_option("strategy", 0, "S", {"in_place", "swap"},
                      "in_place (default): restore into the target; swap: into a fresh database, then swap")
            .with_doc("`in_place` (default): restore into the target itself. `swap`: restore into a fresh database "
                      "beside the target (`NAME_pgscrub_new_<UTC time>`, same owner, encoding, collation and "
                      "locale), then swap it into place: the target is renamed `NAME_pgscrub_old_<UTC time>`, the "
                      "fresh one to `NAME`, and the old one dropped. Connections to the target are closed first. A "
                      "failed restore drops the fresh database and leaves the target as it was; if the second rename "
                      "fails, the first is undone. Needs the right to create databases. Database-level settings "
                      "(`ALTER DATABASE … SET`) and grants on the database itself are not carried over"),
        flag_option("keep-old", 0, "swap: keep the previous target, renamed NAME_pgscrub_old_<time>, instead of dropping it")
            .with_doc("with `swap`: keep the previous target as `NAME_pgscrub_old_<UTC time>`"),
        flag_option("owner", 0, "restore object owners (default: --no-owner)")
            .with_doc("restore owners (`ALTER … OWNER TO`), which needs the roles to exist"),
        flag_option("acl", 0, "restore grants (default: --no-acl)").with_doc("restore grants, which needs the roles to exist"),
        flag_option("allow-production-like-target", 0, "allow a target whose name or host contains \"prod\"")
            .with_doc("allow a target whose name or host contains `prod`"),
        path_option("pg-bin", 0, "DIR", "directory holding pg_restore (default: the PATH)")
            .with_doc("the directory holding `pg_restore`; default: the `PATH`"),
    },
    {},
    "unexpected argument {}: the archive is given with -i FILE"};

int run_restore(const ParsedArguments& parsed) {
    std::string input = *parsed.get("input");
    bool swap = parsed.get("strategy") == "swap";

    db::RestoreOptions options;
    if (auto jobs = parsed.integer("jobs")) options.jobs = static_cast<int>(*jobs);
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

} // namespace

Command restore_command() { return {&kRestoreSpec, run_restore}; }

} // namespace pgscrub::cli
