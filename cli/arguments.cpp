#include "cli/arguments.hpp"

namespace pgscrub::cli {

std::optional<std::string> ParsedArguments::get(const std::string& name) const {
    auto found = values.find(name);
    if (found == values.end()) return std::nullopt;
    return found->second;
}

namespace {
const OptionSpec* find_long(const CommandSpec& spec, const std::string& name) {
    for (const OptionSpec& o : spec.options)
        if (o.long_name == name) return &o;
    return nullptr;
}
const OptionSpec* find_short(const CommandSpec& spec, char name) {
    for (const OptionSpec& o : spec.options)
        if (o.short_name == name) return &o;
    return nullptr;
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
        if (option->value_name.empty()) {
            if (inline_value) throw UsageError("option " + shown + " takes no value");
            parsed.values[option->long_name] = "";
            continue;
        }
        if (!inline_value) {
            if (i + 1 >= args.size()) throw UsageError("option " + shown + " needs a value: " + option->value_name);
            inline_value = args[++i];
        }
        parsed.values[option->long_name] = *inline_value;
    }
    return parsed;
}

std::string command_help(const CommandSpec& spec) {
    std::string text = "usage: pgscrub " + spec.synopsis + "\n\n" + spec.summary + "\n\noptions:\n";
    for (const OptionSpec& o : spec.options) {
        std::string left = "  ";
        left += o.short_name ? std::string("-") + o.short_name + ", " : "    ";
        left += "--" + o.long_name;
        if (!o.value_name.empty()) left += " " + o.value_name;
        if (left.size() < 30) left.resize(30, ' ');
        else left += "\n" + std::string(30, ' ');
        text += left + o.help + "\n";
    }
    return text;
}

} // namespace pgscrub::cli
