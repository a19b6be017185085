// Validation of a transform's configuration against the registry: unknown
// transforms and parameters (with "did you mean"), missing and malformed
// values, nested transforms; and building the transform once it is valid.

#include "anonymise/transform_registry.hpp"

#include "anonymise/transform_text.hpp"
#include "anonymise/unicode_text.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <set>

namespace pgscrub::anonymise {

using registry_text::join;
using registry_text::lower_ascii;
using registry_text::quoted;

namespace {

std::vector<std::string> param_names(const TransformSpec& spec) {
    std::vector<std::string> names;
    for (const auto& p : spec.params) names.push_back(p.name);
    return names;
}

const ParamSpec* find_param(const TransformSpec& spec, std::string_view name) {
    for (const auto& p : spec.params)
        if (p.name == name) return &p;
    return nullptr;
}

const ParamSpec* path_map_param(const TransformSpec& spec) {
    for (const auto& p : spec.params)
        if (p.type == ParamType::PathMap) return &p;
    return nullptr;
}

bool is_json_path(std::string_view key) { return !key.empty() && key.front() == '$'; }

std::string unknown_parameter(const TransformSpec& spec, std::string_view name) {
    std::string message = "unknown parameter " + quoted(name) + " for " + spec.name + " — ";
    if (spec.params.empty()) return message + spec.name + " takes no parameters";
    const auto names = param_names(spec);
    if (auto suggestion = did_you_mean(name, names); !suggestion.empty())
        message += "did you mean " + suggestion + "? ";
    return message + "valid: " + join(names);
}

std::string range_text(const ParamSpec& param) {
    if (param.min_value && param.max_value)
        return "an integer from " + std::to_string(*param.min_value) + " to " + std::to_string(*param.max_value);
    if (param.min_value) return "an integer of at least " + std::to_string(*param.min_value);
    if (param.max_value) return "an integer of at most " + std::to_string(*param.max_value);
    return "an integer";
}

// Checks one scalar against its ParamSpec.
void check_scalar(const TransformSpec& spec, const ParamSpec& param, const TransformConfig::Scalar& scalar,
                  std::vector<ConfigProblem>& problems) {
    const std::string prefix = "invalid " + param.name + " ";
    const std::string shown = scalar.is_list ? std::string("(a list)") : quoted(scalar.value);
    switch (param.type) {
    case ParamType::String:
        if (scalar.is_list)
            problems.push_back({scalar.where, prefix + "for " + spec.name + " — expected a single string, not a list"});
        break;
    case ParamType::Integer: {
        long long value = 0;
        const std::string& text = scalar.value;
        const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
        const bool ok = !scalar.is_list && !text.empty() && error == std::errc() && end == text.data() + text.size() &&
                        (!param.min_value || value >= *param.min_value) && (!param.max_value || value <= *param.max_value);
        if (!ok)
            problems.push_back({scalar.where, prefix + shown + " for " + spec.name + " — expected " + range_text(param)});
        break;
    }
    case ParamType::Character:
        if (scalar.is_list || !is_valid_utf8(scalar.value) || grapheme_count(scalar.value) != 1)
            problems.push_back({scalar.where, prefix + shown + " for " + spec.name +
                                                  " — expected exactly one character, e.g. \"*\""});
        break;
    case ParamType::StringList:
        break; // a list, or one scalar as a one-item list; the factory checks the items
    case ParamType::Transform: // the rules layer passes transforms, plain strings included, as nested configs
        problems.push_back({scalar.where, prefix + "for " + spec.name + " — expected a transform, e.g. " + param.name +
                                              ": fake_email or " + param.name + ": {transform: redact}"});
        break;
    case ParamType::PathMap:
        problems.push_back({scalar.where, prefix + "for " + spec.name +
                                              " — expected a mapping from JSON path to transform, e.g. " + param.name +
                                              ": {$.email: fake_email}"});
        break;
    }
}

// Generic checks of `config` against `spec`; true when all is well.
bool check_parameters(const TransformSpec& spec, const TransformConfig& config, std::vector<ConfigProblem>& problems) {
    const std::size_t before = problems.size();
    std::set<std::string, std::less<>> seen;
    for (const auto& [name, scalar] : config.scalars) {
        if (!seen.insert(name).second) {
            problems.push_back({scalar.where, "parameter " + quoted(name) + " given twice for " + spec.name +
                                                  " — keep one"});
            continue;
        }
        const ParamSpec* param = find_param(spec, name);
        if (!param) {
            problems.push_back({scalar.where, unknown_parameter(spec, name)});
            continue;
        }
        check_scalar(spec, *param, scalar, problems);
    }
    bool has_paths = false;
    for (const auto& [name, nested] : config.nested) {
        if (is_json_path(name)) {
            if (path_map_param(spec)) {
                has_paths = true;
                continue;
            }
            problems.push_back({nested.where, unknown_parameter(spec, name)});
            continue;
        }
        if (!seen.insert(name).second) {
            problems.push_back({nested.where, "parameter " + quoted(name) + " given twice for " + spec.name +
                                                  " — keep one"});
            continue;
        }
        const ParamSpec* param = find_param(spec, name);
        if (!param) {
            problems.push_back({nested.where, unknown_parameter(spec, name)});
        } else if (param->type != ParamType::Transform) {
            problems.push_back({nested.where, "invalid " + param->name + " for " + spec.name + " — expected " +
                                                  (param->type == ParamType::Integer ? range_text(*param)
                                                                                     : std::string("a ") +
                                                                                           param_type_name(param->type)) +
                                                  ", not a transform"});
        }
    }
    for (const auto& param : spec.params) {
        if (!param.required) continue;
        const bool present = param.type == ParamType::PathMap ? has_paths || config.paths_where.line != 0
                                                              : config.scalar(param.name) || config.nested_config(param.name);
        if (!present)
            problems.push_back({config.where, "missing required parameter " + quoted(param.name) + " for " + spec.name +
                                                  " — e.g. " + spec.example});
    }
    return problems.size() == before;
}

// Lower-cased optimal string alignment distance (transpositions count 1).
std::size_t edit_distance(std::string_view a, std::string_view b) {
    auto lower = [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); };
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i) d[i][0] = i;
    for (std::size_t j = 0; j <= m; ++j) d[0][j] = j;
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j) {
            const std::size_t cost = lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1;
            d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
            if (i > 1 && j > 1 && lower(a[i - 1]) == lower(b[j - 2]) && lower(a[i - 2]) == lower(b[j - 1]))
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    return d[n][m];
}

} // namespace

std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates) {
    const std::size_t limit = std::max<std::size_t>(1, word.size() / 3);
    std::string best;
    std::size_t best_distance = limit + 1;
    for (const auto& candidate : candidates) {
        if (candidate == word) continue;
        const std::size_t d = edit_distance(word, candidate);
        if (d < best_distance) {
            best_distance = d;
            best = candidate;
        }
    }
    if (!best.empty() || word.empty()) return best;
    // Appended rather than `"_" + …`: GCC 12 at -O3 flags that with a false -Wrestrict.
    std::string suffix = "_";
    suffix += lower_ascii(word);
    for (const auto& candidate : candidates)
        if (candidate.size() > suffix.size() && lower_ascii(candidate).ends_with(suffix) &&
            (best.empty() || candidate.size() < best.size()))
            best = candidate;
    return best;
}

std::unique_ptr<Transform> build_transform(const TransformConfig& config, std::vector<ConfigProblem>& problems) {
    const TransformSpec* spec = find_transform(config.name);
    bool ok = spec != nullptr;
    if (!spec) {
        std::vector<std::string> names;
        for (const auto& s : transform_registry()) names.push_back(s.name);
        if (config.name.empty()) {
            problems.push_back({config.where, "missing transform name — e.g. {transform: fake_email}; valid: " +
                                                  join(names)});
        } else if (auto suggestion = did_you_mean(config.name, names); !suggestion.empty()) {
            problems.push_back({config.where, "unknown transform " + quoted(config.name) + " — did you mean " +
                                                  suggestion + "? (see pgscrub transforms)"});
        } else {
            problems.push_back({config.where, "unknown transform " + quoted(config.name) + " — valid: " + join(names) +
                                                  " (see pgscrub transforms)"});
        }
    } else {
        ok = check_parameters(*spec, config, problems);
    }
    if (!ok) {
        // Still report what is wrong inside nested transforms.
        for (const auto& [name, nested] : config.nested) {
            (void)name;
            (void)build_transform(nested, problems);
        }
        return nullptr;
    }
    const std::size_t before = problems.size();
    auto transform = spec->factory(config, problems);
    if (problems.size() != before) return nullptr;
    if (!transform)
        problems.push_back({config.where, "transform \"" + spec->name + "\" could not be built — check its parameters"});
    return transform;
}

} // namespace pgscrub::anonymise
