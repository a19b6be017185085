// pgscrub: stream a pg_dump archive, scrub personal data by rules, write an
// archive that stock pg_restore restores. This file only dispatches and maps
// errors to the documented exit codes.

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "common/byte_stream.hpp"
#include "common/interrupts.hpp"
#include "common/version.hpp"
#include "db/guardrails.hpp"
#include "dump/archive_error.hpp"
#include "rules/rules_error.hpp"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

namespace {

void print_usage(std::FILE* to) {
    std::fprintf(to, "usage: pgscrub COMMAND [OPTIONS]\n\ncommands:\n");
    for (const pgscrub::cli::Command& c : pgscrub::cli::all_commands())
        std::fprintf(to, "  %-10s %s\n", c.spec->name.c_str(), c.spec->brief.c_str());
    std::fprintf(to, "\n'pgscrub COMMAND --help' shows a command's options.\n"
                     "exit codes: 0 success, 1 problems found, 2 usage, rules or refused, 3 input, output, database\n"
                     "or network error or interrupted, 4 internal error (docs/commands.md)\n");
}

// The prologue every command shares: parse and check by the spec, --help.
int run_command(const pgscrub::cli::Command& command, const std::vector<std::string>& args) {
    pgscrub::cli::ParsedArguments parsed = pgscrub::cli::parse_arguments(*command.spec, args);
    if (parsed.has("help")) {
        std::fputs(pgscrub::cli::command_help(*command.spec).c_str(), stdout);
        return pgscrub::cli::kSuccess;
    }
    return command.run(parsed);
}

} // namespace

int main(int argc, char** argv) {
    // A closed downstream pipe (pgscrub ... | head) must surface as a write
    // error with exit 3, not kill the process silently.
    std::signal(SIGPIPE, SIG_IGN);
    pgscrub::common::install_interrupt_handlers();
    std::vector<std::string> args(argv + 1, argv + argc);
    // The option tables of docs/commands.md (tests/docs/commands_options.py
    // puts them there, and a test keeps them in step).
    if (args.size() == 2 && args[0] == "help" && args[1] == "--markdown") {
        std::fputs(pgscrub::cli::commands_options_markdown().c_str(), stdout);
        return pgscrub::cli::kSuccess;
    }
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_usage(args.empty() ? stderr : stdout);
        return args.empty() ? pgscrub::cli::kUsageError : pgscrub::cli::kSuccess;
    }
    if (args[0] == "--version") {
        std::printf("pgscrub %s\n", pgscrub::version_string());
        return pgscrub::cli::kSuccess;
    }
    for (const pgscrub::cli::Command& c : pgscrub::cli::all_commands()) {
        const std::string& name = c.spec->name;
        if (args[0] != name) continue;
        std::vector<std::string> rest(args.begin() + 1, args.end());
        try {
            return run_command(c, rest);
        } catch (const pgscrub::rules::RulesError& e) {
            for (const auto& d : e.diagnostics()) std::fprintf(stderr, "%s\n", d.format().c_str());
            return pgscrub::common::exit_code(e.kind());
        } catch (...) {
            // The last resort: every failure gets one line and its documented code.
            auto failure = pgscrub::common::describe_failure(std::current_exception(), "pgscrub " + name + ": ");
            for (const std::string& line : failure.lines) std::fprintf(stderr, "%s\n", line.c_str());
            return failure.exit_code;
        }
    }
    std::fprintf(stderr, "pgscrub: unknown command \"%s\"\n\n", args[0].c_str());
    print_usage(stderr);
    return pgscrub::cli::kUsageError;
}
