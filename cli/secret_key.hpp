#pragma once
// Where scrub and preview get the key for deterministic pseudonyms.

#include "rules/rules_file.hpp"

#include <optional>
#include <string>

namespace pgscrub::cli {

// --secret-file FILE, else the environment variable the rules name in
// secret_env. Throws UsageError (exit 2) when there is none or it is shorter
// than 16 bytes. The key is never printed, logged or reported.
std::string read_key(const rules::RulesFile& rules, const std::optional<std::string>& secret_file);

} // namespace pgscrub::cli
