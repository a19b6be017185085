#pragma once
// The documented exit codes (shared/DESIGN.md "Command line").

namespace pgscrub::cli {

enum ExitCode : int {
    kSuccess = 0,
    kProblemsFound = 1, // check or scan found problems
    kUsageError = 2,    // bad command line or rules file
    kDataError = 3,     // input, output or database error
};

} // namespace pgscrub::cli
