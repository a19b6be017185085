// bash and zsh completion from the command specs (cli/completion.hpp).

#include "cli/completion.hpp"

#include "cli/commands.hpp"

#include <map>
#include <vector>

namespace pgscrub::cli {

namespace {

// The commands by first word: "media" -> {media sync, media verify}; a
// one-word command is a group of itself.
std::vector<std::pair<std::string, std::vector<const CommandSpec*>>> command_groups() {
    std::vector<std::pair<std::string, std::vector<const CommandSpec*>>> groups;
    for (const Command& c : all_commands()) {
        std::string first = c.spec->name.substr(0, c.spec->name.find(' '));
        if (groups.empty() || groups.back().first != first) groups.push_back({first, {}});
        groups.back().second.push_back(c.spec);
    }
    return groups;
}

std::vector<const OptionSpec*> options_of(const CommandSpec& spec) {
    std::vector<const OptionSpec*> options;
    for (const OptionSpec& o : spec.options) options.push_back(&o);
    options.push_back(&help_option());
    return options;
}

// The values completion offers for an option: its choices or suggestions.
const std::vector<std::string>& offered_values(const OptionSpec& o) {
    return o.kind == ValueKind::Choice ? o.choices : o.suggestions;
}

std::string joined(const std::vector<std::string>& words) {
    std::string text;
    for (const std::string& w : words) text += (text.empty() ? "" : " ") + w;
    return text;
}

std::string function_suffix(const std::string& name) {
    std::string suffix = name;
    for (char& c : suffix)
        if (c == ' ' || c == '-') c = '_';
    return suffix;
}

// --- bash --------------------------------------------------------------------

std::string bash_command_case(const CommandSpec& spec) {
    std::string text = "    \"" + spec.name + "\")\n        case $prev in\n";
    std::map<std::string, std::vector<std::string>> by_action; // action -> option spellings
    std::vector<std::string> all;
    for (const OptionSpec* o : options_of(spec)) {
        std::vector<std::string> names;
        if (o->short_name) names.push_back(std::string("-") + o->short_name);
        names.push_back("--" + o->long_name);
        all.insert(all.end(), names.begin(), names.end());
        if (o->kind == ValueKind::Flag) continue;
        std::string action;
        if (!offered_values(*o).empty())
            action = "mapfile -t COMPREPLY < <(compgen -W \"" + joined(offered_values(*o)) + "\" -- \"$cur\")";
        else if (o->kind == ValueKind::Path)
            action = "_pgscrub_files";
        else
            action = "COMPREPLY=()";
        for (const std::string& n : names) by_action[action].push_back(n);
    }
    for (const auto& [action, names] : by_action) {
        std::string pattern;
        for (const std::string& n : names) pattern += (pattern.empty() ? "" : "|") + n;
        text += "            " + pattern + ") " + action + "; return ;;\n";
    }
    text += "        esac\n        options=\"" + joined(all) + "\"\n";
    if (!spec.positionals.empty()) text += "        positional=1\n";
    return text + "        ;;\n";
}

// --- zsh ---------------------------------------------------------------------

// Text inside '...' in a zsh script.
std::string single_quoted(const std::string& text) {
    std::string out;
    for (char c : text) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out;
}

// An _arguments description: its first help line, brackets escaped.
std::string zsh_description(const std::string& help) {
    std::string out;
    for (char c : help.substr(0, help.find('\n'))) {
        if (c == '[' || c == ']') out += '\\';
        out += c;
    }
    return single_quoted(out);
}

std::string zsh_option(const OptionSpec& o) {
    std::string value;
    if (o.kind != ValueKind::Flag) {
        std::string message;
        for (char c : o.placeholder()) message += c == ':' ? std::string("\\:") : std::string(1, c);
        std::string action = !offered_values(o).empty()  ? "(" + joined(offered_values(o)) + ")"
                             : o.kind == ValueKind::Path ? "_files"
                                                         : " ";
        value = ":" + single_quoted(message) + ":" + action;
    }
    std::string long_form = "--" + o.long_name + (o.kind == ValueKind::Flag ? "" : "=");
    std::string help = "[" + zsh_description(o.help) + "]";
    std::string repeat = o.repeatable ? "*" : "";
    if (o.long_name == "help") return "'(- *)'{-h,--help}'" + help + "'";
    if (!o.short_name) return "'" + repeat + long_form + help + value + "'";
    std::string short_form = std::string("-") + o.short_name + (o.kind == ValueKind::Flag ? "" : "+");
    std::string exclusive = o.repeatable ? "'*'" : "'(-" + std::string(1, o.short_name) + " --" + o.long_name + ")'";
    return exclusive + "{" + short_form + "," + long_form + "}'" + help + value + "'";
}

std::string zsh_function(const CommandSpec& spec) {
    std::string text = "_pgscrub_" + function_suffix(spec.name) + "() {\n    _arguments -s -S";
    for (const OptionSpec* o : options_of(spec)) text += " \\\n        " + zsh_option(*o);
    if (!spec.positionals.empty()) text += " \\\n        '*:file:_files'";
    return text + "\n}\n\n";
}

std::string zsh_describe_list(const std::vector<std::pair<std::string, std::string>>& items) {
    std::string text;
    for (const auto& [word, brief] : items) text += "        '" + single_quoted(word + ":" + brief) + "'\n";
    return text;
}

} // namespace

std::string bash_completion() {
    auto groups = command_groups();
    std::vector<std::string> first_words;
    for (const auto& [first, specs] : groups) first_words.push_back(first);
    std::string text =
        "# shellcheck shell=bash\n"
        "# bash completion for pgscrub: generated from its command specs by `pgscrub help --completion bash`\n"
        "# (docs/commands.md, \"Manual pages and completion\"); do not edit.\n\n"
        "_pgscrub_files() {\n"
        "    compopt -o filenames 2>/dev/null\n"
        "    mapfile -t COMPREPLY < <(compgen -f -- \"$cur\")\n"
        "}\n\n"
        "_pgscrub() {\n"
        "    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]} options=\"\" positional=0\n"
        "    # --name=VALUE: bash splits the word at '=' (COMP_WORDBREAKS).\n"
        "    if [[ $cur == \"=\" ]]; then\n"
        "        cur=\"\"\n"
        "    elif [[ $prev == \"=\" ]] && ((COMP_CWORD > 2)); then\n"
        "        prev=${COMP_WORDS[COMP_CWORD-2]}\n"
        "    fi\n"
        "    if ((COMP_CWORD == 1)); then\n"
        "        mapfile -t COMPREPLY < <(compgen -W \"" +
        joined(first_words) +
        " --help --version\" -- \"$cur\")\n"
        "        return\n"
        "    fi\n"
        "    local command=${COMP_WORDS[1]}\n"
        "    case $command in\n";
    for (const auto& [first, specs] : groups) {
        if (specs.size() == 1 && specs[0]->name == first) continue;
        std::vector<std::string> second;
        for (const CommandSpec* s : specs) second.push_back(s->name.substr(first.size() + 1));
        text += "    " + first +
                ")\n        if ((COMP_CWORD == 2)); then\n            mapfile -t COMPREPLY < <(compgen -W \"" +
                joined(second) + "\" -- \"$cur\")\n            return\n        fi\n        command=\"" + first +
                " ${COMP_WORDS[2]}\"\n        ;;\n";
    }
    text += "    esac\n    case $command in\n";
    for (const Command& c : all_commands()) text += bash_command_case(*c.spec);
    text += "    *) return ;;\n"
            "    esac\n"
            "    if [[ $cur == -* ]]; then\n"
            "        mapfile -t COMPREPLY < <(compgen -W \"$options\" -- \"$cur\")\n"
            "    elif ((positional)); then\n"
            "        _pgscrub_files\n"
            "    fi\n"
            "}\n\n"
            "complete -F _pgscrub pgscrub\n";
    return text;
}

std::string zsh_completion() {
    std::string text =
        "#compdef pgscrub\n"
        "# zsh completion for pgscrub: generated from its command specs by `pgscrub help --completion zsh`\n"
        "# (docs/commands.md, \"Manual pages and completion\"); do not edit.\n\n";
    for (const Command& c : all_commands()) text += zsh_function(*c.spec);
    auto groups = command_groups();
    std::vector<std::pair<std::string, std::string>> top;
    for (const auto& [first, specs] : groups) {
        std::string brief = specs[0]->brief;
        if (specs.size() > 1 || specs[0]->name != first) {
            brief.clear();
            for (const CommandSpec* s : specs) brief += (brief.empty() ? "" : ", ") + s->name;
        }
        top.push_back({first, brief});
    }
    text += "_pgscrub() {\n"
            "    local -a commands\n"
            "    commands=(\n" +
            zsh_describe_list(top) +
            "    )\n"
            "    if ((CURRENT == 2)); then\n"
            "        if [[ $words[CURRENT] == -* ]]; then\n"
            "            compadd -- --help --version\n"
            "        else\n"
            "            _describe -t commands 'pgscrub command' commands\n"
            "        fi\n"
            "        return\n"
            "    fi\n"
            "    case $words[2] in\n";
    for (const auto& [first, specs] : groups) {
        if (specs.size() == 1 && specs[0]->name == first) {
            text += "    " + first + ")\n        shift words\n        ((CURRENT--))\n        _pgscrub_" +
                    function_suffix(first) + "\n        ;;\n";
            continue;
        }
        std::vector<std::pair<std::string, std::string>> second;
        for (const CommandSpec* s : specs) second.push_back({s->name.substr(first.size() + 1), s->brief});
        text += "    " + first +
                ")\n        if ((CURRENT == 3)); then\n            local -a subcommands\n            subcommands=(\n" +
                zsh_describe_list(second) + "            )\n            _describe -t commands 'pgscrub " + first +
                " subcommand' subcommands\n            return\n        fi\n        case $words[3] in\n";
        for (const CommandSpec* s : specs) {
            text += "        " + s->name.substr(first.size() + 1) +
                    ")\n            shift 2 words\n            ((CURRENT -= 2))\n            _pgscrub_" +
                    function_suffix(s->name) + "\n            ;;\n";
        }
        text += "        esac\n        ;;\n";
    }
    text += "    esac\n}\n\n_pgscrub \"$@\"\n";
    return text;
}

} // namespace pgscrub::cli
