#include "rules/presets.hpp"

#include "common/install_layout.hpp"
#include "rules/rules_error.hpp"

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace pgscrub::rules {

namespace fs = std::filesystem;

bool names_preset(std::string_view rules_argument) {
    return rules_argument.starts_with(kPresetPrefix);
}

std::string presets_directory() {
    std::string shared = common::shared_data_directory();
    return shared.empty() ? std::string() : (fs::path(shared) / "presets").string();
}

std::vector<std::string> available_presets() {
    std::vector<std::string> names;
    std::error_code error;
    for (fs::directory_iterator it(presets_directory(), error), end; !error && it != end; it.increment(error)) {
        if (it->path().extension() == ".yaml") names.push_back(it->path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

std::string preset_file(std::string_view rules_argument) {
    std::string name(rules_argument.substr(kPresetPrefix.size()));
    const std::string argument(rules_argument);
    // A name, not a path: "preset:../x" must not read files outside the presets.
    bool plain = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    });
    std::string dir = presets_directory();
    fs::path file = fs::path(dir) / (name + ".yaml");
    std::error_code error;
    if (plain && !dir.empty() && fs::is_regular_file(file, error)) return file.string();
    std::vector<std::string> names = available_presets();
    std::string list;
    for (const std::string& n : names) list += (list.empty() ? "" : ", ") + n;
    throw RulesError(
        {{{argument, 0, 0},
          "no preset named \"" + name + "\" in " +
              (dir.empty() ? std::string("(pgscrub's share directory, unknown)") : dir) +
              (names.empty()
                   ? std::string(", which holds none — is pgscrub installed with its share/pgscrub directory?")
                   : " — presets: " + list)}});
}

} // namespace pgscrub::rules
