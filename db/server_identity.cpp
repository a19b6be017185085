#include "db/server_identity.hpp"

#include "db/database_error.hpp"
#include "dump/archive_error.hpp"

#include <pqxx/pqxx>

namespace pgscrub::db {

std::string one_line_message(const std::string& text) {
    std::string out;
    for (char c : text) {
        bool space = c == '\n' || c == '\r' || c == '\t' || c == ' ';
        if (space && (out.empty() || out.back() == ' ')) continue;
        out += space ? ' ' : c;
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return common::mask_secrets(out).str();
}

ServerIdentity read_server_identity(const DatabaseAddress& address) {
    ServerIdentity identity;
    try {
        pqxx::connection connection(address.text());
        {
            pqxx::nontransaction tx(connection);
            pqxx::row r = tx.exec1("SELECT current_database(), current_setting('server_version')");
            identity.database = r[0].as<std::string>();
            identity.server_version = r[1].as<std::string>();
        }
        try {
            // Managed services may refuse it: then only the name is known.
            pqxx::nontransaction tx(connection);
            identity.system_identifier = tx.exec1("SELECT system_identifier::text FROM pg_control_system()")[0].as<std::string>();
        } catch (const pqxx::sql_error&) {
            identity.system_identifier.clear();
        }
    } catch (const pqxx::failure& e) {
        throw DatabaseError("cannot connect: " + one_line_message(e.what()) +
                                     " — check the address, that the server runs and the database exists, and the credentials",
                                 address.describe());
    }
    return identity;
}

} // namespace pgscrub::db
