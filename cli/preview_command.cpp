#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/secret_key.hpp"
#include "scrub/preview.hpp"

#include <iostream>

namespace pgscrub::cli {

namespace {
const std::string kPreviewUsage = "usage: pgscrub preview -r RULES IN --table NAME [--limit N]";
const CommandSpec kPreviewSpec{
    "preview",
    "one table's first rows before and after the rules",
    "preview -r RULES IN --table NAME [--limit N]",
    "Shows the first rows of one table before and after the rules, side by side, for reviewers.\n"
    "It prints original values: run it where the original data may be seen.",
    {
        rules_file_option().required_as(kPreviewUsage),
        text_option("table", 't', "NAME", "the table: name (schema public) or schema.name, as stored")
            .required_as(kPreviewUsage),
        integer_option("limit", 'n', "N", 1, 10000, "rows",
                       "rows to show (default 10; of each partition for a partitioned table)"),
        path_option("secret-file", 0, "FILE",
                    "read the key from FILE instead of the environment variable named by secret_env")
            .with_doc("read the key from FILE instead of the environment variable named by `secret_env`"),
    },
    {"IN"},
    kPreviewUsage};

int run_preview(const ParsedArguments& parsed) {
    auto rules_path = parsed.get("rules");
    auto table = parsed.get("table");
    scrub::PreviewOptions options;
    options.input = parsed.positionals[0];
    options.table = *table;
    if (auto n = parsed.integer("limit")) options.limit = static_cast<decltype(options.limit)>(*n);
    rules::RulesFile rules = rules::load_rules_file(*rules_path);
    options.key = read_key(rules, parsed.get("secret-file"));
    std::cout << scrub::run_preview(options, rules);
    return kSuccess;
}

} // namespace

Command preview_command() { return {&kPreviewSpec, run_preview}; }

} // namespace pgscrub::cli
