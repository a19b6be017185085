// cli/arguments: the option parser every command goes through. Value kinds
// are checked in one place with one kind of message (exit 2), required options
// and positionals are checked from the spec, --help wins over those checks,
// and help and the docs' tables come from the same spec.

#include "cli/arguments.hpp"
#include "cli/commands.hpp"
#include "common/error.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <string>
#include <vector>

using namespace pgscrub::cli;

namespace {

const CommandSpec& demo_spec() {
    static const CommandSpec spec{
        "demo",
        "a command for these tests",
        "demo IN -r RULES [-j N] [--mode fast|slow]",
        "Does nothing.",
        {
            path_option("rules", 'r', "RULES", "rules file").required_as("demo needs a rules file: -r RULES"),
            integer_option("jobs", 'j', "N", 1, 256, "threads", "threads"),
            choice_option("mode", 0, "", {"fast", "slow"}, "how fast").alias("f", "fast"),
            text_option("allow", 0, "KIND", "kinds to allow").repeated(),
            address_option("db", 0, "URL", "a database").instead_of_positionals("demo reads IN or --db, not both"),
            flag_option("quiet", 'q', "no summary"),
        },
        {"IN"},
        "demo needs one input: pgscrub demo IN -r RULES"};
    return spec;
}

ParsedArguments parse(const std::vector<std::string>& args) { return parse_arguments(demo_spec(), args); }

// The message of the UsageError that parsing `args` throws.
std::string usage_error(const std::vector<std::string>& args) {
    try {
        parse(args);
    } catch (const UsageError& e) {
        CHECK(pgscrub::common::exit_code(e.kind()) == 2);
        return e.what();
    }
    FAIL("no usage error for the arguments");
    return {};
}

} // namespace

TEST_CASE("options: --opt value, --opt=value, -o value and -ovalue are the same", "[cli][arguments]") {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"in.dump", "--rules", "r.yaml", "--jobs", "4"},
             {"in.dump", "--rules=r.yaml", "--jobs=4"},
             {"in.dump", "-r", "r.yaml", "-j", "4"},
             {"-rr.yaml", "-j4", "in.dump"},
         }) {
        ParsedArguments parsed = parse(args);
        CHECK(parsed.get("rules") == "r.yaml");
        CHECK(parsed.integer("jobs") == 4);
        CHECK(parsed.positionals == std::vector<std::string>{"in.dump"});
    }
    // A value may start with '-' or be empty when it is attached or follows.
    CHECK(parse({"in", "-r", "-"}).get("rules") == "-");
    CHECK(parse({"in", "-r", "r", "--allow="}).get("allow") == "");
}

TEST_CASE("options: integers are checked against their range, naming the option as typed", "[cli][arguments]") {
    CHECK(usage_error({"in", "-r", "r", "-j", "abc"}) == "-j needs a number of threads from 1 to 256, not \"abc\"");
    CHECK(usage_error({"in", "-r", "r", "--jobs=0"}) == "--jobs needs a number of threads from 1 to 256, not \"0\"");
    CHECK(usage_error({"in", "-r", "r", "--jobs", "257"}) == "--jobs needs a number of threads from 1 to 256, not \"257\"");
    CHECK(usage_error({"in", "-r", "r", "-j", "4x"}) == "-j needs a number of threads from 1 to 256, not \"4x\"");
    CHECK(usage_error({"in", "-r", "r", "-j", "-3"}) == "-j needs a number of threads from 1 to 256, not \"-3\"");
    CHECK(parse({"in", "-r", "r", "-j", "256"}).integer("jobs") == 256);
    CHECK_FALSE(parse({"in", "-r", "r"}).integer("jobs"));
}

TEST_CASE("options: a choice is one of its list or an alias of one", "[cli][arguments]") {
    CHECK(parse({"in", "-r", "r", "--mode", "slow"}).get("mode") == "slow");
    CHECK(parse({"in", "-r", "r", "--mode", "f"}).get("mode") == "fast");
    CHECK(usage_error({"in", "-r", "r", "--mode", "medium"}) == "--mode is fast or slow, not \"medium\"");
}

TEST_CASE("options: a repeatable option keeps every value, others the last", "[cli][arguments]") {
    ParsedArguments parsed = parse({"in", "-r", "a", "--allow", "X", "-r", "b", "--allow=Y,Z", "-q", "-q"});
    CHECK(parsed.all("allow") == std::vector<std::string>{"X", "Y,Z"});
    CHECK(parsed.get("allow") == "Y,Z");
    CHECK(parsed.all("rules") == std::vector<std::string>{"b"});
    CHECK(parsed.get("rules") == "b");
    CHECK(parsed.has("quiet"));
    CHECK(parsed.all("nothing").empty());
}

TEST_CASE("options: unknown options, missing values and values given to flags", "[cli][arguments]") {
    CHECK(usage_error({"in", "-r", "r", "--rules-file", "x"}) ==
          "unknown option --rules-file for \"pgscrub demo\" (see pgscrub demo --help)");
    CHECK(usage_error({"in", "-r", "r", "-x"}) == "unknown option -x for \"pgscrub demo\" (see pgscrub demo --help)");
    CHECK(usage_error({"in", "-r", "r", "--bogus=1"}) == "unknown option --bogus for \"pgscrub demo\" (see pgscrub demo --help)");
    CHECK(usage_error({"in", "-r"}) == "option -r needs a value: RULES");
    CHECK(usage_error({"in", "-r", "r", "--mode"}) == "option --mode needs a value: fast|slow");
    CHECK(usage_error({"in", "-r", "r", "--quiet=yes"}) == "option --quiet takes no value");
}

TEST_CASE("options: -- ends the options, - is a positional", "[cli][arguments]") {
    ParsedArguments parsed = parse({"-r", "r", "--", "-q"});
    CHECK(parsed.positionals == std::vector<std::string>{"-q"});
    CHECK_FALSE(parsed.has("quiet"));
    CHECK(parse({"-", "-r", "r"}).positionals == std::vector<std::string>{"-"});
}

TEST_CASE("options: positionals and required options are checked from the spec", "[cli][arguments]") {
    CHECK(usage_error({"-r", "r"}) == "demo needs one input: pgscrub demo IN -r RULES");
    CHECK(usage_error({"a", "b", "-r", "r"}) == "demo needs one input: pgscrub demo IN -r RULES");
    CHECK(usage_error({"in"}) == "demo needs a rules file: -r RULES");
    // Positionals first, as the commands checked them by hand.
    CHECK(usage_error({}) == "demo needs one input: pgscrub demo IN -r RULES");
    // An option that stands for the positionals.
    CHECK(parse({"--db", "postgresql:///x", "-r", "r"}).positionals.empty());
    CHECK(usage_error({"in", "--db", "postgresql:///x", "-r", "r"}) == "demo reads IN or --db, not both");
}

TEST_CASE("options: --help wins over missing arguments, not over unknown options", "[cli][arguments]") {
    CHECK(parse({"--help"}).has("help"));
    CHECK(parse({"-h", "a", "b", "c"}).has("help"));
    CHECK(usage_error({"--help", "--bogus"}) == "unknown option --bogus for \"pgscrub demo\" (see pgscrub demo --help)");
}

TEST_CASE("options: an unexpected argument is quoted without its secrets", "[cli][arguments]") {
    CommandSpec spec{"none", "", "none", "", {flag_option("quiet", 'q', "")}, {}, ""};
    auto message = [&](const std::vector<std::string>& args) -> std::string {
        try {
            parse_arguments(spec, args);
        } catch (const UsageError& e) {
            return e.what();
        }
        return "";
    };
    CHECK(message({"stray"}) == "unexpected argument \"stray\" (see pgscrub none --help)");
    CHECK(message({"postgresql://u:hunter22@db/x"}) == "unexpected argument \"postgresql://***@db/x\" (see pgscrub none --help)");
    CHECK(message({"https://bucket/b.dump?X-Amz-Signature=abc"}) ==
          "unexpected argument \"https://bucket/b.dump?***\" (see pgscrub none --help)");
    spec.positional_error = "unexpected argument {}: the database is given with --db URL";
    CHECK(message({"a", "host=db password=hunter22"}) == "unexpected argument \"a\": the database is given with --db URL");
    CHECK(message({"host=db password=hunter22"}) == "unexpected argument \"host=db password=***\": the database is given with --db URL");
}

TEST_CASE("options: help shows each option's placeholder, range and whether it is required", "[cli][arguments]") {
    std::string help = command_help(demo_spec());
    CHECK(help.find("usage: pgscrub demo IN -r RULES") == 0);
    CHECK(help.find("  -r, --rules RULES           rules file; required\n") != std::string::npos);
    CHECK(help.find("  -j, --jobs N                threads; N from 1 to 256\n") != std::string::npos);
    CHECK(help.find("      --mode fast|slow        how fast\n") != std::string::npos);
    CHECK(help.find("      --allow KIND            kinds to allow; may be given more than once\n") != std::string::npos);
    CHECK(help.find("  -h, --help                  show this help\n") != std::string::npos);
}

TEST_CASE("options: the Markdown table escapes | and marks values as code", "[cli][arguments]") {
    std::string table = options_markdown(demo_spec());
    CHECK(table.find("| option | meaning |\n| --- | --- |\n") == 0);
    CHECK(table.find("| `-r`, `--rules RULES` | rules file; required |\n") != std::string::npos);
    CHECK(table.find("| `-j`, `--jobs N` | threads; `N` from 1 to 256 |\n") != std::string::npos);
    CHECK(table.find("| `--mode fast\\|slow` | how fast |\n") != std::string::npos);
    CHECK(table.find("--help") == std::string::npos);
}

TEST_CASE("commands: every spec is well formed", "[cli][arguments]") {
    std::set<std::string> names;
    for (const Command& command : all_commands()) {
        const CommandSpec& spec = *command.spec;
        INFO(spec.name);
        CHECK(names.insert(spec.name).second);
        CHECK_FALSE(spec.brief.empty());
        CHECK(spec.synopsis.rfind(spec.name, 0) == 0);
        std::set<std::string> long_names{"help"};
        std::set<char> short_names{'h'};
        for (const OptionSpec& o : spec.options) {
            INFO(o.long_name);
            CHECK(long_names.insert(o.long_name).second);
            if (o.short_name) CHECK(short_names.insert(o.short_name).second);
            CHECK_FALSE(o.help.empty());
            CHECK((o.kind == ValueKind::Flag) == o.placeholder().empty());
            if (o.kind == ValueKind::Integer) CHECK(o.min <= o.max);
            if (o.kind == ValueKind::Choice) CHECK_FALSE(o.choices.empty());
        }
        // --help works for every command, whatever else it requires.
        CHECK(parse_arguments(spec, {"--help"}).has("help"));
    }
    CHECK(names.size() == 12); // the ten commands of issue 11, media sync and media verify
}
