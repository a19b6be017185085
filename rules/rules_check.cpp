#include "rules/rules_check.hpp"

#include "anonymise/transform_registry.hpp"
#include "rules/scrub_plan.hpp"

#include <algorithm>
#include <map>

namespace pgscrub::rules {

namespace {

SourcePosition in_file(const RulesFile& rules, const anonymise::TransformConfig::Position& p) {
    return {rules.path, p.line, p.column};
}

const ColumnRule* column_rule(const TableRule& rule, std::string_view column) {
    for (const ColumnRule& c : rule.columns)
        if (c.column == column) return &c;
    return nullptr;
}

std::string quoted_list(const std::vector<anonymise::TypeFamily>& families) {
    std::string text;
    for (auto f : families) text += (text.empty() ? "" : ", ") + std::string(anonymise::type_family_name(f));
    return text;
}

class Checker {
public:
    Checker(const RulesFile& rules, const dump::SchemaModel* schema) : rules_(rules), schema_(schema) {}

    CheckResult run() {
        if (schema_) bind();
        auto by_position = [](const Diagnostic& a, const Diagnostic& b) {
            return std::pair(a.where.line, a.where.column) < std::pair(b.where.line, b.where.column);
        };
        drop_repeated(result_.problems); // partitions of one partitioned table share one message
        std::stable_sort(result_.problems.begin(), result_.problems.end(), by_position);
        std::stable_sort(result_.warnings.begin(), result_.warnings.end(), by_position);
        return std::move(result_);
    }

private:
    const TableRule* governing_rule(const dump::QualifiedName& table) const {
        return rules::governing_rule(rules_, *schema_, table);
    }

    void bind() {
        std::map<std::string, TableAction> actions; // by "schema.table"
        for (const dump::Table& table : schema_->tables()) {
            if (!table.data_dump_id) continue;
            std::vector<Diagnostic> problems;
            TablePlan plan = plan_table(rules_, *schema_, table.name, table.copy_columns, problems);
            for (Diagnostic& d : problems) result_.problems.push_back(std::move(d));
            actions[table.name.schema + "." + table.name.name] = plan.action;
            if (const TableRule* rule = governing_rule(table.name)) check_columns(table, *rule);
        }
        check_truncated_references(actions);
        warn_missing();
    }

    void check_columns(const dump::Table& table, const TableRule& rule) {
        std::string table_name = table.name.schema + "." + table.name.name;
        for (const dump::Column& column : table.columns) {
            if (column.generated_expr) continue;
            const ColumnRule* c = column_rule(rule, column.name);
            bool unlisted = !c && std::none_of(rule.keep_columns.begin(), rule.keep_columns.end(),
                                               [&](const NamedPosition& k) { return k.name == column.name; });
            std::string transform = c ? c->transform.name
                                      : (unlisted && rule.kind == TableRule::Kind::Columns && rules_.unlisted_columns == UnlistedColumns::Null ? "null" : "keep");
            if (transform == "keep") continue;
            SourcePosition where = c ? in_file(rules_, c->transform.where) : rule.where;
            std::string subject = "column \"" + column.name + "\" of table \"" + table_name + "\"";
            if (transform == "null" && column.not_null) {
                result_.problems.push_back({where, subject + " is NOT NULL, so null would fail on restore — use set, a fake_* transform, mask or redact"});
            }
            const anonymise::TransformSpec* spec = anonymise::find_transform(transform);
            if (!spec) continue;
            if (!spec->injective) {
                for (const dump::UniqueKey& key : table.unique_keys) {
                    if (key.partial_or_expression || key.columns.size() != 1 || key.columns[0] != column.name) continue;
                    result_.problems.push_back({where, subject + " is unique (" + (key.primary_key ? "primary key " : "") + key.name +
                                                           "), but " + transform + " can give different rows the same value — use pseudonym or fake_email, which keep distinct values distinct"});
                    break;
                }
            }
            if (!spec->accepts.empty() && !column.type.empty()) {
                anonymise::TypeFamily family = anonymise::type_family(column.type);
                if (std::find(spec->accepts.begin(), spec->accepts.end(), family) == spec->accepts.end()) {
                    result_.problems.push_back({where, subject + " has type " + column.type + ", which " + transform +
                                                           " does not fit — " + transform + " takes " + quoted_list(spec->accepts) + " columns"});
                }
            }
        }
    }

    void check_truncated_references(const std::map<std::string, TableAction>& actions) {
        for (const dump::Table& table : schema_->tables()) {
            std::string referencing = table.name.schema + "." + table.name.name;
            auto mine = actions.find(referencing);
            if (mine == actions.end() || mine->second == TableAction::Truncate) continue;
            for (const dump::ForeignKey& fk : table.foreign_keys) {
                std::string referenced = fk.referenced_table.schema + "." + fk.referenced_table.name;
                auto theirs = actions.find(referenced);
                if (theirs == actions.end() || theirs->second != TableAction::Truncate) continue;
                const TableRule* rule = governing_rule(fk.referenced_table);
                result_.problems.push_back({rule ? rule->where : rules_.tables_where,
                                            "table \"" + referenced + "\" is truncated, but the kept rows of \"" + referencing +
                                                "\" reference it (foreign key " + fk.name + ") — the constraint would fail on restore; truncate \"" +
                                                referencing + "\" too, or keep or transform \"" + referenced + "\" instead"});
            }
        }
    }

    void warn_missing() {
        std::vector<std::string> table_names;
        for (const dump::Table& t : schema_->tables()) {
            table_names.push_back(t.name.schema == "public" ? t.name.name : t.name.schema + "." + t.name.name);
        }
        for (const TableRule& rule : rules_.tables) {
            const dump::Table* t = schema_->find({rule.table.schema, rule.table.name});
            if (!t) {
                std::string written = rule.table.schema == "public" ? rule.table.name : rule.table.display();
                result_.warnings.push_back({rule.where, "table \"" + rule.table.display() + "\" is not in this dump" +
                                                            suggestion(written, table_names)});
                continue;
            }
            std::vector<std::string> column_names;
            for (const dump::Column& c : t->columns) column_names.push_back(c.name);
            auto missing = [&](const std::string& column, const SourcePosition& where) {
                if (t->column(column)) return;
                result_.warnings.push_back({where, "column \"" + column + "\" is not in table \"" + rule.table.display() + "\"" +
                                                       suggestion(column, column_names)});
            };
            for (const NamedPosition& k : rule.keep_columns) missing(k.name, k.where);
            for (const ColumnRule& c : rule.columns) missing(c.column, c.where);
        }
    }

    static std::string suggestion(const std::string& word, const std::vector<std::string>& candidates) {
        std::string best = anonymise::did_you_mean(word, candidates);
        return best.empty() ? std::string() : " — did you mean \"" + best + "\"?";
    }

    const RulesFile& rules_;
    const dump::SchemaModel* schema_;
    CheckResult result_;
};

} // namespace

CheckResult check_rules(const RulesFile& rules, const dump::SchemaModel* schema) {
    return Checker(rules, schema).run();
}

} // namespace pgscrub::rules
