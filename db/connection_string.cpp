#include "db/connection_string.hpp"

#include "db/database_error.hpp"
#include "dump/archive_error.hpp"

#include <libpq-fe.h>

#include <memory>

namespace pgscrub::db {

std::vector<std::pair<std::string, std::string>> connection_options(const DatabaseAddress& address) {
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(address.text().c_str(), &error), PQconninfoFree);
    if (!options) {
        if (error) PQfreemem(error);
        // parse() accepted this text already; only a hand-built address gets here.
        DatabaseAddress::parse(address.text());
        throw DatabaseError("invalid database address", address.describe());
    }
    std::vector<std::pair<std::string, std::string>> set;
    for (PQconninfoOption* o = options.get(); o->keyword; ++o)
        if (o->val) set.emplace_back(o->keyword, o->val);
    return set;
}

std::string conninfo_quote(const std::string& value) {
    std::string out = "'";
    for (char c : value) {
        if (c == '\'' || c == '\\') out += '\\';
        out += c;
    }
    return out + "'";
}

std::string build_conninfo(const std::vector<std::pair<std::string, std::string>>& options) {
    std::string out;
    for (const auto& [keyword, value] : options) {
        if (!out.empty()) out += ' ';
        out += keyword + "=" + conninfo_quote(value);
    }
    return out;
}

DatabaseAddress with_database(const DatabaseAddress& address, const std::string& dbname) {
    auto options = connection_options(address);
    bool replaced = false;
    for (auto& [keyword, value] : options) {
        if (keyword == "dbname") {
            value = dbname;
            replaced = true;
        }
    }
    if (!replaced) options.emplace_back("dbname", dbname);
    return DatabaseAddress::parse(build_conninfo(options));
}

ToolConnection tool_connection(const DatabaseAddress& address) {
    ToolConnection tool;
    std::vector<std::pair<std::string, std::string>> kept;
    for (auto& option : connection_options(address)) {
        if (option.first == "password") tool.password = option.second;
        else kept.push_back(std::move(option));
    }
    tool.conninfo = build_conninfo(kept);
    return tool;
}

} // namespace pgscrub::db
