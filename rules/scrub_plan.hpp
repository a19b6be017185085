#pragma once
// A rules file bound to one archive: what happens to each table's data.

#include "dump/archive_model.hpp"
#include "rules/rules_file.hpp"

#include <map>

namespace pgscrub::rules {

enum class TableAction {
    Keep,     // every column as it is: copied without decompressing where possible
    Truncate, // the table stays, its rows go
};

struct ScrubPlan {
    std::map<int, TableAction> by_dump_id; // TABLE DATA entries

    TableAction action_for(int dump_id) const {
        auto found = by_dump_id.find(dump_id);
        return found == by_dump_id.end() ? TableAction::Keep : found->second;
    }
};

// Binds `rules` to the TABLE DATA entries of `archive`. Under
// `unlisted_tables: fail`, a table with data that no rule names is an error
// naming the table (fail closed: an unreviewed table never passes silently).
ScrubPlan bind_rules(const RulesFile& rules, const dump::ArchiveModel& archive);

// The same for a table met while streaming (plain format has no TOC).
TableAction action_for_table(const RulesFile& rules, const TableName& table);

} // namespace pgscrub::rules
