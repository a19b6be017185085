// `-r preset:NAME`: the presets are found beside the running binary
// (BIN/../share/pgscrub/presets; the build tree has that layout too, so this
// test binary, in build/DIR/tests, finds build/DIR/share/pgscrub/presets),
// and a name that is not a preset, or is a path, fails naming what exists.
#include "rules/presets.hpp"
#include "rules/rules_error.hpp"
#include "rules/rules_file.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace pgscrub::rules;

TEST_CASE("presets: found by name beside the binary, as shipped in rules/presets", "[rules][presets]") {
    CHECK(names_preset("preset:wagtail"));
    CHECK_FALSE(names_preset("rules/presets/wagtail.yaml"));
    std::vector<std::string> names = available_presets();
    CHECK(std::find(names.begin(), names.end(), "wagtail") != names.end());
    CHECK(std::find(names.begin(), names.end(), "django-axes") != names.end());
    std::string file = preset_file("preset:wagtail");
    CHECK(std::filesystem::path(file).filename() == "wagtail.yaml");
    CHECK(std::filesystem::path(file).parent_path().filename() == "presets");
    // The same file as the source tree's, byte for byte.
    CHECK(load_rules_file("preset:wagtail").sha256 ==
          load_rules_file(PGSCRUB_SOURCE_DIR "/rules/presets/wagtail.yaml").sha256);
}

TEST_CASE("presets: an unknown name or a path fails, listing the presets", "[rules][presets]") {
    for (const char* argument : {"preset:nope", "preset:../presets/wagtail", "preset:", "preset:Wagtail"}) {
        try {
            (void)load_rules_file(argument);
            FAIL("no error for " << argument);
        } catch (const RulesError& error) {
            REQUIRE(error.diagnostics().size() == 1);
            const Diagnostic& d = error.diagnostics().front();
            CHECK(d.where.file == argument);
            CHECK_THAT(d.message, Catch::Contains("presets: django-axes, wagtail"));
        }
    }
}
