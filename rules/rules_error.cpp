#include "rules/rules_error.hpp"

namespace pgscrub::rules {

std::string Diagnostic::format(const char* severity) const {
    std::string text = where.file;
    if (where.line > 0) text += ":" + std::to_string(where.line) + ":" + std::to_string(where.column);
    return text + ": " + severity + ": " + message;
}

RulesError::RulesError(std::vector<Diagnostic> diagnostics)
    : std::runtime_error(diagnostics.empty() ? "rules error" : diagnostics.front().format()),
      diagnostics_(std::move(diagnostics)) {}

} // namespace pgscrub::rules
