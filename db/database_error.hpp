#pragma once
// A database that cannot be reached, refuses a statement, or whose
// pg_dump/pg_restore fails: a common::Error of kind Database (exit 3). The
// message names the address as shown (password masked), never the password.

#include "common/error.hpp"

#include <string>

namespace pgscrub::db {

class DatabaseError : public common::Error {
public:
    explicit DatabaseError(std::string what, common::ErrorLocation where = {})
        : common::Error(common::ErrorKind::Database, std::move(what), std::move(where)) {}
};

} // namespace pgscrub::db
