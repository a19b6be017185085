#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "dump/table_stream.hpp"
#include "rules/rules_check.hpp"
#include "scrub/statistics_scrub.hpp"

#include <cstdio>

namespace pgscrub::cli {

namespace {
const CommandSpec kCheckSpec{
    "check",
    "validate a rules file, and check it against a dump",
    "check -r RULES [--dump IN]",
    "Validates a rules file and prints every problem at once as FILE:LINE:COL: error: ... With --dump,\n"
    "also checks the rules against the dump's tables: data no rule covers, null on NOT NULL columns,\n"
    "transforms that could merge values of UNIQUE columns, truncated tables that kept rows reference,\n"
    "and transforms that do not fit a column's type. Exit 0: fine; 1: problems with the dump; 2: the\n"
    "rules file itself is wrong.",
    {
        rules_file_option().required_as("check needs a rules file: -r RULES"),
        path_option("dump", 0, "IN", "a dump (any format: file, directory or plain SQL) to check the rules against")
            .with_doc("a dump of any format (custom, directory, tar or plain SQL; a file, a directory or an "
                      "`http://` or `https://` URL) to check the rules against"),
    },
    {},
    "unexpected argument {} (give the dump with --dump)"};
// PostgreSQL 18 statistics hold column values: say what scrub will do to them.
void print_statistics_plan(const rules::RulesFile& rules, const scrub::StatisticsPlan& plan) {
    if (plan.refused) throw *plan.refused;
    const scrub::StatisticsTally& tally = plan.tally;
    if (!tally.any()) return;
    std::uint64_t kept = tally.attribute_calls - tally.attribute_calls_stripped - tally.attribute_calls_removed;
    std::fprintf(stderr,
                 "%s: the dump has %llu statistics entries (pg_dump --statistics), which hold column values: scrub keeps "
                 "%llu column statistics as they are, strips %llu of their values, removes %llu with their truncated "
                 "tables, and sets %llu relations to 0 rows\n",
                 rules.path.c_str(), static_cast<unsigned long long>(tally.entries), static_cast<unsigned long long>(kept),
                 static_cast<unsigned long long>(tally.attribute_calls_stripped),
                 static_cast<unsigned long long>(tally.attribute_calls_removed),
                 static_cast<unsigned long long>(tally.relations_emptied));
}

int run_check(const ParsedArguments& parsed) {
    rules::RulesFile rules = rules::load_rules_file(*parsed.get("rules"));
    std::optional<dump::TableStream> stream;
    std::optional<scrub::StatisticsPlan> statistics;
    if (auto dump_path = parsed.get("dump")) {
        stream.emplace(*dump_path);
        statistics = scrub::plan_statistics(*stream, rules);
    }
    const dump::SchemaModel* schema = stream ? &stream->schema() : nullptr;
    rules::CheckResult result = rules::check_rules(rules, schema);
    for (const auto& d : result.problems) std::fprintf(stderr, "%s\n", d.format().c_str());
    for (const auto& d : result.warnings) std::fprintf(stderr, "%s\n", d.format("warning").c_str());
    if (!result.problems.empty()) return kProblemsFound;
    if (statistics) print_statistics_plan(rules, *statistics);
    std::fprintf(stderr, "%s: ok%s\n", rules.path.c_str(), schema ? " — every table and column with data is covered" : "");
    return kSuccess;
}

} // namespace

Command check_command() { return {&kCheckSpec, run_check}; }

} // namespace pgscrub::cli
