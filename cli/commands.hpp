#pragma once
// The subcommands: each is its spec (options, positionals, help) and a
// function that runs it on arguments already checked by that spec.
// main.cpp owns the prologue every command shares (parse, --help, the
// checks the spec describes), so a command's function starts with valid
// arguments.

#include "cli/arguments.hpp"

#include <vector>

namespace pgscrub::cli {

struct Command {
    const CommandSpec* spec;
    int (*run)(const ParsedArguments& parsed); // returns the exit code
};

Command scrub_command();
Command check_command();
Command inspect_command();
Command preview_command();
Command scan_command();
Command run_command();
Command transforms_command();
Command report_command();
Command backup_command();
Command restore_command();
Command media_sync_command();
Command media_verify_command();

// -r RULES as the commands that scrub or check take it: a rules file, or
// preset:NAME for one shipped with pgscrub (rules/presets.hpp).
OptionSpec rules_file_option();

// Every command, in the order `pgscrub --help` lists them.
std::vector<Command> all_commands();

// `pgscrub help --markdown`: each command's option table between the markers
// docs/commands.md keeps them in (<!-- options:NAME --> ... <!-- /options:NAME -->).
std::string commands_options_markdown();

} // namespace pgscrub::cli
