#include "db/database_admin.hpp"

#include "common/utc_time.hpp"
#include "db/connection_string.hpp"
#include "db/database_error.hpp"
#include "db/server_identity.hpp"
#include "dump/archive_error.hpp"

#include <pqxx/pqxx>

#include <chrono>
#include <ctime>
#include <thread>

namespace pgscrub::db {

namespace {
constexpr std::size_t kMaxIdentifierBytes = 63; // NAMEDATALEN - 1
constexpr int kRenameAttempts = 10;
} // namespace

struct DatabaseAdmin::Impl {
    explicit Impl(const std::string& conninfo) : connection(conninfo) {}
    pqxx::connection connection;
};

DatabaseAdmin::DatabaseAdmin(const DatabaseAddress& server) : server_(server.describe()) {
    std::string last_error;
    for (const char* maintenance : {"postgres", "template1"}) {
        try {
            impl_ = std::make_unique<Impl>(with_database(server, maintenance).text());
            return;
        } catch (const pqxx::failure& e) {
            last_error = one_line_message(e.what());
        }
    }
    throw DatabaseError("cannot connect to the server's maintenance database (postgres or template1): " + last_error,
                             server_);
}

DatabaseAdmin::~DatabaseAdmin() = default;

namespace {

template <class Body>
auto admin_step(pqxx::connection& connection, const common::ShownText& server, const std::string& what, Body&& body) {
    try {
        pqxx::nontransaction tx(connection);
        return body(tx);
    } catch (const pqxx::failure& e) {
        throw DatabaseError(what + ": " + one_line_message(e.what()), server);
    }
}

bool is_in_use_error(const common::Error& e) {
    return std::string(e.what()).find("is being accessed by other users") != std::string::npos;
}

} // namespace

bool DatabaseAdmin::database_exists(const std::string& name) {
    return admin_step(impl_->connection, server_, "cannot look up database \"" + name + "\"", [&](pqxx::nontransaction& tx) {
        return !tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", name).empty();
    });
}

void DatabaseAdmin::create_database(const std::string& name, const std::optional<std::string>& owner) {
    admin_step(impl_->connection, server_, "cannot create database \"" + name + "\"", [&](pqxx::nontransaction& tx) {
        std::string sql = "CREATE DATABASE " + tx.quote_name(name) + " TEMPLATE template0";
        if (owner) sql += " OWNER " + tx.quote_name(*owner);
        tx.exec0(sql);
        return 0;
    });
}

void DatabaseAdmin::create_database_like(const std::string& name, const std::string& model) {
    admin_step(impl_->connection, server_, "cannot create database \"" + name + "\" like \"" + model + "\"", [&](pqxx::nontransaction& tx) {
        int version = tx.exec1("SELECT current_setting('server_version_num')::int")[0].as<int>();
        // datlocprovider arrived in 15; the ICU locale column was renamed in 17.
        std::string provider = version >= 150000 ? "d.datlocprovider::text" : "'c'";
        std::string icu = version >= 170000 ? "d.datlocale" : version >= 150000 ? "d.daticulocale" : "NULL::text";
        pqxx::result r = tx.exec_params("SELECT pg_get_userbyid(d.datdba), pg_encoding_to_char(d.encoding), d.datcollate, d.datctype, " +
                                            provider + ", " + icu + " FROM pg_database d WHERE d.datname = $1",
                                        model);
        if (r.empty()) throw DatabaseError("database \"" + model + "\" does not exist", server_);
        const pqxx::row& m = r[0];
        std::string sql = "CREATE DATABASE " + tx.quote_name(name) + " TEMPLATE template0 OWNER " + tx.quote_name(m[0].as<std::string>()) +
                          " ENCODING " + tx.quote(m[1].as<std::string>()) + " LC_COLLATE " + tx.quote(m[2].as<std::string>()) +
                          " LC_CTYPE " + tx.quote(m[3].as<std::string>());
        std::string locale_provider = m[4].as<std::string>();
        if (locale_provider == "i") {
            sql += " LOCALE_PROVIDER icu ICU_LOCALE " + tx.quote(m[5].as<std::string>());
        } else if (locale_provider == "b") {
            sql += " LOCALE_PROVIDER builtin BUILTIN_LOCALE " + tx.quote(m[5].as<std::string>());
        }
        tx.exec0(sql);
        return 0;
    });
}

int DatabaseAdmin::terminate_connections(const std::string& name) {
    return admin_step(impl_->connection, server_, "cannot close the connections to database \"" + name + "\"", [&](pqxx::nontransaction& tx) {
        pqxx::result r = tx.exec_params("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                        "WHERE datname = $1 AND pid <> pg_backend_pid()",
                                        name);
        int count = 0;
        for (const pqxx::row& row : r) count += row[0].as<bool>() ? 1 : 0;
        return count;
    });
}

void DatabaseAdmin::drop_database(const std::string& name) {
    for (int attempt = 1;; ++attempt) {
        terminate_connections(name);
        try {
            admin_step(impl_->connection, server_, "cannot drop database \"" + name + "\"", [&](pqxx::nontransaction& tx) {
                tx.exec0("DROP DATABASE IF EXISTS " + tx.quote_name(name));
                return 0;
            });
            return;
        } catch (const common::Error& e) {
            if (!is_in_use_error(e) || attempt == kRenameAttempts) throw;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

void DatabaseAdmin::rename_database(const std::string& from, const std::string& to) {
    // A terminated client (an application server's pool) may reconnect
    // before the rename: terminate again and retry a few times.
    for (int attempt = 1;; ++attempt) {
        terminate_connections(from);
        try {
            admin_step(impl_->connection, server_, "cannot rename database \"" + from + "\" to \"" + to + "\"", [&](pqxx::nontransaction& tx) {
                tx.exec0("ALTER DATABASE " + tx.quote_name(from) + " RENAME TO " + tx.quote_name(to));
                return 0;
            });
            return;
        } catch (const common::Error& e) {
            if (!is_in_use_error(e)) throw;
            if (attempt == kRenameAttempts) {
                throw DatabaseError(std::string(e.what()) + " — clients keep reconnecting to it; stop the application "
                                                                 "(or grant pgscrub's role pg_signal_backend) and run again",
                                         server_);
            }
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
}

DatabaseAdmin::SwapResult DatabaseAdmin::swap_databases(const std::string& target, const std::string& fresh, bool drop_old) {
    SwapResult result;
    result.old_name = side_database_name(target, "old", common::compact_utc_stamp());
    rename_database(target, result.old_name);
    try {
        rename_database(fresh, target);
    } catch (const common::Error& e) {
        // Put the target back where it was before reporting the failure.
        try {
            rename_database(result.old_name, target);
        } catch (const common::Error& back) {
            throw DatabaseError(std::string(e.what()) + "; and renaming the target back failed too: " + back.what() +
                                         " — the target is now called \"" + result.old_name + "\": rename it to \"" + target + "\" by hand",
                                     server_);
        }
        throw DatabaseError(std::string(e.what()) + " — the target \"" + target + "\" was left as it was", server_);
    }
    if (drop_old) {
        try {
            drop_database(result.old_name);
            result.old_dropped = true;
        } catch (const common::Error&) {
            result.old_dropped = false;
        }
    }
    return result;
}

std::string side_database_name(const std::string& base, const std::string& tag, const std::string& stamp) {
    std::string suffix = "_pgscrub_" + tag + "_" + stamp;
    std::string kept = base;
    if (kept.size() + suffix.size() > kMaxIdentifierBytes) {
        std::size_t room = suffix.size() < kMaxIdentifierBytes ? kMaxIdentifierBytes - suffix.size() : 0;
        // Cut before the character that would not fit whole (UTF-8).
        std::size_t cut = room;
        while (cut > 0 && (static_cast<unsigned char>(kept[cut]) & 0xC0) == 0x80) --cut;
        kept.resize(cut);
    }
    return kept + suffix;
}

} // namespace pgscrub::db
