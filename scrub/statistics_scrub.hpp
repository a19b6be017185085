#pragma once
// Planner statistics that carry nothing a rule removed.
//
// PostgreSQL 18's `pg_dump --statistics` writes, per table, index and
// materialized view, calls whose arguments include real column values
// (most_common_vals, histogram_bounds, most_common_elems, …). Restored as
// they are, they would put the very e-mails and names the rules replaced
// into pg_stats. So, from the rules:
//
// - a column the rules keep (in every table the statistics cover: a
//   partitioned parent's and an inheritance parent's `inherited` statistics
//   cover their children) keeps its statistics unchanged, so the restored
//   planner has them; a column no rule names only where the rules keep what
//   they do not name (unlisted_*: keep), and a generated column only when
//   every column its expression reads is kept;
// - a column the rules transform, null or set keeps only the arguments that
//   are not values (null_frac, avg_width, n_distinct, correlation); every
//   other argument goes, new ones a later PostgreSQL may add included;
// - a column of a truncated table loses its call, and the table's relation
//   statistics say 0 rows and 0 pages;
// - an expression index's statistics are values of its table's columns: kept
//   only when the rules keep every column its definition names (and, when it
//   names the row as a whole, every column), stripped otherwise;
// - statistics of anything the rules do not describe (a materialized view, a
//   foreign table, an index pgscrub could not place) are stripped of values.
//
// Text that is not the statistics SQL pg_dump writes is refused
// (StatisticsSqlError), never passed on.

#include "dump/archive_model.hpp"
#include "dump/schema_model.hpp"
#include "dump/table_stream.hpp"
#include "rules/rules_file.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace pgscrub::scrub {

// What the statistics rewrite did, for the summary and the report.
struct StatisticsTally {
    std::uint64_t entries = 0;                 // statistics entries (or plain statements) read
    std::uint64_t entries_changed = 0;         // of those, rewritten
    std::uint64_t entries_dropped = 0;         // left out whole (--drop-statistics)
    std::uint64_t attribute_calls = 0;         // per-column statistics read
    std::uint64_t attribute_calls_removed = 0; // columns of truncated tables
    std::uint64_t attribute_calls_stripped = 0; // columns that kept only non-value arguments
    std::uint64_t value_arguments_removed = 0; // histogram_bounds, most_common_vals, …
    std::uint64_t relations_emptied = 0;       // relation statistics set to 0 rows

    bool any() const { return entries > 0; }
};

// The rules' verdict on statistics, per relation and column.
// What a CREATE INDEX statement says: which table, and every name its
// column list, expressions and predicate use.
struct IndexDefinition {
    dump::QualifiedName index; // in its table's schema, as every index is
    dump::QualifiedName table;
    std::vector<std::string> names;
};
using IndexDefinitions = std::map<dump::QualifiedName, IndexDefinition>;

// `CREATE [UNIQUE] INDEX name ON [ONLY] schema.table …` (pg_dump always
// qualifies the table); nullopt for anything else.
std::optional<IndexDefinition> parse_index_definition(std::string_view create_index_sql);
// Every INDEX entry of an archive.
IndexDefinitions index_definitions(const dump::ArchiveModel& model);

class StatisticsPolicy {
public:
    // `indexes`: every index of the dump, by name.
    StatisticsPolicy(const rules::RulesFile& rules, const dump::SchemaModel& schema, const IndexDefinitions& indexes);

    enum class ColumnFate { Keep, StripValues, Remove };
    // `attname` is nullopt for an index expression (attnum).
    ColumnFate column(const dump::QualifiedName& relation, const std::optional<std::string>& attname, bool inherited) const;
    // True when every row the relation's statistics describe is truncated.
    bool emptied(const dump::QualifiedName& relation) const;

private:
    bool column_kept(const dump::Table& table, const std::string& column, int depth) const;
    bool column_kept_everywhere(const dump::QualifiedName& table, const std::string& column, bool inherited) const;
    bool truncated_everywhere(const dump::QualifiedName& table, bool inherited) const;

    const rules::RulesFile& rules_;
    const dump::SchemaModel& schema_;
    const IndexDefinitions& indexes_;
};

// Rewrites one statistics entry's SQL (or one plain-script statement) by the
// policy, adding to `tally`. Returns `sql` unchanged, byte for byte, when the
// policy keeps all of it. Throws dump::StatisticsSqlError.
std::string scrub_statistics_sql(std::string_view sql, const StatisticsPolicy& policy, StatisticsTally& tally);

// What scrub will do to a dump's statistics, writing nothing (check --dump).
// Reads `stream`'s SQL, not its data, so that its schema() is whole after.
struct StatisticsPlan {
    StatisticsTally tally;
    // The first statistics statement scrub would refuse (unreadable), if any:
    // kept for after the rules' own problems are told.
    std::optional<dump::ArchiveError> refused;
};
StatisticsPlan plan_statistics(dump::TableStream& stream, const rules::RulesFile& rules);

} // namespace pgscrub::scrub
