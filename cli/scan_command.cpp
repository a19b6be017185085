#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "rules/rules_file.hpp"
#include "scrub/scan.hpp"

#include <cstdio>
#include <iostream>
#include <optional>

namespace pgscrub::cli {

namespace {
const CommandSpec kScanSpec{
    "scan",
    "audit a dump for personal data, with masked examples",
    "scan IN [-r RULES] [--json]\n"
    "       pgscrub scan --db URL [-r RULES] [--json]",
    "Audits a dump, or a live database, for personal data: e-mail addresses, phone numbers, IP addresses,\n"
    "payment cards, IBANs, URLs with passwords, UK postcodes, password hashes and secrets (JWTs, API keys),\n"
    "in every column (COPY escapes, JSON strings and array elements decoded), reporting per column the kind,\n"
    "how many rows, and two masked examples — never a whole value. Values in the reserved ranges pgscrub's\n"
    "own fakes use are not reported. With -r, each finding is classed by what the rules do to its column:\n"
    "leak (the rules transform or drop it), kept (a reviewer must confirm it with reviewed: \"reason\"),\n"
    "confirmed (kept with a reviewed: reason), unlisted (no rule names it).\n"
    "Exit 0: nothing that needs attention; 1: findings other than confirmed ones.",
    {
        path_option("rules", 'r', "RULES", "class each finding by what these rules do to its column")
            .with_doc("class each finding by what these rules ([rules.md](rules.md); or `preset:NAME`) do to its column "
                      "(below)"),
        address_option("db", 0, "URL", "scan this database (libpq URL or conninfo) instead of a dump")
            .instead_of_positionals("scan reads a dump or a database, not both: drop IN or --db"),
        flag_option("json", 0, "machine-readable output"),
    },
    {"IN"},
    "scan needs one input: pgscrub scan IN [-r RULES] [--json], or --db URL"};

int run_scan(const ParsedArguments& parsed) {
    scrub::ScanOptions options;
    if (parsed.has("db")) options.database = *parsed.get("db");
    else options.input = parsed.positionals[0];
    options.json = parsed.has("json");
    std::optional<rules::RulesFile> rules;
    if (parsed.has("rules")) {
        rules = rules::load_rules_file(*parsed.get("rules"));
        options.rules = &*rules;
    }
    scrub::ScanResult result = scrub::run_scan(options);
    std::cout << scrub::format_scan(result, options);
    std::cout.flush();
    return result.needing_attention() == 0 ? kSuccess : kProblemsFound;
}

} // namespace

Command scan_command() { return {&kScanSpec, run_scan}; }

} // namespace pgscrub::cli
