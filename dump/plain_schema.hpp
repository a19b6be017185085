#pragma once
// What a plain SQL script says about its tables, learnt from the statements
// that precede the data (pg_dump writes every table definition, partition
// attachment and key before the first COPY), so rules on partition parents
// and column types apply to plain scripts as they do to archives.

#include "dump/archive_model.hpp"
#include "dump/schema_model.hpp"
#include "dump/sql_lexer.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace pgscrub::dump {

class PlainSchemaLearner {
public:
    // Each top-level statement of the script, in order (PlainVisitor::statement).
    void statement(std::string_view text);
    // A COPY block's table (PlainVisitor::copy_data): recorded for
    // schema_with_data() only, so that schema() is not rebuilt per table.
    void table_data(const QualifiedName& table, const CopyStatement& copy);
    // The tables defined so far.
    const SchemaModel& schema();
    // Every table with the data seen so far, as an archive's TABLE DATA
    // entries would give them (data_dump_id, copy_columns): what a whole
    // script says, once it has been read.
    SchemaModel schema_with_data() const;
    // The script's client_encoding ("" until a SET names one).
    const std::string& encoding() const { return encoding_; }

private:
    static std::optional<std::string> ddl_kind(std::string_view sql);

    ArchiveModel ddl_;
    std::vector<TocEntry> data_;
    SchemaModel schema_;
    bool stale_ = true;
    int next_dump_id_ = 1;
    std::string encoding_;
};

// The encoding named by "SET client_encoding = 'X';" (an ENCODING entry's
// defn, or a plain script's statement); "" when `sql` is not that.
std::string client_encoding(std::string_view sql);

} // namespace pgscrub::dump
