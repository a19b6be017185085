#pragma once
// A database named on the command line or in a run file: a libpq URL
// (postgresql://user:secret@host:5432/db) or a conninfo string
// ("host=... dbname=..."), parsed by libpq itself so every form libpq
// accepts is understood the same way. The password never leaves this type
// except into the connection: its shown form, with the password masked, is
// made once by parse() and is what every message, error and report names.

#include "common/secret_masking.hpp"

#include <string>

namespace pgscrub::db {

class DatabaseAddress {
public:
    std::string host;   // "" = libpq's default (unix socket)
    std::string port;   // "" = default
    std::string dbname; // "" = libpq's default (the user name)
    std::string user;
    bool has_password = false;

    // Parses with PQconninfoParse; throws db::DatabaseError (exit 3) for
    // text libpq rejects, with libpq's reason and the text masked.
    static DatabaseAddress parse(const std::string& text);

    // The text as given, password included: for libpq, never for a message.
    const std::string& text() const { return text_; }
    // For messages, errors and reports: the address with its password (and
    // any other secret parameter) replaced by ***.
    const common::ShownText& describe() const { return shown_; }

private:
    std::string text_;
    common::ShownText shown_;
};

} // namespace pgscrub::db
