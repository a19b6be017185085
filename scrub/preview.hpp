#pragma once
// `pgscrub preview`: the first rows of one table before and after the rules,
// side by side, so a reviewer sees what the rules would really do.

#include "rules/rules_file.hpp"

#include <string>

namespace pgscrub::scrub {

struct PreviewOptions {
    std::string input;
    std::string table; // "name" (schema public) or "schema.name"
    std::size_t limit = 10;
    std::string key;
};

// Returns the text to print. Throws ArchiveError for bad input and RulesError
// when the rules do not fit the table.
std::string run_preview(const PreviewOptions& options, const rules::RulesFile& rules);

} // namespace pgscrub::scrub
