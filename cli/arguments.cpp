#include "cli/arguments.hpp"

#include "common/secret_masking.hpp"

#include <charconv>

namespace pgscrub::cli {

std::string OptionSpec::placeholder() const {
    if (!value_name.empty() || kind != ValueKind::Choice) return value_name;
    std::string shown;
    for (const std::string& c : choices) shown += (shown.empty() ? "" : "|") + c;
    return shown;
}

OptionSpec OptionSpec::with_doc(std::string markdown) && {
    doc = std::move(markdown);
    return std::move(*this);
}
OptionSpec OptionSpec::required_as(std::string message) && {
    required = std::move(message);
    return std::move(*this);
}
OptionSpec OptionSpec::repeated() && {
    repeatable = true;
    return std::move(*this);
}
OptionSpec OptionSpec::alias(std::string spelling, std::string choice) && {
    aliases.emplace_back(std::move(spelling), std::move(choice));
    return std::move(*this);
}
OptionSpec OptionSpec::instead_of_positionals(std::string message) && {
    excludes_positionals = std::move(message);
    return std::move(*this);
}
OptionSpec OptionSpec::suggesting(std::vector<std::string> values) && {
    suggestions = std::move(values);
    return std::move(*this);
}

namespace {
OptionSpec valued(ValueKind kind, std::string long_name, char short_name, std::string value_name, std::string help) {
    OptionSpec o;
    o.long_name = std::move(long_name);
    o.short_name = short_name;
    o.kind = kind;
    o.value_name = std::move(value_name);
    o.help = std::move(help);
    return o;
}
} // namespace

OptionSpec flag_option(std::string long_name, char short_name, std::string help) {
    return valued(ValueKind::Flag, std::move(long_name), short_name, "", std::move(help));
}
OptionSpec text_option(std::string long_name, char short_name, std::string value_name, std::string help) {
    return valued(ValueKind::Text, std::move(long_name), short_name, std::move(value_name), std::move(help));
}
OptionSpec path_option(std::string long_name, char short_name, std::string value_name, std::string help) {
    return valued(ValueKind::Path, std::move(long_name), short_name, std::move(value_name), std::move(help));
}
OptionSpec address_option(std::string long_name, char short_name, std::string value_name, std::string help) {
    return valued(ValueKind::Address, std::move(long_name), short_name, std::move(value_name), std::move(help));
}
OptionSpec integer_option(std::string long_name, char short_name, std::string value_name, long long min, long long max,
                          std::string unit, std::string help) {
    OptionSpec o = valued(ValueKind::Integer, std::move(long_name), short_name, std::move(value_name), std::move(help));
    o.min = min;
    o.max = max;
    o.unit = std::move(unit);
    return o;
}
OptionSpec choice_option(std::string long_name, char short_name, std::string value_name, std::vector<std::string> choices,
                         std::string help) {
    OptionSpec o = valued(ValueKind::Choice, std::move(long_name), short_name, std::move(value_name), std::move(help));
    o.choices = std::move(choices);
    return o;
}

std::optional<std::string> ParsedArguments::get(const std::string& name) const {
    auto found = values.find(name);
    if (found == values.end() || found->second.empty()) return std::nullopt;
    return found->second.back();
}

std::vector<std::string> ParsedArguments::all(const std::string& name) const {
    auto found = values.find(name);
    return found == values.end() ? std::vector<std::string>{} : found->second;
}

std::optional<long long> ParsedArguments::integer(const std::string& name) const {
    auto text = get(name);
    if (!text) return std::nullopt;
    return std::stoll(*text); // checked by parse_arguments
}

// Every command's, so it is in no spec.
const OptionSpec& help_option() {
    static const OptionSpec help = flag_option("help", 'h', "show this help");
    return help;
}

namespace {

const OptionSpec* find_long(const CommandSpec& spec, const std::string& name) {
    for (const OptionSpec& o : spec.options)
        if (o.long_name == name) return &o;
    return name == "help" ? &help_option() : nullptr;
}
const OptionSpec* find_short(const CommandSpec& spec, char name) {
    for (const OptionSpec& o : spec.options)
        if (o.short_name == name) return &o;
    return name == 'h' ? &help_option() : nullptr;
}

// "a, b or c"
std::string listed(const std::vector<std::string>& items) {
    std::string text;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i > 0) text += i + 1 == items.size() ? " or " : ", ";
        text += items[i];
    }
    return text;
}

// Values are quoted in messages, but never a password or a signed URL's query:
// any argument may be an address given in the wrong place.
std::string quoted(const std::string& value) { return "\"" + common::shown_url(common::mask_secrets(value).str()).str() + "\""; }

// The value as the command reads it, or a UsageError saying what is accepted.
std::string checked_value(const OptionSpec& option, const std::string& shown, const std::string& value) {
    if (option.kind == ValueKind::Integer) {
        long long number = 0;
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
        if (ec != std::errc() || end != value.data() + value.size() || number < option.min || number > option.max) {
            throw UsageError(shown + " needs a number of " + option.unit + " from " + std::to_string(option.min) + " to " +
                             std::to_string(option.max) + ", not " + quoted(value));
        }
    } else if (option.kind == ValueKind::Choice) {
        for (const std::string& c : option.choices)
            if (value == c) return value;
        for (const auto& [spelling, choice] : option.aliases)
            if (value == spelling) return choice;
        throw UsageError(shown + " is " + listed(option.choices) + ", not " + quoted(value));
    }
    return value;
}

void check_positionals(const CommandSpec& spec, const ParsedArguments& parsed) {
    for (const OptionSpec& o : spec.options) {
        if (!o.excludes_positionals.empty() && parsed.has(o.long_name)) {
            if (!parsed.positionals.empty()) throw UsageError(o.excludes_positionals);
            return;
        }
    }
    if (parsed.positionals.size() == spec.positionals.size()) return;
    std::string message = spec.positional_error;
    if (message.empty()) {
        message = spec.positionals.empty() ? "unexpected argument {} (see pgscrub " + spec.name + " --help)"
                                           : spec.name + " needs " + listed(spec.positionals) + ": pgscrub " + spec.synopsis;
    }
    std::string extra = parsed.positionals.size() > spec.positionals.size()
                            ? quoted(parsed.positionals[spec.positionals.size()])
                            : std::string("nothing");
    if (auto at = message.find("{}"); at != std::string::npos) message.replace(at, 2, extra);
    throw UsageError(message);
}

} // namespace

ParsedArguments parse_arguments(const CommandSpec& spec, const std::vector<std::string>& args) {
    ParsedArguments parsed;
    for (std::size_t i = 0; i < args.size(); ++i) {
        const std::string& arg = args[i];
        if (arg == "-" || arg.empty() || arg[0] != '-') {
            parsed.positionals.push_back(arg);
            continue;
        }
        if (arg == "--") {
            parsed.positionals.insert(parsed.positionals.end(), args.begin() + static_cast<long>(i) + 1, args.end());
            break;
        }
        const OptionSpec* option = nullptr;
        std::optional<std::string> inline_value;
        std::string shown = arg;
        if (arg.rfind("--", 0) == 0) {
            std::string name = arg.substr(2);
            std::size_t eq = name.find('=');
            if (eq != std::string::npos) {
                inline_value = name.substr(eq + 1);
                name = name.substr(0, eq);
                shown = "--" + name;
            }
            option = find_long(spec, name);
        } else {
            option = find_short(spec, arg[1]);
            shown = arg.substr(0, 2);
            if (arg.size() > 2) inline_value = arg.substr(2);
        }
        if (!option) throw UsageError("unknown option " + shown + " for \"pgscrub " + spec.name + "\" (see pgscrub " + spec.name + " --help)");
        std::vector<std::string>& values = parsed.values[option->long_name];
        if (option->kind == ValueKind::Flag) {
            if (inline_value) throw UsageError("option " + shown + " takes no value");
            values.assign(1, "");
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) throw UsageError("option " + shown + " needs a value: " + option->placeholder());
            inline_value = args[++i];
        }
        std::string value = checked_value(*option, shown, *inline_value);
        if (!option->repeatable) values.clear();
        values.push_back(std::move(value));
    }
    if (parsed.has("help")) return parsed;
    // Positionals first, then required options in the spec's order: the order
    // in which the commands checked them by hand.
    check_positionals(spec, parsed);
    for (const OptionSpec& o : spec.options)
        if (!o.required.empty() && !parsed.has(o.long_name)) throw UsageError(o.required);
    return parsed;
}

// What the parser checks beyond the placeholder, said once for help, docs and man pages.
std::string value_note(const OptionSpec& o) {
    std::string note;
    if (o.kind == ValueKind::Integer) note += "; " + o.placeholder() + " from " + std::to_string(o.min) + " to " + std::to_string(o.max);
    if (o.repeatable) note += "; may be given more than once";
    if (!o.required.empty()) note += "; required";
    return note;
}

// Help lines are kept within the width the specs' texts are written to.
constexpr std::size_t kHelpWidth = 120;

std::string command_help(const CommandSpec& spec) {
    std::string text = "usage: pgscrub " + spec.synopsis + "\n\n" + spec.summary + "\n\noptions:\n";
    std::vector<const OptionSpec*> options;
    for (const OptionSpec& o : spec.options) options.push_back(&o);
    options.push_back(&help_option());
    const std::string indent(30, ' ');
    for (const OptionSpec* o : options) {
        std::string left = "  ";
        left += o->short_name ? std::string("-") + o->short_name + ", " : "    ";
        left += "--" + o->long_name;
        if (o->kind != ValueKind::Flag) left += " " + o->placeholder();
        if (left.size() < indent.size()) left.resize(indent.size(), ' ');
        else left += "\n" + indent;
        // Continuation lines line up under the first; a note that would make
        // a long line longer gets its own.
        std::string help = o->help;
        std::string note = value_note(*o);
        std::size_t last_line = help.size() - (help.rfind('\n') == std::string::npos ? 0 : help.rfind('\n') + 1);
        if (!note.empty() && indent.size() + last_line + note.size() > kHelpWidth) note = "\n" + note.substr(2);
        help += note;
        for (std::size_t at = help.find('\n'); at != std::string::npos; at = help.find('\n', at + 1 + indent.size()))
            help.insert(at + 1, indent);
        text += left + help + "\n";
    }
    return text;
}

namespace {
// A '|' inside a table cell, even in code, ends the cell unless escaped.
std::string cell(std::string text) {
    for (std::size_t at = text.find('|'); at != std::string::npos; at = text.find('|', at + 2)) text.insert(at, "\\");
    return text;
}
} // namespace

std::string options_markdown(const CommandSpec& spec) {
    std::string text = "| option | meaning |\n| --- | --- |\n";
    for (const OptionSpec& o : spec.options) {
        std::string names = o.short_name ? std::string("`-") + o.short_name + "`, " : "";
        names += "`--" + o.long_name + (o.kind == ValueKind::Flag ? "" : " " + o.placeholder()) + "`";
        std::string meaning = o.doc.empty() ? o.help : o.doc;
        for (char& c : meaning)
            if (c == '\n') c = ' ';
        std::string note = value_note(o);
        // Markdown: the placeholder in the note is code, as in the first column.
        if (o.kind == ValueKind::Integer) note.replace(2, o.placeholder().size(), "`" + o.placeholder() + "`");
        text += "| " + cell(names) + " | " + cell(meaning + note) + " |\n";
    }
    return text;
}

} // namespace pgscrub::cli
