#pragma once
// The checks that stand between a command and a database it would write:
// the confirmation name, a target that could be the source, a target that
// looks like production, and one run per target at a time. Each refusal is a
// GuardrailRefusal (exit 2), thrown before anything is touched, in one line
// that says what was refused, where (password masked) and how to go on.
// Used by `pgscrub restore` and by the runbook (`pgscrub run`).

#include "common/error.hpp"
#include "db/database_address.hpp"

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>

namespace pgscrub::db {

// A guardrail said no before anything was touched.
class GuardrailRefusal : public common::Error {
public:
    explicit GuardrailRefusal(std::string what) : common::Error(common::ErrorKind::Refused, std::move(what)) {}
};

struct TargetGuardrails {
    // Must equal the target's database name, as written in the address and
    // as the server reports it. Required: empty is refused.
    std::string confirm;
    // The database the data comes from, when it is one (not a dump file):
    // a target that could be it is refused.
    std::optional<DatabaseAddress> source;
    bool allow_production_like_target = false;
};

// True when `text` contains "prod" in any case (production, PROD-db, ...).
bool looks_production_like(const std::string& text);

// Whether two addresses could name the same database, judged from the
// addresses alone (no connection), erring towards "could": hosts are equal
// ignoring case, and every local form (no host = the default socket, a
// socket directory, localhost, 127.0.0.1, ::1, this machine's name) counts
// as one host; an empty port is PGPORT or 5432; an empty database name is
// PGDATABASE or the user name; multi-host lists match when any pair does.
bool could_be_same_database(const DatabaseAddress& a, const DatabaseAddress& b);

// The checks that need no connection: confirm against the address's
// database name, production-like name or host, source == target by address.
// Enough for a --dry-run, which must not connect to write anything.
void check_target_offline(const DatabaseAddress& target, const TargetGuardrails& guardrails);

// check_target_offline, then with connections (reads only): confirm against
// the name the server reports (SELECT current_database()), that name not
// production-like, and source == target by server identity
// (pg_control_system()'s system_identifier and the database name) when both
// can be asked. Throws GuardrailRefusal; dump::ArchiveError (exit 3) when
// the target cannot be reached.
void check_target(const DatabaseAddress& target, const TargetGuardrails& guardrails);

// One run per target database: a PostgreSQL advisory lock, taken on a
// connection to the target server's maintenance database ("postgres") and
// keyed by the target's database name, so it holds while the target itself
// is renamed, dropped or recreated; released when this object goes away or
// pgscrub dies (the server drops it with the connection). A lock already
// held is a GuardrailRefusal naming the target and the holder.
class TargetLock {
public:
    explicit TargetLock(const DatabaseAddress& target);
    ~TargetLock();
    TargetLock(const TargetLock&) = delete;
    TargetLock& operator=(const TargetLock&) = delete;

    // The database name the lock is keyed by.
    const std::string& database() const { return database_; }

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string database_;
};

// The advisory lock's first key: "pgsc" as a 32-bit integer, so pgscrub's
// locks never collide with an application's single-key locks. The second
// key is hashtext(database name), computed by the server.
inline constexpr int kTargetLockClass = 0x70677363;

} // namespace pgscrub::db
