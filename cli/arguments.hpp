#pragma once
// Command-line parsing from a table of options, so `--help` and validation
// come from the same description.

#include "common/error.hpp"

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace pgscrub::cli {

struct OptionSpec {
    std::string long_name;  // "rules"
    char short_name = 0;    // 'r'
    std::string value_name; // "RULES"; empty for a flag
    std::string help;
};

struct CommandSpec {
    std::string name;
    std::string synopsis; // "scrub -r RULES [-i IN] [-o OUT] ..."
    std::string summary;
    std::vector<OptionSpec> options;
    std::vector<std::string> positionals; // names, for help; counts are checked by the command
};

class UsageError : public common::Error {
public:
    explicit UsageError(std::string what) : common::Error(common::ErrorKind::Usage, std::move(what)) {}
};

struct ParsedArguments {
    std::map<std::string, std::string> values; // long name -> value ("" for flags)
    std::vector<std::string> positionals;

    bool has(const std::string& name) const { return values.count(name) > 0; }
    std::optional<std::string> get(const std::string& name) const;
};

// Throws UsageError naming the unknown or malformed option.
ParsedArguments parse_arguments(const CommandSpec& spec, const std::vector<std::string>& args);

std::string command_help(const CommandSpec& spec);

} // namespace pgscrub::cli
