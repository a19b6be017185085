#pragma once
// Every table's rows, one at a time, from a dump of any format (and, through
// database_walk.hpp, from a live database): what `scan` and the read-back of
// `scrub --verify` look at. Rows arrive as raw COPY fields (escapes intact);
// memory does not grow with the data.

#include "dump/schema_model.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::scrub {

struct WalkedTable {
    dump::QualifiedName name;
    std::string display;              // schema.table, as reports print it
    std::vector<std::string> columns; // the fields of each row, in order
    std::vector<std::string> types;   // per column; "" when the dump does not say
    const dump::SchemaModel* schema = nullptr; // what is known of the tables so far
};

class RowVisitor {
public:
    virtual ~RowVisitor() = default;
    // Returns false to skip the table's rows.
    virtual bool begin_table(const WalkedTable& table) = 0;
    // `fields` are still COPY-escaped; `row_number` counts from 1.
    virtual void row(const std::vector<std::string_view>& fields, std::uint64_t row_number) = 0;
    virtual void end_table(std::uint64_t rows) = 0;
    // The SQL around the rows, which can carry values too (statistics,
    // comments, defaults): each TOC entry's definition, drop and COPY
    // statements ("TOC entry N (DESC name)"), or each statement of a plain
    // script ("statement N of the script"). Ignored unless a visitor cares.
    virtual void sql_text(const std::string& place, std::string_view sql) {
        (void)place;
        (void)sql;
    }
};

// Walks the table data of the dump at `input` (file, directory or "-";
// format detected). Throws ArchiveError for bad input, naming where.
void walk_dump(const std::string& input, RowVisitor& visitor);

// True for a column type that cannot hold text (numbers, times, booleans,
// UUIDs): scanning it costs time and gives false positives.
bool textless_type(std::string_view type);
// True for an array type ("text[]", "character varying(254)[]").
bool array_type(std::string_view type);

} // namespace pgscrub::scrub
