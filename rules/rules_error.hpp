#pragma once
// Errors in a rules file, each pinned to FILE:LINE:COL.

#include "common/error.hpp"

#include <stdexcept>
#include <string>
#include <vector>

namespace pgscrub::rules {

struct SourcePosition {
    std::string file;
    int line = 0;   // 1-based; 0 when unknown
    int column = 0; // 1-based
};

struct Diagnostic {
    SourcePosition where;
    std::string message; // "what is wrong — what would be valid"

    // "FILE:LINE:COL: error: message" (or another severity, e.g. "warning")
    std::string format(const char* severity = "error") const;
};

// Drops diagnostics that repeat an earlier one (same place, same words), so
// that one cause reported for many tables (the partitions of one partitioned
// table) is printed once. Keeps the order.
void drop_repeated(std::vector<Diagnostic>& diagnostics);

// One or more diagnostics; the CLI prints each on its own line and exits 2.
// Control characters and bytes that are not UTF-8 in the messages are
// escaped (\xNN), so each diagnostic is exactly one line.
class RulesError : public common::Error {
public:
    explicit RulesError(std::vector<Diagnostic> diagnostics);
    const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }

private:
    RulesError(std::vector<Diagnostic> one_line_diagnostics, int);
    std::vector<Diagnostic> diagnostics_;
};

} // namespace pgscrub::rules
