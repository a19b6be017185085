#pragma once
// Creating, dropping and renaming whole databases, on a connection to the
// server's maintenance database ("postgres") made from the target's address
// with the database name replaced. This is what `strategy: swap` needs:
// restore into a fresh database beside the target, then swap the two so a
// failed restore leaves the target as it was.

#include "db/database_address.hpp"

#include <memory>
#include <optional>
#include <string>

namespace pgscrub::db {

class DatabaseAdmin {
public:
    // Connects to `server`'s maintenance database (postgres, else template1);
    // throws dump::ArchiveError (exit 3, address masked) when it cannot.
    explicit DatabaseAdmin(const DatabaseAddress& server);
    ~DatabaseAdmin();
    DatabaseAdmin(const DatabaseAdmin&) = delete;
    DatabaseAdmin& operator=(const DatabaseAdmin&) = delete;

    bool database_exists(const std::string& name);
    // CREATE DATABASE name TEMPLATE template0 [OWNER owner].
    void create_database(const std::string& name, const std::optional<std::string>& owner = std::nullopt);
    // A new empty database shaped like `model`: its owner, encoding, collation
    // and character type (and ICU locale), from template0, so what is
    // restored into it behaves as it did in `model`. Database-level settings
    // (ALTER DATABASE ... SET) and grants on the database are not copied.
    void create_database_like(const std::string& name, const std::string& model);
    // Terminates the other connections to it, then DROP DATABASE IF EXISTS.
    void drop_database(const std::string& name);
    // Terminates the connections to `from`, then renames it (retrying while
    // a client reconnects in between).
    void rename_database(const std::string& from, const std::string& to);
    // pg_terminate_backend on every other connection to `name`; how many.
    int terminate_connections(const std::string& name);

    struct SwapResult {
        std::string old_name; // where the previous target went
        bool old_dropped = false;
    };
    // Puts `fresh` in the place of `target`: target -> old_name
    // (target_pgscrub_old_<UTC stamp>), then fresh -> target. If the second rename fails, the first is undone, so the
    // target is left in place (and `fresh` as it was). The old database is
    // dropped only when `drop_old`; a failed drop after a good swap is not an
    // error (the result says old_dropped = false).
    SwapResult swap_databases(const std::string& target, const std::string& fresh, bool drop_old);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    common::ShownText server_;
};

// A database name beside `base`: base + "_pgscrub_" + tag + "_" + stamp, with
// base shortened (on a UTF-8 boundary) so the whole fits PostgreSQL's 63
// bytes — a longer name would be truncated silently and could collide.
std::string side_database_name(const std::string& base, const std::string& tag, const std::string& stamp);

} // namespace pgscrub::db
