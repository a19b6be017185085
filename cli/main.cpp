// pgscrub: stream a pg_dump archive, scrub personal data by rules, write an
// archive that stock pg_restore restores. This file only dispatches and maps
// errors to the documented exit codes.

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/completion.hpp"
#include "cli/exit_codes.hpp"
#include "cli/man_pages.hpp"
#include "cli/version_text.hpp"
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
        std::fprintf(to, "  %-12s %s\n", c.spec->name.c_str(), c.spec->brief.c_str());
    std::fprintf(to, "\n'pgscrub COMMAND --help' shows a command's options; 'pgscrub --version' the version, commit\n"
                     "and libraries (for a bug report).\n"
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

// How many of `args`' first words name `command` ("media sync" is two);
// 0 when they do not.
std::size_t command_words(const std::string& name, const std::vector<std::string>& args) {
    std::size_t words = 0, start = 0;
    for (;;) {
        std::size_t space = name.find(' ', start);
        std::string word = name.substr(start, space == std::string::npos ? std::string::npos : space - start);
        if (words >= args.size() || args[words] != word) return 0;
        ++words;
        if (space == std::string::npos) return words;
        start = space + 1;
    }
}

// `pgscrub media` alone, or with --help or a word that is not one of its
// subcommands: the subcommands of that group.
bool print_group_usage(const std::vector<std::string>& args) {
    std::vector<const pgscrub::cli::Command*> group;
    static std::vector<pgscrub::cli::Command> commands = pgscrub::cli::all_commands();
    for (const pgscrub::cli::Command& c : commands) {
        if (c.spec->name.starts_with(args[0] + " ")) group.push_back(&c);
    }
    if (group.empty()) return false;
    std::FILE* to = args.size() == 2 && (args[1] == "--help" || args[1] == "-h") ? stdout : stderr;
    if (args.size() > 1 && to == stderr) std::fprintf(stderr, "pgscrub %s: unknown subcommand \"%s\"\n\n", args[0].c_str(), args[1].c_str());
    std::fprintf(to, "usage: pgscrub %s SUBCOMMAND [OPTIONS]\n\nsubcommands:\n", args[0].c_str());
    for (const pgscrub::cli::Command* c : group) std::fprintf(to, "  %-12s %s\n", c->spec->name.c_str(), c->spec->brief.c_str());
    std::fprintf(to, "\n'pgscrub %s SUBCOMMAND --help' shows its options.\n", args[0].c_str());
    return true;
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
    // The man pages and shell completion the build generates and installs
    // (docs/commands.md, "Manual pages and completion").
    if (args.size() == 3 && args[0] == "help" && (args[1] == "--man" || args[1] == "--completion")) {
        try {
            if (args[1] == "--man") {
                pgscrub::cli::write_man_pages(args[2]);
            } else if (args[2] == "bash" || args[2] == "zsh") {
                std::string script = args[2] == "bash" ? pgscrub::cli::bash_completion() : pgscrub::cli::zsh_completion();
                std::fputs(script.c_str(), stdout);
            } else {
                throw pgscrub::cli::UsageError("help --completion is bash or zsh, not \"" + args[2] + "\"");
            }
            return pgscrub::cli::kSuccess;
        } catch (...) {
            auto failure = pgscrub::common::describe_failure(std::current_exception(), "pgscrub help: ");
            for (const std::string& line : failure.lines) std::fprintf(stderr, "%s\n", line.c_str());
            return failure.exit_code;
        }
    }
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_usage(args.empty() ? stderr : stdout);
        return args.empty() ? pgscrub::cli::kUsageError : pgscrub::cli::kSuccess;
    }
    if (args[0] == "--version") {
        std::printf("%s\n", pgscrub::cli::version_text().c_str());
        return pgscrub::cli::kSuccess;
    }
    for (const pgscrub::cli::Command& c : pgscrub::cli::all_commands()) {
        const std::string& name = c.spec->name;
        std::size_t words = command_words(name, args);
        if (words == 0) continue;
        std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(words), args.end());
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
    if (print_group_usage(args)) {
        return args.size() == 2 && (args[1] == "--help" || args[1] == "-h") ? pgscrub::cli::kSuccess : pgscrub::cli::kUsageError;
    }
    std::fprintf(stderr, "pgscrub: unknown command \"%s\"\n\n", args[0].c_str());
    print_usage(stderr);
    return pgscrub::cli::kUsageError;
}
