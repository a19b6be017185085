#include "cli/commands.hpp"

namespace pgscrub::cli {

OptionSpec rules_file_option() {
    return path_option("rules", 'r', "RULES", "rules file (YAML, version 1), or preset:NAME")
        .with_doc("the rules file ([rules.md](rules.md)), or `preset:NAME` for a preset shipped with pgscrub, "
                  "e.g. `preset:wagtail` ([rules.md](rules.md#presets))");
}

std::vector<Command> all_commands() {
    return {scrub_command(),  check_command(),      inspect_command(), preview_command(), scan_command(),
            run_command(),    transforms_command(), report_command(),  backup_command(),  restore_command(),
            media_sync_command(), media_verify_command()};
}

std::string commands_options_markdown() {
    std::string text;
    for (const Command& c : all_commands()) {
        const std::string& name = c.spec->name;
        // Blank lines around the table: a comment line next to it would end it early in some renderers.
        text += "<!-- options:" + name + " -->\n\n" + options_markdown(*c.spec) + "\n<!-- /options:" + name + " -->\n";
    }
    return text;
}

} // namespace pgscrub::cli
