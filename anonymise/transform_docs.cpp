// What the registry generates for people: the `pgscrub transforms` listing
// and the Markdown reference (docs/transforms.md, checked by a test).

#include "anonymise/transform_registry.hpp"

#include "anonymise/transform_text.hpp"

#include <sstream>

namespace pgscrub::anonymise {

using registry_text::join;
using registry_text::quoted;

namespace {

std::string params_line(const TransformSpec& spec) {
    std::vector<std::string> items;
    for (const auto& p : spec.params) {
        std::string item = p.name + ": ";
        if (p.type == ParamType::Integer && p.min_value && p.max_value)
            item += "integer " + std::to_string(*p.min_value) + ".." + std::to_string(*p.max_value);
        else
            item += param_type_name(p.type);
        if (p.required)
            item += ", required";
        else if (!p.default_value.empty())
            item += " = " + p.default_value;
        items.push_back(item);
    }
    return join(items, "   ");
}

std::string accepts_text(const TransformSpec& spec) {
    if (spec.accepts.empty()) return "any column type";
    std::vector<std::string> names;
    for (TypeFamily f : spec.accepts) names.push_back(type_family_name(f));
    return join(names);
}

} // namespace

std::string transforms_listing() {
    std::ostringstream out;
    out << "Transforms of pgscrub rules files (version 1):\n";
    std::size_t column = 0;
    for (const auto& spec : transform_registry()) column = std::max(column, spec.name.size() + 4);
    const std::string indent(column, ' ');
    for (const auto& spec : transform_registry()) {
        std::string name = "  " + spec.name;
        name.resize(column, ' ');
        out << "\n" << name << spec.summary << "\n";
        if (!spec.params.empty()) out << indent << params_line(spec) << "\n";
        out << indent << accepts_text(spec) << (spec.injective ? " · unique-safe" : "") << "\n";
        if (!spec.params.empty()) out << indent << "e.g. " << spec.example << "\n";
    }
    out << "\nunique-safe: distinct values stay distinct, so the transform may be used on a UNIQUE column.\n"
           "Every transform but null and set keeps NULL as NULL. The same value under the same key gives\n"
           "the same output in every table, column, JSON leaf and array element.\n"
           "Full reference with every parameter: docs/transforms.md.\n";
    return out.str();
}

std::string transforms_reference_markdown() {
    std::ostringstream out;
    out << "# Transforms\n\n"
           "<!-- Generated from the transform registry (anonymise/transform_registry.cpp); do not edit by hand. -->\n\n"
           "A column rule names a transform, either as a plain string (`email: fake_email`) or as a mapping "
           "with its parameters (`email: {transform: fake_email, domain: example.org}`).\n\n"
           "Keyed transforms are deterministic: they use HMAC-SHA256 under the key named by `secret_env` (or "
           "`--secret-file`), so the same value gives the same output in every table, column, JSON leaf and "
           "array element, and joins on personal values survive; a different key gives unrelated output, and "
           "nothing can be reversed without the key. Every transform except `null` and `set` keeps NULL as "
           "NULL. Text output is always valid UTF-8.\n\n"
           "*Unique-safe* transforms keep distinct values distinct, so they may be used on a column under a "
           "UNIQUE constraint; `pgscrub check` refuses the others there. *Column types* are the type families "
           "a transform may be applied to (see the end of this page); `pgscrub check` refuses the others.\n\n"
           "| transform | summary | column types | unique-safe |\n"
           "| --- | --- | --- | --- |\n";
    for (const auto& spec : transform_registry())
        out << "| [`" << spec.name << "`](#" << spec.name << ") | " << spec.summary << " | " << accepts_text(spec)
            << " | " << (spec.injective ? "yes" : "no") << " |\n";
    for (const auto& spec : transform_registry()) {
        out << "\n## " << spec.name << "\n\n" << spec.summary << "\n\n" << spec.details << "\n\n";
        out << "Column types: " << accepts_text(spec) << ". Unique-safe: " << (spec.injective ? "yes" : "no") << ".\n\n";
        if (spec.params.empty()) {
            out << "No parameters.\n\n";
        } else {
            out << "| parameter | type | required | default | meaning |\n| --- | --- | --- | --- | --- |\n";
            for (const auto& p : spec.params) {
                std::string type = param_type_name(p.type);
                if (p.type == ParamType::Integer && p.min_value && p.max_value) {
                    // Appended piece by piece: GCC 12 at -O3 flags `" " + …` with a false -Wrestrict.
                    type += ' ';
                    type += std::to_string(*p.min_value);
                    type += "–";
                    type += std::to_string(*p.max_value);
                }
                out << "| `" << p.name << "` | " << type << " | " << (p.required ? "yes" : "no") << " | "
                    << (p.default_value.empty() ? std::string("—") : std::string("`").append(p.default_value).append("`")) << " | " << p.summary
                    << " |\n";
            }
            out << "\n";
        }
        out << "```yaml\ncolumns:\n  some_column: " << spec.example << "\n```\n";
    }
    out << "\n## Column type families\n\n"
           "| family | PostgreSQL types |\n| --- | --- |\n"
           "| text | `text`, `character varying(n)`, `varchar`, `character(n)`, `name`, `citext` |\n"
           "| json | `json`, `jsonb` |\n"
           "| array | any `type[]` |\n"
           "| inet | `inet`, `cidr` |\n"
           "| bytea | `bytea` |\n"
           "| numeric | `smallint`, `integer`, `bigint`, `numeric(p,s)`, `real`, `double precision`, `money`, `oid` |\n"
           "| temporal | `date`, `time`, `timestamp` (with or without time zone), `interval` |\n"
           "| boolean | `boolean` |\n"
           "| other | everything else: `uuid`, `macaddr`, `xml`, enums, domains, composite types, ... |\n";
    return out.str();
}

} // namespace pgscrub::anonymise
