#include "scrub/database_walk.hpp"

#include "db/live_catalog.hpp"
#include "dump/copy_text.hpp"

namespace pgscrub::scrub {

void walk_database(const std::string& address_text, RowVisitor& visitor) {
    db::DatabaseAddress address = db::DatabaseAddress::parse(address_text);
    db::LiveDatabase database(address);
    dump::SchemaModel schema = database.read_catalog();
    std::vector<std::string_view> fields;
    for (const dump::Table& table : schema.tables()) {
        if (!table.data_dump_id || table.copy_columns.empty()) continue;
        WalkedTable walked;
        walked.name = table.name;
        walked.display = table.name.schema + "." + table.name.name;
        walked.columns = table.copy_columns;
        for (const std::string& c : table.copy_columns) walked.types.push_back(table.column(c)->type);
        walked.schema = &schema;
        if (!visitor.begin_table(walked)) continue;
        std::uint64_t rows = 0;
        database.copy_rows(table.name, [&](const std::string& row) {
            dump::copy_text::split_fields(row, fields);
            visitor.row(fields, ++rows);
        });
        visitor.end_table(rows);
    }
}

} // namespace pgscrub::scrub
