#pragma once
// A rules file bound to one archive's tables: what happens to each table's
// data, compiled to one transform object per column, built once.

#include "anonymise/transform.hpp"
#include "dump/archive_model.hpp"
#include "dump/schema_model.hpp"
#include "rules/rules_file.hpp"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pgscrub::rules {

enum class TableAction {
    Keep,      // every column as it is: copied without decompressing where possible
    Truncate,  // the table stays, its rows go
    Transform, // some columns are rewritten row by row
};

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

// The plan for one table met while streaming: `copy_columns` are the fields
// of its rows. Used by bind_rules and by the plain-format reader.
TablePlan plan_table(const RulesFile& rules, const dump::SchemaModel& schema, const dump::QualifiedName& table,
                     const std::vector<std::string>& copy_columns, std::vector<Diagnostic>& problems);

} // namespace pgscrub::rules
