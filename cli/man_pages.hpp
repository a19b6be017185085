#pragma once
// The manual pages, generated from the command specs, the exit code table
// and the transform registry: the same source as --help and docs/ (docs/
// commands.md "Manual pages and completion"). The build writes them with
// `pgscrub help --man DIR` into DIR/man1 and DIR/man5, and installs them.
//
//   pgscrub(1)               every command, the exit codes, the environment
//   pgscrub-COMMAND(1)       one per command; "media sync" is pgscrub-media-sync(1)
//   pgscrub-rules(5)         the rules file, version 1, and every transform

#include "cli/commands.hpp"

#include <string>
#include <vector>

namespace pgscrub::cli {

struct ManPage {
    std::string name; // "pgscrub-media-sync"
    int section = 1;
    std::string text; // man(7) roff

    std::string file_name() const { return name + "." + std::to_string(section); } // "pgscrub-media-sync.1"
};

// "media sync" -> "pgscrub-media-sync".
std::string man_page_name(const CommandSpec& spec);

ManPage main_man_page();
ManPage command_man_page(const CommandSpec& spec);
ManPage rules_man_page(); // cli/rules_man_page.cpp

// Every page: pgscrub(1), one per command in all_commands()' order, pgscrub-rules(5).
std::vector<ManPage> all_man_pages();

// Writes every page to DIR/manN/NAME.N (creating the directories) and
// returns how many; throws common::Error (output) naming the file that
// cannot be written.
std::size_t write_man_pages(const std::string& dir);

// The exit status section every page shares: the codes of docs/commands.md,
// from common::error_kinds().
std::string exit_status_roff();

} // namespace pgscrub::cli
