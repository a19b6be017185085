#include "db/database_address.hpp"

#include "db/database_error.hpp"
#include "dump/archive_error.hpp"

#include <libpq-fe.h>

#include <memory>

namespace pgscrub::db {

DatabaseAddress DatabaseAddress::parse(const std::string& text) {
    DatabaseAddress address;
    address.text_ = text;
    address.shown_ = common::mask_secrets(text);
    char* error = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> options(PQconninfoParse(text.c_str(), &error), PQconninfoFree);
    if (!options) {
        std::string reason = error ? error : "libpq could not parse it";
        if (error) PQfreemem(error);
        while (!reason.empty() && (reason.back() == '\n' || reason.back() == ' ')) reason.pop_back();
        throw DatabaseError("invalid database address: " + common::mask_secrets(reason) +
                                " — give a URL such as postgresql://user@host:5432/dbname or a conninfo such as \"host=... dbname=...\"",
                            address.shown_);
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

} // namespace pgscrub::db
