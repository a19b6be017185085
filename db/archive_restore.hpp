#pragma once
// Restoring an archive with stock pg_restore: from a file or directory (where
// pg_restore -j works), or streamed into pg_restore's standard input (scrub ->
// pg_restore with no temporary file). Owners and grants are left out by
// default (--no-owner --no-acl: a staging server or a laptop rarely has
// production's roles); every error stops the restore (--exit-on-error).
//
// Heroku: its backups create extensions WITH SCHEMA heroku_ext but do not
// create that schema; a restore creates it first when the archive refers to
// it and the target lacks it, so such dumps restore on plain PostgreSQL.
//
// These functions do not check guardrails: callers run check_target() and
// hold a TargetLock first (db/guardrails.hpp).

#include "common/byte_stream.hpp"
#include "db/database_address.hpp"
#include "db/pg_tools.hpp"
#include "dump/archive_model.hpp"

#include <memory>
#include <string>

namespace pgscrub::db {

struct RestoreOptions {
    int jobs = 1;                    // pg_restore -j; files and directories only, not streams
    // --clean --if-exists: drop the archive's objects before recreating them.
    // Some of those drops fail harmlessly on partitioned tables (a
    // partition's inherited constraint cannot be dropped on its own), so a
    // clean restore runs without --exit-on-error and pgscrub judges every
    // error: the restore fails unless each one was such a drop.
    bool clean = false;
    bool single_transaction = false; // --single-transaction: all or nothing (not with jobs > 1)
    bool keep_owner = false;         // without: --no-owner
    bool keep_acl = false;           // without: --no-acl
};

// True when an entry of the TOC mentions heroku_ext and no entry creates it.
bool archive_needs_heroku_ext(const dump::ArchiveModel& model);

// CREATE SCHEMA heroku_ext in `target` when it has none; true when created.
bool ensure_heroku_ext_schema(const DatabaseAddress& target);

// The pg_restore command line: reading `archive` (a file or directory), or
// standard input when `archive` is "". For plans: common::describe_command().
common::ChildCommand pg_restore_command(const std::string& archive, const DatabaseAddress& target, const RestoreOptions& options,
                                const PgTools& tools);

struct RestoreOutcome {
    bool created_heroku_ext_schema = false;
};

// Restores `archive_path_or_dash` (a custom or tar file, a directory, or "-"
// / a pipe, which are streamed through pg_restore's stdin) into `target`.
// Reads the archive's TOC first (not a plain SQL script; heroku_ext).
// Throws dump::ArchiveError (exit 3) with pg_restore's own message when it
// fails. Ctrl-C stops pg_restore.
RestoreOutcome restore_archive(const std::string& archive_path_or_dash, const DatabaseAddress& target, const RestoreOptions& options,
                              const PgTools& tools);

// pg_restore reading its standard input: write a custom or tar archive into
// input() (or open input_path() as an output file), then finish(). Created
// with the archive's TOC model (the scrub's input model has the same
// entries) or just whether it needs heroku_ext. If the writer fails, do not
// call finish(): destroying the stream stops pg_restore before it sees an
// end of input, so a half-written archive is never taken for a whole one
// (with single_transaction nothing of it stays).
class PgRestoreStream {
public:
    PgRestoreStream(const DatabaseAddress& target, const RestoreOptions& options, const PgTools& tools, bool needs_heroku_ext);
    PgRestoreStream(const DatabaseAddress& target, const RestoreOptions& options, const PgTools& tools, const dump::ArchiveModel& model);

    common::ByteSink& input() { return child_.input(); }
    // "/dev/fd/N", the same pipe, for a writer that opens its output by path
    // (dump::make_archive_writer, a scrub's output).
    std::string input_path() const { return child_.input_path(); }
    // Ends the input, waits, and throws pg_restore's failure, if any. When a
    // write to input() failed, that exception already carries it.
    void finish();
    // After the writer failed: when pg_restore failed first (a write then
    // meets a closed pipe), throws pg_restore's own failure, the real cause;
    // otherwise returns, and the caller rethrows the writer's error.
    void throw_if_failed();
    bool created_heroku_ext_schema() const { return created_heroku_ext_schema_; }

    class ErrorJudge;

private:
    bool created_heroku_ext_schema_ = false;
    std::shared_ptr<ErrorJudge> judge_; // --clean only
    common::ChildProcess child_;
};

} // namespace pgscrub::db
