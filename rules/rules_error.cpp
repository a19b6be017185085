#include "rules/rules_error.hpp"

#include <algorithm>
#include <cstdint>

namespace pgscrub::rules {

std::string Diagnostic::format(const char* severity) const {
    std::string text = where.file;
    if (where.line > 0) text += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
    return text + ": " + severity + ": " + message;
}

namespace {

// Messages quote what the file says (a key, a column name, yaml-cpp's view of
// a bad escape), which may hold a newline or control bytes; each diagnostic
// must still print as one line.
std::vector<Diagnostic> one_line_each(std::vector<Diagnostic> diagnostics) {
    for (Diagnostic& d : diagnostics) d.message = common::printable_text(d.message, SIZE_MAX);
    return diagnostics;
}

} // namespace

RulesError::RulesError(std::vector<Diagnostic> diagnostics)
    : RulesError(one_line_each(std::move(diagnostics)), 0) {}

RulesError::RulesError(std::vector<Diagnostic> one_line_diagnostics, int)
    : common::Error(common::ErrorKind::Rules,
                    one_line_diagnostics.empty() ? "rules error" : one_line_diagnostics.front().format()),
      diagnostics_(std::move(one_line_diagnostics)) {}

void drop_repeated(std::vector<Diagnostic>& diagnostics) {
    std::vector<Diagnostic> distinct;
    for (Diagnostic& d : diagnostics) {
        bool repeat = std::any_of(distinct.begin(), distinct.end(), [&](const Diagnostic& seen) {
            return seen.message == d.message && seen.where.file == d.where.file && seen.where.line == d.where.line &&
                   seen.where.column == d.where.column;
        });
        if (!repeat) distinct.push_back(std::move(d));
    }
    diagnostics = std::move(distinct);
}

} // namespace pgscrub::rules
