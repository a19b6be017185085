#include "rules/rules_file.hpp"

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

namespace pgscrub::rules {

namespace {

class Parser {
public:
    explicit Parser(std::string file) : file_(std::move(file)) {}

    RulesFile parse(std::string_view text) {
        RulesFile rules;
        rules.path = file_;
        YAML::Node root;
        try {
            root = YAML::Load(std::string(text));
        } catch (const YAML::ParserException& e) {
            error({file_, e.mark.line + 1, e.mark.column + 1}, "invalid YAML: " + e.msg);
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
                std::string v = scalar(value);
                if (v == "fail") rules.unlisted_columns = UnlistedColumns::Fail;
                else if (v == "keep") rules.unlisted_columns = UnlistedColumns::Keep;
                else if (v == "null") rules.unlisted_columns = UnlistedColumns::Null;
                else error(at(value), "unknown policy \"" + v + "\" for unlisted_columns — expected fail, keep or null");
            } else if (key == "tables") {
                parse_tables(value, rules);
            } else {
                error(at(item.first), "unknown key \"" + key + "\" — expected version, secret_env, unlisted_tables, unlisted_columns or tables");
            }
        }
        if (!saw_version) error({file_, 1, 1}, "missing \"version: 1\" — every rules file states its format version");
        if (!diagnostics_.empty()) throw RulesError(std::move(diagnostics_));
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
                error(at(value), "column rules for table \"" + rule.table.display() +
                                     "\" are not supported by this build of pgscrub — use keep or truncate for the whole table");
            } else {
                error(at(value), "unknown table rule \"" + scalar(value) + "\" — expected keep, truncate, or a mapping with keep: and columns:");
            }
            for (const TableRule& earlier : rules.tables) {
                if (earlier.table == rule.table) {
                    error(rule.where, "table \"" + rule.table.display() + "\" has a second rule — the first is at line " +
                                          std::to_string(earlier.where.line));
                }
            }
            rules.tables.push_back(std::move(rule));
        }
    }

    SourcePosition at(const YAML::Node& node) const {
        auto mark = node.Mark();
        return {file_, mark.line + 1, mark.column + 1};
    }

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

RulesFile load_rules_file(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw RulesError({{{path, 0, 0}, "cannot open the rules file — check the path given to -r"}});
    std::stringstream text;
    text << in.rdbuf();
    return parse_rules(text.str(), path);
}

RulesFile parse_rules(std::string_view yaml_text, const std::string& file_name) {
    return Parser(file_name).parse(yaml_text);
}

} // namespace pgscrub::rules
