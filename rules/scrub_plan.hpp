#pragma once
// A rules file bound to one archive's tables: what happens to each table's
// data, compiled to one transform object per column, built once.

#include "anonymise/transform.hpp"
#include "dump/archive_model.hpp"
#include "dump/schema_model.hpp"
#include "rules/rules_file.hpp"

#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <string>
#include <vector>

namespace pgscrub::rules {

enum class TableAction {
    Keep,      // every column as it is: copied without decompressing where possible
    Truncate,  // the table stays, its rows go
    Transform, // some columns are rewritten row by row
};

// What the rules do to one column, in words a reviewer reads: the report
// lists it as coverage, the leak scan classes its findings by it. Decided in
// one place (column_disposition), which plan_table also decides the run by,
// so what the report says ran is what ran.
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
const char* action_name(TableAction action);               // "kept", "truncated", "transformed": reports and summaries

struct ColumnPlan {
    std::string name;
    std::string transform_name;                      // "keep" when kept
    std::unique_ptr<anonymise::Transform> transform; // nullptr: kept byte for byte
};

struct TablePlan {
    std::string table; // schema.table, for reports and messages
    TableAction action = TableAction::Keep;
    std::string rule_table; // the table whose rule applies (a partition's parent, say); "" when unlisted
    std::vector<ColumnPlan> columns; // Transform: one per COPY column, in COPY order
    bool needs_row = false;          // a transform reads other columns (template)
    // What happens to each COPY column (any action), in COPY order: what the
    // report and --verify read.
    std::vector<std::pair<std::string, ColumnDisposition>> dispositions;

    // The disposition of `column`; nullptr when the table's data has no such column.
    const ColumnDisposition* disposition(const std::string& column) const;
};

struct ScrubPlan {
    std::map<int, TablePlan> by_dump_id; // TABLE DATA entries
    std::vector<Diagnostic> warnings;    // rules naming tables or columns the dump lacks

    const TablePlan* plan_for(int dump_id) const {
        auto found = by_dump_id.find(dump_id);
        return found == by_dump_id.end() ? nullptr : &found->second;
    }
    bool any_transform() const;
};

// Binds `rules` to every table with data in `schema`. A rule on a partitioned
// or inheritance parent applies to each child's data. Throws RulesError with
// every problem: a table or column with data no rule covers under a `fail`
// policy (fail closed), unknown transforms or parameters, transforms on
// generated columns.
ScrubPlan bind_rules(const RulesFile& rules, const dump::SchemaModel& schema);

// The rule that governs `table`: its own, or its nearest partition or
// inheritance ancestor's; nullptr when none names it.
const TableRule* governing_rule(const RulesFile& rules, const dump::SchemaModel& schema, const dump::QualifiedName& table);

// What the rules do to `column` of `table`: the one resolver of rule, keep
// list, unlisted policy and review. For tables no bound plan describes (a
// live database's, in scan --db).
ColumnDisposition column_disposition(const RulesFile& rules, const dump::SchemaModel& schema,
                                     const dump::QualifiedName& table, const std::string& column);

// The plan for one table met while streaming: `copy_columns` are the fields
// of its rows. Used by bind_rules and by the plain-format reader.
TablePlan plan_table(const RulesFile& rules, const dump::SchemaModel& schema, const dump::QualifiedName& table,
                     const std::vector<std::string>& copy_columns, std::vector<Diagnostic>& problems);

} // namespace pgscrub::rules
