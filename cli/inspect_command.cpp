#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "scrub/inspect.hpp"

#include <iostream>

namespace pgscrub::cli {

namespace {
const CommandSpec kInspectSpec{
    "inspect",
    "show an archive's header, TOC, tables, columns and sizes",
    "inspect IN [--json]",
    "Shows what an archive holds: header, TOC, and for each table its columns, types, row count and\n"
    "data sizes. IN is a file, a directory (directory format) or - for stdin.",
    {
        flag_option("json", 0, "machine-readable output")
            .with_doc("the same as one JSON object (custom archives also give each entry's `data_offset`)"),
    },
    {"IN"},
    "inspect needs exactly one input: pgscrub inspect IN [--json]"};

int run_inspect(const ParsedArguments& parsed) {
    scrub::InspectOptions options;
    options.input = parsed.positionals[0];
    options.json = parsed.has("json");
    std::cout << scrub::run_inspect(options);
    std::cout.flush();
    return kSuccess;
}

} // namespace

Command inspect_command() { return {&kInspectSpec, run_inspect}; }

} // namespace pgscrub::cli
