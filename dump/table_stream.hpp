#pragma once
// One walk over a dump of any format, table by table.
//
// Custom, directory and tar archives keep their tables' data in TOC entries
// with the schema up front; a plain script interleaves SQL and COPY blocks
// and says what a table is only in the statements before its data. Every
// reader of data (scan, the read-back of `scrub --verify`, inspect, preview,
// check) wants the same thing from both: each table's name, COPY columns,
// schema and rows, each large object's bytes, each statistics statement and
// the SQL around them. TableStream gives exactly that, so each of those
// commands has one code path, and the format is sniffed in one place
// (format_detect.hpp).
//
// `scrub` itself writes what it reads, and what surrounds the data is written
// differently per format (a TOC, or the script's text byte for byte), so it
// reads archives and scripts through their own visitors; the per-table
// rewrite it does is shared (scrub/table_scrub.hpp).

#include "dump/archive_io.hpp"
#include "dump/schema_model.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::dump {

// One table's data, however the dump stores it.
struct TableData {
    QualifiedName name;
    // The fields of each row, in order (empty for a zero-column table and for
    // data stored as INSERT statements, pg_dump --inserts).
    const std::vector<std::string>& columns;
    // The schema's table; nullptr when the dump does not define it.
    const Table* table = nullptr;
    // Archives: the TABLE DATA entry. nullptr in a plain script.
    const TocEntry* entry = nullptr;
    // Plain scripts: the line of the COPY statement. 0 in archives.
    std::uint64_t line = 0;

    // "schema.table", unquoted, as reports print it.
    std::string display() const { return name.schema + "." + name.name; }
};

// The TableData of an archive's data entry, and of a script's COPY block:
// what the stream delivers, for readers that walk a format themselves
// (scrub, which writes what surrounds the data too).
TableData archive_table_data(const TocEntry& entry, const SchemaModel& schema);
struct PlainCopyBlock;
TableData plain_table_data(const PlainCopyBlock& block, const SchemaModel& schema);

// A statement that sets PostgreSQL 18 planner statistics (they hold column
// values): a STATISTICS DATA entry's SQL, or the statement in a script.
struct StatisticsStatement {
    std::string_view sql;
    ErrorLocation where;    // names the TOC entry, or the statement's line
    std::uint64_t line = 0; // plain scripts: the statement's first line
};

class TableStreamVisitor {
public:
    virtual ~TableStreamVisitor() = default;
    // Each table's data in dump order; `rows` decodes to its COPY text. What
    // the visitor does not read is skipped.
    virtual void table(const TableData& table, const SchemaModel& schema, Payload& rows) = 0;
    // A large object: return a sink for its bytes, or nullptr to skip them.
    virtual common::ByteSink* begin_large_object(std::uint32_t oid) {
        (void)oid;
        return nullptr;
    }
    // After its bytes. `stored_bytes`: what the dump spends on it (compressed
    // in archives, the bytes themselves in a script).
    virtual void end_large_object(std::uint32_t oid, std::uint64_t stored_bytes) {
        (void)oid;
        (void)stored_bytes;
    }
    virtual void statistics(const StatisticsStatement& statement, const SchemaModel& schema) {
        (void)statement;
        (void)schema;
    }
    // The SQL around the data, which can carry values too (comments,
    // defaults, statistics): each TOC entry's definition, drop and COPY
    // statements (`place` is "TOC entry N (DESC name)"), or each statement of
    // a script ("statement N of the script"). Archives give all of it before
    // any data.
    virtual void sql_text(const std::string& place, std::string_view sql) {
        (void)place;
        (void)sql;
    }
};

class TableStream {
public:
    // Opens `input` (file, directory, "-" or URL; see open_input) and sniffs
    // its format. Throws ArchiveError naming the input.
    explicit TableStream(const std::string& input);
    ~TableStream();
    TableStream(const TableStream&) = delete;
    TableStream& operator=(const TableStream&) = delete;

    ArchiveFormat format() const { return format_; }
    // The input as messages show it (URL secrets masked).
    const std::string& shown_name() const { return shown_name_; }
    // The archive's header and TOC; nullptr for a plain script.
    const ArchiveReader* archive() const { return archive_.get(); }

    // What is known of the schema: for an archive all of it, from the start;
    // for a script nothing until read() has finished (the visitor's callbacks
    // get the tables defined so far), then every table with the data the
    // script held, as an archive's TABLE DATA entries would say.
    const SchemaModel& schema() const;
    bool schema_known_before_data() const { return archive_ != nullptr; }

    enum class Reach {
        Everything,
        // The SQL and statistics only: an archive's data is not read at all
        // (a script's is skipped, since it lies between the statements).
        DefinitionsOnly,
    };
    // Walks the dump once, calling `visitor` in dump order.
    void read(TableStreamVisitor& visitor, Reach reach = Reach::Everything);

private:
    ArchiveFormat format_ = ArchiveFormat::Custom;
    std::string shown_name_;
    std::unique_ptr<ArchiveReader> archive_;
    std::unique_ptr<common::InputStream> plain_;
    std::unique_ptr<SchemaModel> schema_;
};

} // namespace pgscrub::dump
