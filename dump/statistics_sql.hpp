#pragma once
// The SQL of PostgreSQL 18's `STATISTICS DATA` entries: what `pg_dump
// --statistics` writes to carry the planner statistics of a table, index or
// materialized view over to the restored database.
//
// Each entry (and each such statement of a plain script) is a run of calls
//
//     SELECT * FROM pg_catalog.pg_restore_relation_stats(
//         'version', '180004'::integer,
//         'schemaname', 'public',
//         'relname', 'auth_user',
//         'relpages', '2'::integer, …
//     );
//     SELECT * FROM pg_catalog.pg_restore_attribute_stats(
//         …, 'attname', 'email', 'inherited', 'f'::boolean,
//         'histogram_bounds', '{ann@example.org,…}'::text, …
//     );
//
// whose arguments come in name/value pairs. Several of those values
// (most_common_vals, histogram_bounds, most_common_elems, …) are real column
// values, so a scrub must be able to take them apart and put them back
// together. Anything that is not exactly this shape is refused: pgscrub never
// passes on statistics it could not read.

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::dump {

struct StatisticsArgument {
    std::string name;  // 'histogram_bounds'
    std::string value; // the string literal's content, quotes undone
    std::string sql;   // the value as written: '{1,2}'::text
};

struct StatisticsCall {
    enum class Kind { Relation, Attribute } kind = Kind::Relation;
    std::vector<StatisticsArgument> arguments;

    const StatisticsArgument* find(std::string_view name) const;
    // schemaname.relname, attname or #attnum: for messages and reports.
    std::string describe() const;
};

// Why a text is not statistics SQL pgscrub can rewrite; `offset` is the byte
// in that text where the reading stopped.
class StatisticsSqlError : public std::runtime_error {
public:
    StatisticsSqlError(const std::string& what, std::size_t offset)
        : std::runtime_error(what), offset_(offset) {}
    std::size_t offset() const { return offset_; }

private:
    std::size_t offset_;
};

// True for an argument of pg_restore_attribute_stats that is, or may be, a
// column value (most_common_vals, histogram_bounds, most_common_elems, …,
// and any argument this list does not know): everything but the names and
// null_frac, avg_width, n_distinct and correlation.
bool is_value_argument(std::string_view name);

// True when `sql` (a statement, leading white space allowed) calls one of the
// statistics functions: the test a plain script's statements go through.
bool is_statistics_sql(std::string_view sql);

// Parses every call in `sql`. Throws StatisticsSqlError for anything else:
// another statement, an argument that is not a 'name', 'literal'[::type] pair,
// an odd argument count.
std::vector<StatisticsCall> parse_statistics_sql(std::string_view sql);

// Writes calls back in pg_dump's own layout (one argument pair per line, a
// tab before each), so an unchanged call reads as pg_dump wrote it.
std::string format_statistics_sql(const std::vector<StatisticsCall>& calls);

} // namespace pgscrub::dump
