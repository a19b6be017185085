#include "anonymise/transform_registry.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

#include <iostream>

namespace pgscrub::cli {

namespace {
const CommandSpec kTransformsSpec{
    "transforms",
    "transforms [--markdown]",
    "Lists every transform a rules file can use, with its parameters, defaults and the column types it\n"
    "accepts. Generated from the same registry that validates rules files.",
    {
        {"markdown", 0, "", "the full reference as Markdown (docs/transforms.md is this output)"},
        {"help", 'h', "", "show this help"},
    },
    {}};
} // namespace

int run_transforms_command(const std::vector<std::string>& args) {
    ParsedArguments parsed = parse_arguments(kTransformsSpec, args);
    if (parsed.has("help")) {
        std::cout << command_help(kTransformsSpec);
        return kSuccess;
    }
    if (!parsed.positionals.empty()) throw UsageError("transforms takes no arguments");
    std::cout << (parsed.has("markdown") ? anonymise::transforms_reference_markdown() : anonymise::transforms_listing());
    return kSuccess;
}

} // namespace pgscrub::cli
