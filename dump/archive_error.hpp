#pragma once
// Errors raised while reading or writing a pg_dump archive: a common::Error
// of kind Input (a corrupt, truncated or unreadable dump) unless the throw
// site says otherwise (Output for a write that fails).
//
// Every error names where it happened (file, byte offset, TOC entry) so the
// one-line message a user sees says what was expected and where.

#include "common/error.hpp"

#include <string>

namespace pgscrub::dump {

using common::ErrorLocation;

class ArchiveError : public common::Error {
public:
    ArchiveError(std::string what, ErrorLocation where = {})
        : common::Error(common::ErrorKind::Input, std::move(what), std::move(where)) {}
    ArchiveError(common::ErrorKind kind, std::string what, ErrorLocation where = {})
        : common::Error(kind, std::move(what), std::move(where)) {}
};

} // namespace pgscrub::dump
