#include "rules/column_disposition.hpp"

#include "rules/scrub_plan.hpp"

#include <algorithm>

namespace pgscrub::rules {

const char* action_name(ColumnDisposition::Action action) {
    switch (action) {
    case ColumnDisposition::Action::Kept: return "kept";
    case ColumnDisposition::Action::Transformed: return "transformed";
    case ColumnDisposition::Action::Nulled: return "nulled";
    case ColumnDisposition::Action::Truncated: return "truncated";
    }
    return "kept";
}

ColumnDisposition column_disposition(const RulesFile& rules, const dump::SchemaModel& schema,
                                     const dump::QualifiedName& table, const std::string& column) {
    using Action = ColumnDisposition::Action;
    ColumnDisposition d;
    const TableRule* rule = governing_rule(rules, schema, table);
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

} // namespace pgscrub::rules
