#include "rules/scrub_plan.hpp"

namespace pgscrub::rules {

namespace {

const TableRule* find_rule(const RulesFile& rules, const TableName& table) {
    for (const TableRule& rule : rules.tables)
        if (rule.table == table) return &rule;
    return nullptr;
}

Diagnostic unlisted(const RulesFile& rules, const TableName& table) {
    return {{rules.path, 0, 0},
            "table \"" + table.display() + "\" has data but no rule names it (unlisted_tables: fail) — add \"" +
                (table.schema == "public" ? table.name : table.display()) +
                ": keep\" (or truncate, or column rules) under tables:, or set unlisted_tables: keep or truncate"};
}

} // namespace

TableAction action_for_table(const RulesFile& rules, const TableName& table) {
    if (const TableRule* rule = find_rule(rules, table)) {
        return rule->kind == TableRule::Kind::Truncate ? TableAction::Truncate : TableAction::Keep;
    }
    switch (rules.unlisted_tables) {
    case UnlistedTables::Keep: return TableAction::Keep;
    case UnlistedTables::Truncate: return TableAction::Truncate;
    case UnlistedTables::Fail: break;
    }
    throw RulesError({unlisted(rules, table)});
}

ScrubPlan bind_rules(const RulesFile& rules, const dump::ArchiveModel& archive) {
    ScrubPlan plan;
    std::vector<Diagnostic> problems;
    for (const dump::TocEntry& entry : archive.entries) {
        if (!entry.is_table_data()) continue;
        TableName table{entry.namespace_.value_or(""), entry.tag.value_or("")};
        try {
            plan.by_dump_id[entry.dump_id] = action_for_table(rules, table);
        } catch (const RulesError& error) {
            problems.insert(problems.end(), error.diagnostics().begin(), error.diagnostics().end());
        }
    }
    if (!problems.empty()) throw RulesError(std::move(problems));
    return plan;
}

} // namespace pgscrub::rules
