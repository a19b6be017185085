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
#include <functional>
#include <string>
#include <vector>

namespace {

struct Command {
    const char* name;
    const char* summary;
    std::function<int(const std::vector<std::string>&)> run;
};

const std::vector<Command>& commands() {
    static const std::vector<Command> list{
        {"scrub", "rewrite an archive's table data by the rules", pgscrub::cli::run_scrub_command},
        {"check", "validate a rules file, and check it against a dump", pgscrub::cli::run_check_command},
        {"inspect", "show an archive's header, TOC, tables, columns and sizes", pgscrub::cli::run_inspect_command},
        {"preview", "one table's first rows before and after the rules", pgscrub::cli::run_preview_command},
        {"scan", "audit a dump for personal data, with masked examples", pgscrub::cli::run_scan_command},
        {"run", "run a run file: back up, scrub into the target, fix up, verify (guarded)", pgscrub::cli::run_run_command},
        {"transforms", "list the transforms a rules file can use", pgscrub::cli::run_transforms_command},
        {"report", "render a scrub report (JSON) as an HTML page for sign-off", pgscrub::cli::run_report_command},
        {"backup", "back up a database with pg_dump -Fc, with a manifest", pgscrub::cli::run_backup_command},
        {"restore", "restore an archive with pg_restore, behind guardrails", pgscrub::cli::run_restore_command},
    };
    return list;
}

void print_usage(std::FILE* to) {
    std::fprintf(to, "usage: pgscrub COMMAND [OPTIONS]\n\ncommands:\n");
    for (const Command& c : commands()) std::fprintf(to, "  %-10s %s\n", c.name, c.summary);
    std::fprintf(to, "\n'pgscrub COMMAND --help' shows a command's options.\n"
                     "exit codes: 0 success, 1 problems found, 2 usage, rules or refused, 3 input, output, database\n"
                     "or network error or interrupted, 4 internal error (docs/commands.md)\n");
}

} // namespace

int main(int argc, char** argv) {
    // A closed downstream pipe (pgscrub ... | head) must surface as a write
    // error with exit 3, not kill the process silently.
    std::signal(SIGPIPE, SIG_IGN);
    pgscrub::common::install_interrupt_handlers();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_usage(args.empty() ? stderr : stdout);
        return args.empty() ? pgscrub::cli::kUsageError : pgscrub::cli::kSuccess;
    }
    if (args[0] == "--version") {
        std::printf("pgscrub %s\n", pgscrub::version_string());
        return pgscrub::cli::kSuccess;
    }
    for (const Command& c : commands()) {
        if (args[0] != c.name) continue;
        std::vector<std::string> rest(args.begin() + 1, args.end());
        try {
            return c.run(rest);
        } catch (const pgscrub::rules::RulesError& e) {
            for (const auto& d : e.diagnostics()) std::fprintf(stderr, "%s\n", d.format().c_str());
            return pgscrub::common::exit_code(e.kind());
        } catch (...) {
            // The last resort: every failure gets one line and its documented code.
            auto failure = pgscrub::common::describe_failure(std::current_exception(), std::string("pgscrub ") + c.name + ": ");
            for (const std::string& line : failure.lines) std::fprintf(stderr, "%s\n", line.c_str());
            return failure.exit_code;
        }
    }
    std::fprintf(stderr, "pgscrub: unknown command \"%s\"\n\n", args[0].c_str());
    print_usage(stderr);
    return pgscrub::cli::kUsageError;
}
