#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"
#include "cli/secret_key.hpp"
#include "scrub/preview.hpp"

#include <charconv>
#include <iostream>

namespace pgscrub::cli {

namespace {
const CommandSpec kPreviewSpec{
    "preview",
    "preview -r RULES IN --table NAME [--limit N]",
    "Shows the first rows of one table before and after the rules, side by side, for reviewers.\n"
    "It prints original values: run it where the original data may be seen.",
    {
        {"rules", 'r', "RULES", "rules file (YAML, version 1)"},
        {"table", 't', "NAME", "the table: name (schema public) or schema.name, as stored"},
        {"limit", 'n', "N", "rows to show (default 10; of each partition for a partitioned table)"},
        {"secret-file", 0, "FILE", "read the key from FILE instead of the environment variable named by secret_env"},
        {"help", 'h', "", "show this help"},
    },
    {"IN"}};
} // namespace

int run_preview_command(const std::vector<std::string>& args) {
    ParsedArguments parsed = parse_arguments(kPreviewSpec, args);
    if (parsed.has("help")) {
        std::cout << command_help(kPreviewSpec);
        return kSuccess;
    }
    auto rules_path = parsed.get("rules");
    auto table = parsed.get("table");
    if (!rules_path || !table || parsed.positionals.size() != 1) {
        throw UsageError("usage: pgscrub preview -r RULES IN --table NAME [--limit N]");
    }
    scrub::PreviewOptions options;
    options.input = parsed.positionals[0];
    options.table = *table;
    if (auto n = parsed.get("limit")) {
        auto [end, ec] = std::from_chars(n->data(), n->data() + n->size(), options.limit);
        if (ec != std::errc() || end != n->data() + n->size() || options.limit < 1 || options.limit > 10000) {
            throw UsageError("--limit needs a number of rows from 1 to 10000, not \"" + *n + "\"");
        }
    }
    rules::RulesFile rules = rules::load_rules_file(*rules_path);
    options.key = read_key(rules, parsed.get("secret-file"));
    std::cout << scrub::run_preview(options, rules);
    return kSuccess;
}

} // namespace pgscrub::cli
