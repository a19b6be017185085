#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "scrub/inspect.hpp"

#include <iostream>

namespace pgscrub::cli {

namespace {
const CommandSpec kInspectSpec{
    "inspect",
    "inspect IN [--json]",
    "Shows what an archive holds: header, TOC, and for each table its columns, types, row count and\n"
    "data sizes. IN is a file, a directory (directory format) or - for stdin.",
    {
        {"json", 0, "", "machine-readable output"},
        {"help", 'h', "", "show this help"},
    },
    {"IN"}};
} // namespace

int run_inspect_command(const std::vector<std::string>& args) {
    ParsedArguments parsed = parse_arguments(kInspectSpec, args);
    if (parsed.has("help")) {
        std::cout << command_help(kInspectSpec);
        return kSuccess;
    }
    if (parsed.positionals.size() != 1) throw UsageError("inspect needs exactly one input: pgscrub inspect IN [--json]");
    scrub::InspectOptions options;
    options.input = parsed.positionals[0];
    options.json = parsed.has("json");
    std::cout << scrub::run_inspect(options);
    std::cout.flush();
    return kSuccess;
}

} // namespace pgscrub::cli
