#include "rules/scrub_plan.hpp"

#include "anonymise/transform_registry.hpp"

#include <algorithm>

namespace pgscrub::rules {

namespace {

const TableRule* find_rule(const RulesFile& rules, const dump::QualifiedName& table) {
    return rules.rule_for(table.schema, table.name);
}

} // namespace

const TableRule* governing_rule(const RulesFile& rules, const dump::SchemaModel& schema, const dump::QualifiedName& table) {
    dump::QualifiedName current = table;
    for (std::size_t steps = 0; steps <= schema.tables().size(); ++steps) {
        if (const TableRule* rule = find_rule(rules, current)) return rule;
        const dump::Table* t = schema.find(current);
        if (!t || t->parents.empty()) return nullptr;
        current = t->parents.front();
    }
    return nullptr;
}

namespace {

std::string plain_name(const dump::QualifiedName& table) {
    return table.schema == "public" ? table.name : table.schema + "." + table.name;
}

SourcePosition in_file(const RulesFile& rules, const anonymise::TransformConfig::Position& p) {
    return {rules.path, p.line, p.column};
}

// The disposition of `column` under `rule` (nullptr: no rule governs the
// table, so the unlisted_* policies decide).
ColumnDisposition dispose(const RulesFile& rules, const TableRule* rule, const std::string& column) {
    using Action = ColumnDisposition::Action;
    ColumnDisposition d;
    if (!rule) {
        if (rules.unlisted_tables == UnlistedTables::Truncate) {
            d.action = Action::Truncated;
            d.transform = "truncate";
        }
        return d;
    }
    d.rule_table = rule->table.display();
    switch (rule->kind) {
    case TableRule::Kind::Keep:
        d.listed = true;
        d.reviewed = rule->reviewed;
        return d;
    case TableRule::Kind::Truncate:
        d.listed = true;
        d.action = Action::Truncated;
        d.transform = "truncate";
        return d;
    case TableRule::Kind::Columns: break;
    }
    auto ruled = std::find_if(rule->columns.begin(), rule->columns.end(), [&](const ColumnRule& c) { return c.column == column; });
    if (ruled != rule->columns.end()) {
        d.listed = true;
        d.transform = ruled->transform.name;
        if (d.transform == "keep") d.reviewed = ruled->reviewed ? ruled->reviewed : rule->reviewed;
        else d.action = d.transform == "null" ? Action::Nulled : Action::Transformed;
        return d;
    }
    auto kept = std::find_if(rule->keep_columns.begin(), rule->keep_columns.end(),
                             [&](const NamedPosition& k) { return k.name == column; });
    if (kept != rule->keep_columns.end()) {
        d.listed = true;
        d.reviewed = kept->reviewed ? kept->reviewed : rule->reviewed;
        return d;
    }
    if (rules.unlisted_columns == UnlistedColumns::Null) {
        d.action = Action::Nulled;
        d.transform = "null";
    }
    return d;
}

} // namespace

const char* action_name(ColumnDisposition::Action action) {
    switch (action) {
    case ColumnDisposition::Action::Kept: return "kept";
    case ColumnDisposition::Action::Transformed: return "transformed";
    case ColumnDisposition::Action::Nulled: return "nulled";
    case ColumnDisposition::Action::Truncated: return "truncated";
    }
    return "kept";
}

const char* action_name(TableAction action) {
    switch (action) {
    case TableAction::Keep: return "kept";
    case TableAction::Truncate: return "truncated";
    case TableAction::Transform: return "transformed";
    }
    return "kept";
}

const ColumnDisposition* TablePlan::disposition(const std::string& column) const {
    for (const auto& [name, d] : dispositions)
        if (name == column) return &d;
    return nullptr;
}

ColumnDisposition column_disposition(const RulesFile& rules, const dump::SchemaModel& schema,
                                     const dump::QualifiedName& table, const std::string& column) {
    return dispose(rules, governing_rule(rules, schema, table), column);
}

bool ScrubPlan::any_transform() const {
    return std::any_of(by_dump_id.begin(), by_dump_id.end(),
                       [](const auto& entry) { return entry.second.action == TableAction::Transform; });
}

TablePlan plan_table(const RulesFile& rules, const dump::SchemaModel& schema, const dump::QualifiedName& table,
                     const std::vector<std::string>& copy_columns, std::vector<Diagnostic>& problems) {
    TablePlan plan;
    plan.table = table.schema + "." + table.name;
    const TableRule* rule = governing_rule(rules, schema, table);
    for (const std::string& column : copy_columns) plan.dispositions.emplace_back(column, dispose(rules, rule, column));
    if (!rule) {
        switch (rules.unlisted_tables) {
        case UnlistedTables::Keep: plan.action = TableAction::Keep; return plan;
        case UnlistedTables::Truncate: plan.action = TableAction::Truncate; return plan;
        case UnlistedTables::Fail: break;
        }
        SourcePosition where = rules.tables_where.line ? rules.tables_where : SourcePosition{rules.path, 0, 0};
        // A partition: the rule belongs on its partitioned table, where it
        // also covers the partitions added next month. One message per
        // partitioned table (bind_rules drops the repeats).
        dump::QualifiedName root = schema.root_of(table);
        const dump::Table* root_table = root == table ? nullptr : schema.find(root);
        if (root_table && root_table->partitioned) {
            problems.push_back({where, "partitioned table \"" + root.schema + "." + root.name +
                                           "\" has partitions with data and no rule names it or them (unlisted_tables: "
                                           "fail) — add \"" + plain_name(root) +
                                           ": keep\" (or truncate, or column rules) under tables: a rule on the "
                                           "partitioned table covers every partition, those added later too"});
            return plan;
        }
        problems.push_back({where, "table \"" + plan.table + "\" has data but no rule names it (unlisted_tables: fail) — add \"" +
                                       plain_name(table) + ": keep\" (or truncate, or column rules) under tables:, or set unlisted_tables: keep or truncate"});
        return plan;
    }
    plan.rule_table = rule->table.display();
    if (rule->kind == TableRule::Kind::Keep) return plan;
    if (rule->kind == TableRule::Kind::Truncate) {
        plan.action = TableAction::Truncate;
        return plan;
    }

    const dump::Table* described = schema.find(table);
    // INSERT data (pg_dump --inserts) has no COPY column list: decide from
    // the table's definition, so a rule that changes a column is never
    // taken for "nothing to change" — the caller then refuses the rows it
    // cannot rewrite.
    std::vector<std::string> declared;
    if (copy_columns.empty() && described) {
        for (const dump::Column& c : described->columns) {
            if (!c.generated_expr) declared.push_back(c.name);
        }
    }
    const std::vector<std::string>& columns = copy_columns.empty() ? declared : copy_columns;
    if (columns.empty() && std::any_of(rule->columns.begin(), rule->columns.end(),
                                       [](const ColumnRule& c) { return c.transform.name != "keep"; })) {
        problems.push_back({rule->where, "the rules change columns of \"" + plan.table +
                                             "\", but the dump says neither its columns nor its COPY list (INSERT data "
                                             "without the table's definition) — dump with the schema, and without --inserts"});
        return plan;
    }
    if (copy_columns.empty()) {
        // INSERT data: the declared columns stand for the COPY list.
        for (const std::string& column : columns) plan.dispositions.emplace_back(column, dispose(rules, rule, column));
    }
    bool changes = false;
    for (std::size_t i = 0; i < columns.size(); ++i) {
        const std::string& column = columns[i];
        // What happens to the column was decided once, by dispose() (the
        // dispositions are in the order of `columns`); here it is turned
        // into the transform object that does it.
        const ColumnDisposition& decided = plan.dispositions[i].second;
        ColumnPlan column_plan;
        column_plan.name = column;
        column_plan.transform_name = "keep";
        if (decided.listed && decided.transform != "keep") {
            auto ruled = std::find_if(rule->columns.begin(), rule->columns.end(),
                                      [&](const ColumnRule& c) { return c.column == column; });
            std::vector<anonymise::ConfigProblem> config_problems;
            column_plan.transform_name = ruled->transform.name;
            column_plan.transform = anonymise::build_transform(ruled->transform, config_problems);
            for (const auto& p : config_problems) problems.push_back({in_file(rules, p.where), p.message});
            if (column_plan.transform) {
                changes = true;
                plan.needs_row = plan.needs_row || column_plan.transform->needs_row();
            }
        } else if (decided.listed) {
            // kept: by the keep list, or by a `keep` transform
        } else {
            switch (rules.unlisted_columns) {
            case UnlistedColumns::Keep: break;
            case UnlistedColumns::Null: {
                anonymise::TransformConfig null_config;
                null_config.name = "null";
                std::vector<anonymise::ConfigProblem> ignored;
                column_plan.transform = anonymise::build_transform(null_config, ignored);
                column_plan.transform_name = "null";
                changes = true;
                break;
            }
            case UnlistedColumns::Fail:
                problems.push_back({rule->where, "column \"" + column + "\" of table \"" + plan.table +
                                                     "\" has data but no rule names it (unlisted_columns: fail) — add it to keep: or give it a transform under columns:"});
                break;
            }
        }
        plan.columns.push_back(std::move(column_plan));
    }
    // Rules for columns the data does not carry.
    for (const ColumnRule& c : rule->columns) {
        if (std::find(columns.begin(), columns.end(), c.column) != columns.end()) continue;
        const dump::Column* col = described ? described->column(c.column) : nullptr;
        if (col && col->generated_expr) {
            problems.push_back({c.where, "column \"" + c.column + "\" of table \"" + plan.table +
                                             "\" is generated: PostgreSQL recomputes it on restore from the columns it is computed from — remove this rule and transform those columns"});
        }
    }
    plan.action = changes ? TableAction::Transform : TableAction::Keep;
    if (!changes) plan.columns.clear();
    return plan;
}

ScrubPlan bind_rules(const RulesFile& rules, const dump::SchemaModel& schema) {
    ScrubPlan plan;
    std::vector<Diagnostic> problems;
    for (const dump::Table& table : schema.tables()) {
        if (!table.data_dump_id) continue;
        plan.by_dump_id[*table.data_dump_id] = plan_table(rules, schema, table.name, table.copy_columns, problems);
    }
    // Rules naming tables or columns this dump does not have: harmless for
    // the run (the dump may be partial), worth a warning.
    for (const TableRule& rule : rules.tables) {
        const dump::Table* t = schema.find({rule.table.schema, rule.table.name});
        if (!t) {
            plan.warnings.push_back({rule.where, "table \"" + rule.table.display() + "\" is not in this dump"});
            continue;
        }
        auto known = [&](const std::string& column) { return t->column(column) != nullptr; };
        for (const NamedPosition& k : rule.keep_columns)
            if (!known(k.name)) plan.warnings.push_back({k.where, "column \"" + k.name + "\" is not in table \"" + rule.table.display() + "\""});
        for (const ColumnRule& c : rule.columns)
            if (!known(c.column)) plan.warnings.push_back({c.where, "column \"" + c.column + "\" is not in table \"" + rule.table.display() + "\""});
    }
    drop_repeated(problems); // partitions of one partitioned table share one message
    if (!problems.empty()) throw RulesError(std::move(problems));
    return plan;
}

} // namespace pgscrub::rules
