#include "db/guardrails.hpp"

#include "db/connection_string.hpp"
#include "db/database_error.hpp"
#include "db/server_identity.hpp"
#include "dump/archive_error.hpp"

#include <pqxx/pqxx>

#include <cstdlib>
#include <set>
#include <unistd.h>

namespace pgscrub::db {

namespace {

std::string lower(std::string text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return text;
}

std::vector<std::string> split_list(const std::string& text) {
    std::vector<std::string> items;
    std::size_t start = 0;
    for (;;) {
        std::size_t end = text.find(',', start);
        items.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (end == std::string::npos) return items;
        start = end + 1;
    }
}

std::string env_or(const char* name, const std::string& fallback) {
    const char* value = std::getenv(name);
    return value && *value ? value : fallback;
}

// Every spelling of "this machine" becomes "local": a socket directory, the
// default socket, the loopback names and addresses, the machine's own name.
std::string normalised_host(const std::string& host) {
    std::string h = lower(host);
    if (!h.empty() && h.front() == '[' && h.back() == ']') h = h.substr(1, h.size() - 2);
    if (h.empty() || h.front() == '/' || h.front() == '@' || h == "localhost" || h == "localhost.localdomain" ||
        h.rfind("127.", 0) == 0 || h == "::1" || h == "0:0:0:0:0:0:0:1") {
        return "local";
    }
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) == 0 && h == lower(name)) return "local";
    return h;
}

std::set<std::string> hosts_of(const DatabaseAddress& address) {
    std::set<std::string> hosts;
    std::string given = address.host.empty() ? env_or("PGHOST", "") : address.host;
    for (const std::string& h : split_list(given)) hosts.insert(normalised_host(h));
    return hosts;
}

std::set<std::string> ports_of(const DatabaseAddress& address) {
    std::set<std::string> ports;
    std::string given = address.port.empty() ? env_or("PGPORT", "5432") : address.port;
    for (const std::string& p : split_list(given)) ports.insert(p.empty() ? env_or("PGPORT", "5432") : p);
    return ports;
}

std::string database_of(const DatabaseAddress& address) {
    if (!address.dbname.empty()) return address.dbname;
    std::string user = address.user.empty() ? env_or("PGUSER", "") : address.user;
    if (user.empty()) {
        const char* login = ::getlogin();
        user = env_or("USER", login ? login : "");
    }
    return env_or("PGDATABASE", user);
}

bool intersect(const std::set<std::string>& a, const std::set<std::string>& b) {
    for (const std::string& x : a)
        if (b.count(x)) return true;
    return false;
}

void refuse_production_like(const DatabaseAddress& target, const std::string& name, const TargetGuardrails& guardrails) {
    if (guardrails.allow_production_like_target) return;
    if (looks_production_like(name) || looks_production_like(target.host)) {
        throw GuardrailRefusal("refusing to write to " + target.describe() + ": its database name or host contains \"prod\", "
                               "so it looks like production — if it really is the database to replace, allow it explicitly "
                               "(--allow-production-like-target, or allow_production_like_target: true in a run file)");
    }
}

} // namespace

bool looks_production_like(const std::string& text) { return lower(text).find("prod") != std::string::npos; }

bool could_be_same_database(const DatabaseAddress& a, const DatabaseAddress& b) {
    return database_of(a) == database_of(b) && intersect(hosts_of(a), hosts_of(b)) && intersect(ports_of(a), ports_of(b));
}

void check_target_offline(const DatabaseAddress& target, const TargetGuardrails& guardrails) {
    if (guardrails.confirm.empty()) {
        throw GuardrailRefusal("refusing to write to " + target.describe() +
                               " without a confirmation: give the target database's name (--confirm NAME, or confirm: in a run file)");
    }
    if (!target.dbname.empty() && target.dbname != guardrails.confirm) {
        throw GuardrailRefusal("refusing to write to " + target.describe() + ": the confirmation \"" + guardrails.confirm +
                               "\" is not its database name \"" + target.dbname + "\" — check that the address is the database you mean");
    }
    refuse_production_like(target, target.dbname, guardrails);
    if (guardrails.source && could_be_same_database(*guardrails.source, target)) {
        throw GuardrailRefusal("refusing to write to " + target.describe() + ": it could be the source database " +
                               guardrails.source->describe() + " (same database name on the same host and port) — "
                               "a restore never writes to its source; point the target elsewhere");
    }
}

void check_target(const DatabaseAddress& target, const TargetGuardrails& guardrails) {
    check_target_offline(target, guardrails);
    ServerIdentity target_identity = read_server_identity(target);
    if (target_identity.database != guardrails.confirm) {
        throw GuardrailRefusal("refusing to write to " + target.describe() + ": the confirmation \"" + guardrails.confirm +
                               "\" is not the name the server reports for it, \"" + target_identity.database +
                               "\" — check that the address is the database you mean");
    }
    refuse_production_like(target, target_identity.database, guardrails);
    if (!guardrails.source) return;
    std::optional<ServerIdentity> source_identity;
    try {
        source_identity = read_server_identity(*guardrails.source);
    } catch (const common::Error&) {
        // A source that cannot be reached now is judged by its address alone
        // (done above); reaching it is the job of the step that reads it.
        return;
    }
    bool same_cluster = !target_identity.system_identifier.empty() &&
                        target_identity.system_identifier == source_identity->system_identifier;
    if (same_cluster && target_identity.database == source_identity->database) {
        throw GuardrailRefusal("refusing to write to " + target.describe() + ": the server says it is the source database " +
                               guardrails.source->describe() + " (same cluster, same database \"" + target_identity.database +
                               "\") — a restore never writes to its source; point the target elsewhere");
    }
}

// ---- TargetLock --------------------------------------------------------------

struct TargetLock::Impl {
    explicit Impl(const std::string& conninfo) : connection(conninfo) {}
    pqxx::connection connection;
};

TargetLock::TargetLock(const DatabaseAddress& target) {
    database_ = target.dbname.empty() ? read_server_identity(target).database : target.dbname;
    // The maintenance database, not the target: the lock must outlive the
    // target being renamed or dropped, and connections to the target are
    // terminated by a swap.
    std::string last_error;
    for (const char* maintenance : {"postgres", "template1"}) {
        try {
            DatabaseAddress server = with_database(target, maintenance);
            auto options = connection_options(server);
            options.emplace_back("application_name", "pgscrub lock " + database_);
            impl_ = std::make_unique<Impl>(build_conninfo(options));
            break;
        } catch (const pqxx::failure& e) {
            last_error = one_line_message(e.what());
        }
    }
    if (!impl_) {
        throw DatabaseError("cannot take the lock for database \"" + database_ +
                                     "\": cannot connect to the server's maintenance database (postgres or template1): " + last_error,
                                 target.describe());
    }
    try {
        pqxx::nontransaction tx(impl_->connection);
        bool taken = tx.exec_params1("SELECT pg_try_advisory_lock($1, hashtext($2))", kTargetLockClass, database_)[0].as<bool>();
        if (taken) return;
        std::string holder;
        pqxx::result who = tx.exec_params(
            "SELECT a.pid, a.application_name, to_char(a.backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
            "FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = ($1::int)::oid "
            "AND l.objid = hashtext($2)::oid AND l.objsubid = 2",
            kTargetLockClass, database_);
        if (!who.empty()) {
            holder = " (server process " + who[0][0].as<std::string>() + ", connected since " + who[0][2].as<std::string>() + " UTC)";
        }
        throw GuardrailRefusal("refusing to write to " + target.describe() + ": another pgscrub run holds the lock on database \"" +
                               database_ + "\"" + holder + " — wait for it to finish, or stop it, then run again");
    } catch (const pqxx::failure& e) {
        throw DatabaseError("cannot take the lock for database \"" + database_ + "\": " + one_line_message(e.what()),
                                 target.describe());
    }
}

TargetLock::~TargetLock() = default; // closing the connection releases the lock

} // namespace pgscrub::db
