#include "anonymise/transform_registry.hpp"
#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "cli/exit_codes.hpp"

#include <iostream>

namespace pgscrub::cli {

namespace {
const CommandSpec kTransformsSpec{
    "transforms",
    "list the transforms a rules file can use",
    "transforms [--markdown]",
    "Lists every transform a rules file can use, with its parameters, defaults and the column types it\n"
    "accepts. Generated from the same registry that validates rules files.",
    {
        flag_option("markdown", 0, "the full reference as Markdown (docs/transforms.md is this output)")
            .with_doc("the full reference as Markdown ([transforms.md](transforms.md) is this output)"),
    },
    {},
    "transforms takes no arguments"};

int run_transforms(const ParsedArguments& parsed) {
    std::cout << (parsed.has("markdown") ? anonymise::transforms_reference_markdown() : anonymise::transforms_listing());
    return kSuccess;
}

} // namespace

Command transforms_command() { return {&kTransformsSpec, run_transforms}; }

} // namespace pgscrub::cli
