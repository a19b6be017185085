#pragma once
// pg_dump of a live database: to a file with a manifest beside it (a backup,
// `pgscrub backup` and the runbook's backup_target step), or as a stream of
// custom-format bytes for the scrub to read (a run whose source is a
// database), never through a temporary file.

#include "db/database_address.hpp"
#include "db/pg_tools.hpp"

#include <chrono>
#include <cstdint>
#include <string>

namespace pgscrub::db {

struct BackupResult {
    std::string path;           // the archive, under its final name
    std::string manifest_path;  // path + ".manifest.json"
    std::uint64_t size = 0;     // bytes
    std::string sha256;         // hex, of the archive's bytes
    std::string database;       // as the server names it
    std::string server_version; // SHOW server_version
    std::string pg_dump_version;
    std::string created_at;     // UTC, 2026-11-24T07:00:00Z
    double seconds = 0;
};

// pg_dump -Fc of `source` into `out_path`'s temporary name
// (out_path.pgscrub-partial-PID), then the manifest (sha256, size, server
// version, database, host with password masked, UTC time, pgscrub version)
// under its own temporary name; both renamed into place when complete. A
// failure leaves neither. `out_path` must be a regular file (not "-", a
// device or a pipe): the manifest describes its bytes. Throws
// dump::ArchiveError (exit 3), with pg_dump's own message when it failed.
BackupResult backup_database(const DatabaseAddress& source, const std::string& out_path, const PgTools& tools);

// The manifest's JSON text (one object, keys in a fixed order).
std::string backup_manifest_json(const BackupResult& backup, const DatabaseAddress& source);

// The pg_dump command backup_database runs, for plans (common::describe_command).
common::ChildCommand pg_dump_command(const DatabaseAddress& source, const std::string& file, const PgTools& tools);

// pg_dump -Fc of `source` to a pipe. Read the archive from path() (give it
// to dump::open_input or as a scrub's input) to its end, then finish().
class PgDumpStream {
public:
    PgDumpStream(const DatabaseAddress& source, const PgTools& tools);
    // "/dev/fd/N": the read end of pg_dump's output.
    std::string path() const { return child_.output_path(); }
    // Waits for pg_dump; throws its failure (exit status and message).
    void finish() { child_.finish(); }
    // After reading failed (the archive ended too early): throws pg_dump's
    // own failure when that is the cause; otherwise returns, and the caller
    // rethrows its error. Destroying the stream stops pg_dump.
    void throw_if_failed() { child_.throw_if_failed_within(std::chrono::seconds(2)); }

private:
    common::ChildProcess child_;
};

} // namespace pgscrub::db
