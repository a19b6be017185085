#include "rules/rules_error.hpp"

#include <algorithm>

namespace pgscrub::rules {

std::string Diagnostic::format(const char* severity) const {
    std::string text = where.file;
    if (where.line > 0) text += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
    return text + ": " + severity + ": " + message;
}

RulesError::RulesError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(diagnostics.empty() ? "rules error" : diagnostics.front().format()),
      diagnostics_(std::move(diagnostics)) {}

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
