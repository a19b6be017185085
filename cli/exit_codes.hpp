#pragma once
// The documented exit codes (docs/commands.md). Failures take theirs from
// their error kind (common::exit_code, the one table); these names are for
// commands that decide an exit code themselves.

#include "common/error.hpp"

namespace pgscrub::cli {

enum ExitCode : int {
    kSuccess = 0,
    kProblemsFound = 1, // check or scan found problems
    kUsageError = common::exit_code(common::ErrorKind::Usage),
    kDataError = common::exit_code(common::ErrorKind::Input),
    kInternalError = common::exit_code(common::ErrorKind::Internal),
};

} // namespace pgscrub::cli
