#include "db/database_address.hpp"

#include "db/database_error.hpp"
#include "dump/archive_error.hpp"

#include <libpq-fe.h>

#include <memory>
#include <regex>

namespace pgscrub::db {

std::string mask_password(const std::string& text) {
    // URL user info: scheme://user:password@host — the password may hold anything but '@'.
    static const std::regex url_password(R"(([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\s]*):[^@\s]*@)");
    // conninfo: password=secret or password='sec ret'
    static const std::regex conninfo_password(R"((password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+))", std::regex::icase);
    // URL query parameter: ?password=secret
    static const std::regex query_password(R"(([?&]password=)[^&\s]*)", std::regex::icase);
    std::string masked = std::regex_replace(text, url_password, "$1:***@");
    masked = std::regex_replace(masked, conninfo_password, "$1***");
    return std::regex_replace(masked, query_password, "$1***");
}

DatabaseAddress DatabaseAddress::parse(const std::string& text) {
    DatabaseAddress address;
    address.text = text;
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(text.c_str(), &error), PQconninfoFree);
    if (!options) {
        std::string reason = error ? error : "libpq could not parse it";
        if (error) PQfreemem(error);
        while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
        throw DatabaseError("invalid database address: " + mask_password(reason) +
                                     " — give a URL such as postgresql://user@host:5432/dbname or a conninfo such as \"host=... dbname=...\"",
                                 common::ErrorLocation{mask_password(text), {}, {}, {}});
    }
    for (PQconninfoOption* o = options.get(); o->keyword; ++o) {
        if (!o->val) continue;
        std::string keyword = o->keyword;
        if (keyword == "host" || (keyword == "hostaddr" && address.host.empty())) address.host = o->val;
        else if (keyword == "port") address.port = o->val;
        else if (keyword == "dbname") address.dbname = o->val;
        else if (keyword == "user") address.user = o->val;
        else if (keyword == "password") address.has_password = *o->val != '\0';
    }
    return address;
}

std::string DatabaseAddress::describe() const { return mask_password(text); }

} // namespace pgscrub::db
