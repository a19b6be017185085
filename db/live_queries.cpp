#include "db/live_queries.hpp"

#include "db/database_error.hpp"
#include "db/server_identity.hpp"
#include "dump/archive_error.hpp"

#include <pqxx/pqxx>

namespace pgscrub::db {

namespace {

[[noreturn]] void fail(const DatabaseAddress& address, const std::string& what, const std::exception& e) {
    throw DatabaseError(what + ": " + one_line_message(e.what()), address.describe());
}

// Connects, runs `body(transaction)`, and turns libpqxx errors into one-line ArchiveErrors.
template <class Body>
auto with_transaction(const DatabaseAddress& address, const std::string& what, Body&& body) {
    try {
        pqxx::connection connection(address.text());
        pqxx::work tx(connection);
        return body(tx);
    } catch (const common::Error&) {
        throw;
    } catch (const std::exception& e) {
        fail(address, what, e);
    }
}

} // namespace

std::string current_database_name(const DatabaseAddress& address) {
    return with_transaction(address, "cannot ask the database its name",
                            [](pqxx::work& tx) { return tx.exec1("SELECT current_database()")[0].as<std::string>(); });
}

std::map<std::string, std::uint64_t> count_rows(const DatabaseAddress& address) {
    return with_transaction(address, "cannot count rows", [](pqxx::work& tx) {
        std::map<std::string, std::uint64_t> counts;
        pqxx::result tables = tx.exec(
            "SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg\\_toast%' ORDER BY 1, 2");
        for (const pqxx::row& t : tables) {
            std::string schema = t[0].as<std::string>(), name = t[1].as<std::string>();
            std::string sql = "SELECT count(*) FROM ONLY " + tx.quote_name(schema) + "." + tx.quote_name(name);
            counts[schema + "." + name] = tx.exec1(sql)[0].as<std::uint64_t>();
        }
        return counts;
    });
}

std::vector<std::string> column_values(const DatabaseAddress& address, const std::string& table, const std::string& column) {
    return existing_column_values(address, table, column).value_or(std::vector<std::string>{});
}

std::optional<std::vector<std::string>> existing_column_values(const DatabaseAddress& address, const std::string& table,
                                                               const std::string& column) {
    std::size_t dot = table.find('.');
    std::string schema = dot == std::string::npos ? "public" : table.substr(0, dot);
    std::string name = dot == std::string::npos ? table : table.substr(dot + 1);
    return with_transaction(
        address, "cannot read " + table + "." + column, [&](pqxx::work& tx) -> std::optional<std::vector<std::string>> {
            pqxx::result exists = tx.exec_params("SELECT 1 FROM information_schema.columns WHERE table_schema = $1 AND "
                                                 "table_name = $2 AND column_name = $3",
                                                 schema, name, column);
            if (exists.empty()) return std::nullopt;
            std::vector<std::string> values;
            std::string sql = "SELECT DISTINCT " + tx.quote_name(column) + "::text FROM " + tx.quote_name(schema) +
                              "." + tx.quote_name(name) + " WHERE " + tx.quote_name(column) + " IS NOT NULL ORDER BY 1";
            for (const pqxx::row& r : tx.exec(sql)) values.push_back(r[0].as<std::string>());
            return values;
        });
}

void run_in_transaction(const DatabaseAddress& address, const std::vector<std::string>& statements) {
    with_transaction(address, "the SQL step failed", [&](pqxx::work& tx) {
        for (std::size_t i = 0; i < statements.size(); ++i) {
            try {
                tx.exec(statements[i]);
            } catch (const pqxx::sql_error& e) {
                throw DatabaseError("statement " + std::to_string(i + 1) + " of the sql step failed, nothing was changed: " +
                                             one_line_message(e.what()),
                                         address.describe());
            }
        }
        tx.commit();
        return 0;
    });
}

} // namespace pgscrub::db
