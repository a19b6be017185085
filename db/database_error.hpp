#pragma once
// A database that cannot be reached, refuses a statement, or whose
// pg_dump/pg_restore fails: a common::Error of kind Database (exit 3). The
// message names the address as shown (password masked), never the password:
// the only location it takes is a common::ShownText, which only the masker
// makes (DatabaseAddress::describe()).

#include "common/error.hpp"

#include <string>

namespace pgscrub::db {

class DatabaseError : public common::Error {
public:
    explicit DatabaseError(std::string what) : common::Error(common::ErrorKind::Database, std::move(what)) {}
    DatabaseError(std::string what, const common::ShownText& where)
        : common::Error(common::ErrorKind::Database, std::move(what), where) {}
};

} // namespace pgscrub::db
