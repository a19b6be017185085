// cli/man_pages, cli/roff and cli/completion: every command and option the
// specs hold has its man entry and its bash and zsh completion, every
// transform its entry in pgscrub-rules(5), and the roff is escaped so that
// groff reads text as text (tests/docs/man_pages.sh renders the pages).

#include "anonymise/transform_registry.hpp"
#include "cli/commands.hpp"
#include "cli/completion.hpp"
#include "cli/man_pages.hpp"
#include "cli/roff.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>
#include <string>

using namespace pgscrub::cli;

namespace {

bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

std::string roff_option(const std::string& name) {
    std::string out;
    for (char c : name) out += c == '-' ? std::string("\\-") : std::string(1, c);
    return out;
}

} // namespace

TEST_CASE("every command has a man page documenting each of its options") {
    std::vector<ManPage> pages = all_man_pages();
    std::set<std::string> files;
    for (const ManPage& p : pages) files.insert(p.file_name());
    CHECK(files.count("pgscrub.1") == 1);
    CHECK(files.count("pgscrub-rules.5") == 1);
    CHECK(files.count("pgscrub-media-sync.1") == 1);
    CHECK(pages.size() == all_commands().size() + 2);
    const std::string main_page = main_man_page().text;
    for (const Command& c : all_commands()) {
        const CommandSpec& spec = *c.spec;
        INFO("pgscrub " << spec.name);
        ManPage page = command_man_page(spec);
        CHECK(files.count(page.file_name()) == 1);
        CHECK(contains(main_page, "\\fB" + roff_option(page.name) + "\\fR(1)"));
        CHECK(contains(page.text, ".SH OPTIONS\n"));
        CHECK(contains(page.text, ".SH \"EXIT STATUS\"\n"));
        for (const OptionSpec& o : spec.options) {
            INFO("--" << o.long_name);
            CHECK(contains(page.text, "\\fB" + roff_option("--" + o.long_name) + "\\fR"));
            if (o.short_name) CHECK(contains(page.text, "\\fB\\-" + std::string(1, o.short_name) + "\\fR, "));
            for (const std::string& choice : o.choices) CHECK(contains(page.text, roff_option(choice)));
        }
    }
}

TEST_CASE("bash and zsh completion offer every command, option and choice") {
    const std::string bash = bash_completion();
    const std::string zsh = zsh_completion();
    CHECK(contains(bash, "complete -F _pgscrub pgscrub\n"));
    CHECK(zsh.starts_with("#compdef pgscrub\n"));
    for (const Command& c : all_commands()) {
        const CommandSpec& spec = *c.spec;
        INFO("pgscrub " << spec.name);
        std::string first = spec.name.substr(0, spec.name.find(' '));
        std::string function = "_pgscrub_" + spec.name;
        for (char& ch : function)
            if (ch == ' ' || ch == '-') ch = '_';
        // The command's branch of the bash function, and the options it offers.
        std::size_t branch = bash.find("    \"" + spec.name + "\")\n");
        REQUIRE(branch != std::string::npos);
        std::string block = bash.substr(branch, bash.find("        ;;\n", branch) - branch);
        std::size_t listed = block.find("options=\"");
        REQUIRE(listed != std::string::npos);
        std::string offered = " " + block.substr(listed + 9, block.find('"', listed + 9) - listed - 9) + " ";
        CHECK(contains(zsh, function + "() {\n"));
        CHECK(contains(zsh, "    " + first + ")\n"));
        for (const OptionSpec& o : spec.options) {
            INFO("--" << o.long_name);
            CHECK(contains(offered, " --" + o.long_name + " "));
            const bool flag = o.kind == ValueKind::Flag;
            if (o.short_name) {
                CHECK(contains(offered, " -" + std::string(1, o.short_name) + " "));
                // Both spellings through brace expansion: {-j+,--jobs=}
                CHECK(contains(zsh, "{-" + std::string(1, o.short_name) + (flag ? "" : "+") + ",--" + o.long_name +
                                        (flag ? "}" : "=}")));
            } else {
                CHECK(contains(zsh, "--" + o.long_name + (flag ? "[" : "=[")));
            }
            std::string values;
            for (const std::string& v : o.kind == ValueKind::Choice ? o.choices : o.suggestions)
                values += (values.empty() ? "" : " ") + v;
            if (!values.empty()) {
                CHECK(contains(block, "compgen -W \"" + values + "\""));
                CHECK(contains(zsh, ":(" + values + ")'"));
            }
        }
    }
}

TEST_CASE("pgscrub-rules(5) has every transform and its parameters") {
    const std::string page = rules_man_page().text;
    for (const char* key : {"version", "secret_env", "unlisted_tables", "unlisted_columns", "large_objects", "tables"})
        CHECK(contains(page, ".TP\n\\fB" + std::string(key) + "\\fR\n"));
    for (const auto& spec : pgscrub::anonymise::transform_registry()) {
        INFO(spec.name);
        CHECK(contains(page, ".SS " + spec.name + "\n"));
        for (const auto& p : spec.params) CHECK(contains(page, ".TP\n\\fB" + p.name + "\\fR ("));
    }
}

TEST_CASE("pgscrub-rules(5) names every preset shipped in rules/presets") {
    const std::string page = rules_man_page().text;
    int presets = 0;
    for (const auto& entry : std::filesystem::directory_iterator(PGSCRUB_SOURCE_DIR "/rules/presets")) {
        if (entry.path().extension() != ".yaml") continue;
        ++presets;
        INFO(entry.path().stem().string());
        // roff escapes the hyphen of django-axes.
        CHECK(contains(page, "preset:" + roff::escape(entry.path().stem().string())));
    }
    CHECK(presets >= 2);
}

TEST_CASE("roff text cannot start a request, and is ASCII") {
    CHECK(roff::escape(".hidden\n'quoted") == "\\&.hidden\n\\&'quoted");
    CHECK(roff::escape("a\\b --x") == "a\\eb \\-\\-x");
    CHECK(roff::escape("12×, — é") == "12\\[u00D7], \\[u2014] \\[u00E9]");
    CHECK(roff::inline_markdown("the `--rules` file ([rules.md](rules.md#x)), *kept* and **all**") ==
          "the \\fB\\-\\-rules\\fR file (\\fBpgscrub\\-rules\\fR(5)), \\fIkept\\fR and \\fBall\\fR");
    CHECK(roff::inline_markdown("`.x` is a \\| pipe") == "\\fB.x\\fR is a | pipe");
    CHECK(roff::inline_markdown("a * b and *.example") == "a * b and *.example");
    CHECK(roff::inline_markdown("a URL ([streamed](#reading)) [x]") == "a URL (streamed) [x]");
    CHECK(roff::markdown("One\ntwo.\n\n- item\n  more\n\n```yaml\n  a: .b\n```\n") ==
          ".PP\nOne two.\n.IP \\(bu 2\nitem more\n.PP\n.RS 4\n.nf\n  a: .b\n.fi\n.RE\n");
    CHECK(roff::title("pgscrub-scrub", 1, "0.1.0") ==
          ".TH \"PGSCRUB\\-SCRUB\" \"1\" \"\" \"pgscrub 0.1.0\" \"pgscrub manual\"\n");
    for (const ManPage& p : all_man_pages()) {
        INFO(p.file_name());
        std::size_t bad = 0;
        while (bad < p.text.size() && (p.text[bad] == '\n' || (p.text[bad] >= 0x20 && p.text[bad] < 0x7f))) ++bad;
        CHECK(bad == p.text.size());
    }
}
