#pragma once
// Command-line parsing from a table of options, so that validation, `--help`
// and the option tables of docs/commands.md all come from one description.
//
// Each option says what kind of value it takes. The parser checks the kinds it
// can check on its own (a whole number in its range, one of a list of choices)
// so every command reports a bad value the same way: one line naming the
// option and what it accepts (a UsageError: exit 2). It also checks what every
// command used to check by hand: required options and the number of
// positional arguments, each with the message the command gives. `--help`
// belongs to every command and wins over those checks, not over an unknown
// option.

#include "common/error.hpp"

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pgscrub::cli {

enum class ValueKind {
    Flag,    // no value
    Text,    // any text; the command checks it (--compress ALG[:LEVEL])
    Path,    // a file or directory; - is stdin or stdout where the command says so
    Address, // a database or HTTP address: it may hold a password, masked when quoted
    Integer, // a whole number from `min` to `max`
    Choice,  // one of `choices` (or of `aliases`, which stand for one of them)
};

struct OptionSpec {
    std::string long_name;  // "rules"
    char short_name = 0;    // 'r'
    ValueKind kind = ValueKind::Flag;
    std::string value_name; // "RULES" in help; a Choice without one shows its choices
    std::string help;       // for --help; '\n' starts a continuation line
    std::string doc;        // Markdown for docs/commands.md; empty: `help`
    long long min = 0;      // Integer: the accepted range
    long long max = 0;
    std::string unit;                                        // Integer: "threads" in "needs a number of threads"
    std::vector<std::string> choices;                        // Choice: the accepted values, as shown
    std::vector<std::pair<std::string, std::string>> aliases; // Choice: other spellings -> a choice ("c" -> "custom")
    bool repeatable = false;          // given again, adds a value; otherwise the last one given counts
    std::string required;             // non-empty: required, and the message when it is missing
    std::string excludes_positionals; // non-empty: with it the command takes no positionals; the message if given both
    std::vector<std::string> suggestions; // Text: values shell completion offers (the parser accepts others too)

    std::string placeholder() const; // what help shows after the option: "RULES", "in_place|swap"

    OptionSpec with_doc(std::string markdown) &&;
    OptionSpec required_as(std::string message) &&;
    OptionSpec repeated() &&;
    OptionSpec alias(std::string spelling, std::string choice) &&;
    OptionSpec instead_of_positionals(std::string message) &&;
    OptionSpec suggesting(std::vector<std::string> values) &&;
};

// The kinds, one constructor each, so a spec reads as a table.
OptionSpec flag_option(std::string long_name, char short_name, std::string help);
OptionSpec text_option(std::string long_name, char short_name, std::string value_name, std::string help);
OptionSpec path_option(std::string long_name, char short_name, std::string value_name, std::string help);
OptionSpec address_option(std::string long_name, char short_name, std::string value_name, std::string help);
OptionSpec integer_option(std::string long_name, char short_name, std::string value_name, long long min, long long max,
                          std::string unit, std::string help);
OptionSpec choice_option(std::string long_name, char short_name, std::string value_name, std::vector<std::string> choices,
                         std::string help);

struct CommandSpec {
    std::string name;
    std::string brief;    // one line for `pgscrub --help`
    std::string synopsis; // "scrub -r RULES [-i IN] [-o OUT] ..."
    std::string summary;
    std::vector<OptionSpec> options; // --help is every command's and is not listed
    // The positional arguments' names: the command takes exactly this many
    // (none with an option that excludes them).
    std::vector<std::string> positionals;
    // The message when their number is wrong; "{}" stands for the first one
    // too many (masked). Empty: a message made from the names.
    std::string positional_error;
};

class UsageError : public common::Error {
public:
    explicit UsageError(std::string what) : common::Error(common::ErrorKind::Usage, std::move(what)) {}
};

struct ParsedArguments {
    std::map<std::string, std::vector<std::string>> values; // long name -> values in order ("" for flags)
    std::vector<std::string> positionals;

    bool has(const std::string& name) const { return values.count(name) > 0; }
    // The value given (the last one, if given more than once).
    std::optional<std::string> get(const std::string& name) const;
    // Every value given, in order; for a repeatable option.
    std::vector<std::string> all(const std::string& name) const;
    // An Integer option's value, checked by the parser.
    std::optional<long long> integer(const std::string& name) const;
};

// Parses and checks `args` by `spec`. Throws UsageError naming the unknown or
// malformed option, the missing value, the missing required option or the
// wrong number of positionals. With --help only the options are checked: the
// caller prints command_help.
ParsedArguments parse_arguments(const CommandSpec& spec, const std::vector<std::string>& args);

// The --help text.
std::string command_help(const CommandSpec& spec);
// The Markdown table of the options, as docs/commands.md shows it.
std::string options_markdown(const CommandSpec& spec);
// What the parser checks beyond the placeholder ("; N from 1 to 256",
// "; required"), as help, the docs and the man pages say it.
std::string value_note(const OptionSpec& option);
// --help, which every command has and no spec lists.
const OptionSpec& help_option();

} // namespace pgscrub::cli
