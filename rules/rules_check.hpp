#pragma once
// `pgscrub check`: every problem in a rules file at once, and with a dump,
// what the rules would do to it: coverage, constraints, type fit.

#include "dump/schema_model.hpp"
#include "rules/rules_file.hpp"

#include <vector>

namespace pgscrub::rules {

struct CheckResult {
    std::vector<Diagnostic> problems;     // it does not fit the dump (exit 1)
    std::vector<Diagnostic> warnings;     // worth a look, not a failure
};

// The rules file was validated when it was loaded (load_rules_file throws
// RulesError for syntax, unknown transforms and parameters). With `schema`,
// this binds the rules to every table with data and reports uncovered tables and columns (under fail policies), null on
// NOT NULL columns, transforms that may merge values on UNIQUE columns,
// truncated tables that kept rows still reference, transforms that do not fit
// the column type, and (as warnings) rules naming what the dump lacks.
CheckResult check_rules(const RulesFile& rules, const dump::SchemaModel* schema);

} // namespace pgscrub::rules
