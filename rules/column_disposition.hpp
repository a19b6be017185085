#pragma once
// What the rules do to one column of one table, in words a reviewer reads:
// the leak scan classes its findings by it, the report lists it as coverage.

#include "dump/schema_model.hpp"
#include "rules/rules_file.hpp"

#include <optional>
#include <string>

namespace pgscrub::rules {

struct ColumnDisposition {
    enum class Action { Kept, Transformed, Nulled, Truncated } action = Action::Kept;
    // A rule names the column (or keeps or truncates its whole table); false
    // when only an unlisted_* policy decides what happens to it.
    bool listed = false;
    std::string transform = "keep";      // the transform's name; "keep" when kept, "truncate" for a truncated table
    std::optional<std::string> reviewed; // a reviewer's reason for keeping it (the column's own, else its table's)
    std::string rule_table;              // the table whose rule applies (a partition's parent, say); "" when unlisted
};

const char* action_name(ColumnDisposition::Action action); // "kept", "transformed", "nulled", "truncated"

ColumnDisposition column_disposition(const RulesFile& rules, const dump::SchemaModel& schema,
                                     const dump::QualifiedName& table, const std::string& column);

} // namespace pgscrub::rules
