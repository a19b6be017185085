#pragma once
// A database named on the command line or in a run file: a libpq URL
// (postgresql://user:secret@host:5432/db) or a conninfo string
// ("host=... dbname=..."), parsed by libpq itself so every form libpq
// accepts is understood the same way. Passwords never leave this type
// except into the connection: describe() masks them.

#include <string>

namespace pgscrub::db {

struct DatabaseAddress {
    std::string text;     // as given (holds the password, if any: never print it)
    std::string host;     // "" = libpq's default (unix socket)
    std::string port;     // "" = default
    std::string dbname;   // "" = libpq's default (the user name)
    std::string user;
    bool has_password = false;

    // Parses with PQconninfoParse; throws dump::ArchiveError (exit 3) for
    // text libpq rejects, with libpq's reason and the text masked.
    static DatabaseAddress parse(const std::string& text);
    // For messages and reports: the address with any password replaced by ***.
    std::string describe() const;
};

// `text` with the password of a URL (user:PASSWORD@) or conninfo
// (password=PASSWORD) replaced by ***. Safe on any string.
std::string mask_password(const std::string& text);

} // namespace pgscrub::db
