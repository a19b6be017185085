#include "rules/rules_file.hpp"

#include "rules/presets.hpp"

#include "anonymise/keyed_hash.hpp"
#include "anonymise/transform_registry.hpp"
#include "anonymise/unicode_text.hpp"
#include "common/byte_stream.hpp"
#include "common/interrupts.hpp"
#include "rules/yaml_diagnostics.hpp"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <unordered_set>

namespace pgscrub::rules {

namespace {

class Parser {
public:
    explicit Parser(std::string file) : file_(std::move(file)) {}

    RulesFile parse(std::string_view text) {
        RulesFile rules;
        rules.path = file_;
        rules.large_objects_where = {file_, 1, 1};
        YAML::Node root;
        try {
            root = YAML::Load(std::string(text));
        } catch (const YAML::ParserException& e) {
            diagnostics_.push_back(invalid_yaml(e, file_));
            throw RulesError(std::move(diagnostics_));
        }
        if (!root.IsMap()) {
            error(at(root), "expected a mapping with version, unlisted_tables, unlisted_columns and tables");
            throw RulesError(std::move(diagnostics_));
        }
        bool saw_version = false;
        for (const auto& item : root) {
            std::string key = item.first.Scalar();
            const YAML::Node& value = item.second;
            if (key == "version") {
                saw_version = true;
                if (!value.IsScalar() || value.Scalar() != "1") {
                    error(at(value), "unsupported rules version \"" + scalar(value) + "\" — this pgscrub reads version: 1");
                }
            } else if (key == "secret_env") {
                if (!value.IsScalar() || value.Scalar().empty()) error(at(value), "secret_env must name an environment variable — e.g. secret_env: PGSCRUB_SECRET");
                else rules.secret_env = value.Scalar();
            } else if (key == "unlisted_tables") {
                std::string v = scalar(value);
                if (v == "fail") rules.unlisted_tables = UnlistedTables::Fail;
                else if (v == "keep") rules.unlisted_tables = UnlistedTables::Keep;
                else if (v == "truncate") rules.unlisted_tables = UnlistedTables::Truncate;
                else error(at(value), "unknown policy \"" + v + "\" for unlisted_tables — expected fail, keep or truncate");
            } else if (key == "unlisted_columns") {
                // `null` unquoted is YAML's null, as for a column's null transform.
                std::string v = value.IsNull() ? std::string("null") : scalar(value);
                if (v == "fail") rules.unlisted_columns = UnlistedColumns::Fail;
                else if (v == "keep") rules.unlisted_columns = UnlistedColumns::Keep;
                else if (v == "null") rules.unlisted_columns = UnlistedColumns::Null;
                else error(at(value), "unknown policy \"" + v + "\" for unlisted_columns — expected fail, keep or null");
            } else if (key == "large_objects") {
                std::string v = scalar(value);
                rules.large_objects_where = at(item.first);
                if (v == "keep") rules.large_objects = LargeObjects::Keep;
                else if (v == "drop") rules.large_objects = LargeObjects::Drop;
                else error(at(value), "unknown policy \"" + v + "\" for large_objects — expected keep or drop");
            } else if (key == "tables") {
                rules.tables_where = at(item.first);
                parse_tables(value, rules);
            } else {
                error(at(item.first), "unknown key \"" + key + "\" — expected version, secret_env, unlisted_tables, unlisted_columns, large_objects or tables");
            }
        }
        if (!saw_version) error({file_, 1, 1}, "missing \"version: 1\" — every rules file states its format version");
        if (!diagnostics_.empty()) {
            std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
                return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
            });
            throw RulesError(std::move(diagnostics_));
        }
        return rules;
    }

private:
    void parse_tables(const YAML::Node& tables, RulesFile& rules) {
        if (tables.IsNull()) return;
        if (!tables.IsMap()) {
            error(at(tables), "tables must be a mapping of table name to rule — e.g. tables: {django_session: truncate}");
            return;
        }
        for (const auto& item : tables) {
            common::throw_if_interrupted(file_); // a large rules file takes a while
            TableRule rule;
            rule.table = TableName::parse(item.first.Scalar());
            rule.where = at(item.first);
            const YAML::Node& value = item.second;
            if (value.IsScalar() && value.Scalar() == "keep") {
                rule.kind = TableRule::Kind::Keep;
            } else if (value.IsScalar() && value.Scalar() == "truncate") {
                rule.kind = TableRule::Kind::Truncate;
            } else if (value.IsMap()) {
                rule.kind = TableRule::Kind::Columns;
                parse_column_rules(value, rule);
            } else {
                error(at(value), "unknown table rule \"" + scalar(value) + "\" — expected keep, truncate, or a mapping with keep:, columns: and reviewed:");
            }
            auto [slot, added] = rules.table_index.emplace(rule.table.schema + '\x1f' + rule.table.name, rules.tables.size());
            if (!added) {
                error(rule.where, "table \"" + rule.table.display() + "\" has a second rule — the first is at line " +
                                      std::to_string(rules.tables[slot->second].where.line));
                continue;
            }
            rules.tables.push_back(std::move(rule));
        }
    }

    void parse_column_rules(const YAML::Node& map, TableRule& rule) {
        std::unordered_set<std::string> seen;
        bool keep_all = false;
        auto note_column = [&](const std::string& name, const SourcePosition& where) {
            if (!seen.insert(name).second) {
                error(where, "column \"" + name + "\" of table \"" + rule.table.display() +
                                 "\" is named twice — give each column one rule, in keep: or in columns:");
            }
        };
        for (const auto& item : map) {
            std::string key = item.first.Scalar();
            const YAML::Node& value = item.second;
            // `keep:` or `columns:` with nothing under it (the last entry
            // commented out) is an empty list, not an error.
            if ((key == "keep" || key == "columns") && value.IsNull()) continue;
            if (key == "keep") {
                if (value.IsScalar() && value.Scalar() == "all") {
                    keep_all = true; // {keep: all, reviewed: "..."}: the whole table, confirmed
                    continue;
                }
                if (!value.IsSequence()) {
                    error(at(value), "keep: must be a list of column names (or all) — e.g. keep: [id, created_at]");
                    continue;
                }
                for (const auto& column : value) {
                    if (column.IsMap()) {
                        if (auto entry = parse_reviewed_keep(column)) {
                            note_column(entry->name, entry->where);
                            rule.keep_columns.push_back(std::move(*entry));
                        }
                        continue;
                    }
                    if (!column.IsScalar()) {
                        error(at(column), "keep: lists column names, or {column: NAME, reviewed: \"reason\"} — found a list");
                        continue;
                    }
                    rule.keep_columns.push_back({column.Scalar(), at(column), std::nullopt});
                    note_column(column.Scalar(), at(column));
                }
            } else if (key == "columns") {
                if (!value.IsMap()) {
                    error(at(value), "columns: must map column names to transforms — e.g. columns: {email: fake_email}");
                    continue;
                }
                for (const auto& column : value) {
                    ColumnRule column_rule;
                    column_rule.column = column.first.Scalar();
                    column_rule.where = at(column.first);
                    column_rule.transform = parse_transform(column.second, &column_rule.reviewed);
                    if (column_rule.reviewed && column_rule.transform.name != "keep") {
                        error(at(column.second["reviewed"]), "reviewed: confirms a kept column, but \"" + column_rule.column +
                                                                 "\" is transformed by " + column_rule.transform.name +
                                                                 " — remove reviewed:, or keep the column");
                    }
                    validate_transform(column_rule.transform);
                    note_column(column_rule.column, column_rule.where);
                    rule.columns.push_back(std::move(column_rule));
                }
            } else if (key == "reviewed") {
                rule.reviewed = reviewed_reason(value);
            } else {
                error(at(item.first), "unknown key \"" + key + "\" in the rule for table \"" + rule.table.display() +
                                          "\" — expected keep: (a list of columns), columns: (column: transform) and reviewed: (why kept data is not personal)");
            }
        }
        if (keep_all) {
            if (!rule.keep_columns.empty() || !rule.columns.empty()) {
                error(at(map["keep"]), "keep: all keeps the whole table — it cannot be combined with other keep: or columns: entries");
            }
            rule.kind = TableRule::Kind::Keep;
        }
    }

    // `reviewed: "reason"`: the reason must say something a later reviewer can read.
    std::optional<std::string> reviewed_reason(const YAML::Node& value) {
        if (!value.IsScalar() || value.Scalar().find_first_not_of(" \t") == std::string::npos) {
            error(at(value), "reviewed: needs a reason — e.g. reviewed: \"page titles are public\"");
            return std::nullopt;
        }
        return value.Scalar();
    }

    // keep: [{column: notes, reviewed: "free text typed by staff, checked"}]
    std::optional<NamedPosition> parse_reviewed_keep(const YAML::Node& node) {
        NamedPosition entry;
        entry.where = at(node);
        for (const auto& item : node) {
            std::string key = item.first.Scalar();
            if (key == "column" && item.second.IsScalar()) {
                entry.name = item.second.Scalar();
                entry.where = at(item.second);
            } else if (key == "reviewed") {
                entry.reviewed = reviewed_reason(item.second);
            } else {
                error(at(item.first), "unknown key \"" + key + "\" in a keep: entry — expected {column: NAME, reviewed: \"reason\"}");
                return std::nullopt;
            }
        }
        if (entry.name.empty()) {
            error(at(node), "a keep: entry written as a mapping needs column: — e.g. {column: notes, reviewed: \"checked\"}");
            return std::nullopt;
        }
        return entry;
    }

    // Unknown transforms and parameters are rules-file errors, found here so
    // every problem is reported at once, before any data is read.
    void validate_transform(const anonymise::TransformConfig& config) {
        if (config.name.empty()) return; // already reported by parse_transform
        std::vector<anonymise::ConfigProblem> problems;
        anonymise::build_transform(config, problems);
        for (const auto& p : problems) error({file_, p.where.line, p.where.column}, p.message);
    }

    anonymise::TransformConfig::Position position(const YAML::Node& node) const {
        auto mark = node.Mark();
        return {mark.line + 1, mark.column + 1};
    }

    // A transform: "name", null, or {transform: name, param: value, ...}.
    // `reviewed` (a column rule's own mapping only) receives reviewed: "reason".
    // Transforms nest (array each:, json others: and paths:); a YAML alias
    // can make a node its own child (`&t {transform: array, each: *t}`), which
    // would recurse for ever. No real rule nests this deep.
    static constexpr int kMaxTransformDepth = 32;

    anonymise::TransformConfig parse_transform(const YAML::Node& node, std::optional<std::string>* reviewed = nullptr,
                                               int depth = 0) {
        anonymise::TransformConfig config;
        config.where = position(node);
        if (depth > kMaxTransformDepth) {
            error(at(node), "transforms nested more than " + std::to_string(kMaxTransformDepth) +
                                " deep — is a YAML alias (*name) inside the transform it names (&name)?");
            config.name = "keep"; // reported above; nothing more to say about it
            return config;
        }
        if (node.IsNull() || (node.IsScalar() && node.Scalar() == "null")) {
            config.name = "null";
            return config;
        }
        if (node.IsScalar()) {
            config.name = node.Scalar();
            return config;
        }
        if (!node.IsMap()) {
            error(at(node), "expected a transform: a name such as fake_email, or a mapping with transform: and its parameters");
            return config;
        }
        bool named = false;
        for (const auto& item : node) {
            std::string key = item.first.Scalar();
            const YAML::Node& value = item.second;
            if (key == "reviewed" && reviewed) {
                *reviewed = reviewed_reason(value);
            } else if (key == "transform") {
                named = true;
                config.name = value.IsNull() ? "null" : scalar(value);
                config.where = position(value);
            } else if (key == "paths") {
                config.paths_where = position(item.first);
                if (!value.IsMap()) {
                    error(at(value), "paths: must map JSON paths to transforms — e.g. paths: {$.email: fake_email}");
                    continue;
                }
                for (const auto& path : value) {
                    config.nested.emplace_back(path.first.Scalar(), parse_transform(path.second, nullptr, depth + 1));
                }
            } else if (key == "each" || key == "others") {
                config.nested.emplace_back(key, parse_transform(value, nullptr, depth + 1));
            } else {
                anonymise::TransformConfig::Scalar param;
                param.where = position(value);
                if (value.IsSequence()) {
                    param.is_list = true;
                    for (const auto& element : value) param.items.push_back(scalar(element));
                } else if (value.IsScalar()) {
                    param.value = value.Scalar();
                } else if (value.IsNull()) {
                    param.value = "";
                } else {
                    error(at(value), "parameter \"" + key + "\" must be a value or a list, not a mapping");
                    continue;
                }
                config.scalars.emplace_back(key, std::move(param));
            }
        }
        if (!named) error(at(node), "a transform with parameters needs transform: <name> — e.g. {transform: fake_email, domain: example.org}");
        return config;
    }

    SourcePosition at(const YAML::Node& node) const { return position_of(node, file_); }

    static std::string scalar(const YAML::Node& node) { return node.IsScalar() ? node.Scalar() : std::string("<not a scalar>"); }

    void error(SourcePosition where, std::string message) {
        where.file = file_;
        diagnostics_.push_back({std::move(where), std::move(message)});
    }

    std::string file_;
    std::vector<Diagnostic> diagnostics_;
};

} // namespace

TableName TableName::parse(std::string_view text) {
    std::size_t dot = text.find('.');
    if (dot == std::string_view::npos) return {"public", std::string(text)};
    return {std::string(text.substr(0, dot)), std::string(text.substr(dot + 1))};
}

RulesFile load_rules_file(const std::string& argument) {
    // Errors in a preset name its installed file, which the user can open.
    const std::string path = names_preset(argument) ? preset_file(argument) : argument;
    std::error_code ignored;
    if (std::filesystem::is_directory(path, ignored)) {
        throw RulesError({{{path, 0, 0}, "is a directory, not a rules file — give -r the YAML file itself"}});
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) throw RulesError({{{path, 0, 0}, "cannot open the rules file — check the path given to -r"}});
    std::error_code size_error;
    if (auto size = std::filesystem::file_size(path, size_error); !size_error && size > kMaxRulesFileBytes) {
        throw RulesError({{{path, 0, 0}, "the rules file is " + std::to_string(size >> 20) + " MiB; pgscrub reads rules files of up to " +
                                             std::to_string(kMaxRulesFileBytes >> 20) + " MiB — is this the rules file?"}});
    }
    std::stringstream text;
    text << in.rdbuf();
    if (in.bad()) throw RulesError({{{path, 0, 0}, "cannot read the rules file"}});
    return parse_rules(text.str(), path);
}

namespace {

// YAML is UTF-8: the position (line, column in bytes) of the first byte that
// is not part of well-formed UTF-8, or nullopt.
std::optional<SourcePosition> first_invalid_utf8(std::string_view text, const std::string& file) {
    int line = 1, column = 1;
    for (std::size_t i = 0; i < text.size();) {
        auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
        unsigned char c = byte(i);
        std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        bool ok = length > 0 && i + length <= text.size() &&
                  anonymise::is_valid_utf8(text.substr(i, length));
        if (!ok) return SourcePosition{file, line, column};
        if (c == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
        i += length;
    }
    return std::nullopt;
}

} // namespace

const TableRule* RulesFile::rule_for(const std::string& schema, const std::string& name) const {
    auto found = table_index.find(schema + '\x1f' + name);
    return found == table_index.end() ? nullptr : &tables[found->second];
}

RulesFile parse_rules(std::string_view yaml_text, const std::string& file_name) {
    if (yaml_text.size() > kMaxRulesFileBytes) {
        throw RulesError({{{file_name, 0, 0}, "the rules file is larger than " + std::to_string(kMaxRulesFileBytes >> 20) +
                                                  " MiB — is this the rules file?"}});
    }
    if (auto bad = first_invalid_utf8(yaml_text, file_name)) {
        throw RulesError({{*bad, "not UTF-8 here — a rules file is YAML, which is UTF-8: save it as UTF-8"}});
    }
    if (yaml_text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        throw RulesError({{{file_name, 1, 1}, "the rules file is empty — it needs at least \"version: 1\" and tables:"}});
    }
    RulesFile rules = Parser(file_name).parse(yaml_text);
    rules.sha256 = anonymise::sha256_hex(yaml_text);
    return rules;
}

} // namespace pgscrub::rules
