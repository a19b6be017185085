#pragma once
// The reviewed rules files shipped with pgscrub (rules/presets/*.yaml in the
// source, share/pgscrub/presets/ once installed), named on the command line
// as `-r preset:NAME` and in run files as `rules: preset:NAME`, so that an
// installed pgscrub needs no source tree to scrub a Wagtail site.

#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::rules {

inline constexpr std::string_view kPresetPrefix = "preset:";

// True for "preset:NAME".
bool names_preset(std::string_view rules_argument);

// Where presets are: BIN/../share/pgscrub/presets (common/install_layout.hpp).
std::string presets_directory();

// The presets there, by name (file name less .yaml), sorted.
std::vector<std::string> available_presets();

// The file of "preset:NAME". Throws RulesError, positioned at the argument,
// naming the presets there when there is no such preset.
std::string preset_file(std::string_view rules_argument);

} // namespace pgscrub::rules
