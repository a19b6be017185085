#include "scrub/inspect.hpp"

#include "common/json_writer.hpp"
#include "common/url_parts.hpp"
#include "dump/copy_text.hpp"
#include "dump/format_detect.hpp"
#include "dump/plain_format.hpp"
#include "dump/schema_model.hpp"
#include "dump/statistics_sql.hpp"

#include <cstdio>
#include <map>

namespace pgscrub::scrub {

namespace {

struct DataFigures {
    std::uint64_t stored_bytes = 0;
    std::uint64_t copy_bytes = 0;
    std::uint64_t rows = 0;
    std::string encoding;
};

// Decodes a COPY stream only to count its rows and bytes.
class RowCounter final : public common::ByteSink {
public:
    void write(std::string_view bytes) override {
        copy_bytes += bytes.size();
        splitter_.feed(bytes, [](std::string_view) {});
    }
    std::uint64_t rows() const { return splitter_.rows_returned(); }
    std::uint64_t copy_bytes = 0;

private:
    dump::copy_text::RowSplitter splitter_;
};

class Measure final : public dump::DataVisitor {
public:
    void table_data(const dump::TocEntry& entry, dump::Payload& payload) override {
        RowCounter counter;
        payload.decode(counter);
        DataFigures& f = tables[entry.dump_id];
        f.stored_bytes = payload.stored_bytes_read();
        f.copy_bytes = counter.copy_bytes;
        f.rows = counter.rows();
        f.encoding = dump::encoding_name(payload.encoding());
    }
    void blobs_begin(const dump::TocEntry&) override {}
    void blob(const dump::TocEntry&, std::uint32_t, dump::Payload& payload) override {
        common::DiscardSink discard;
        payload.copy_stored(discard);
        ++large_objects;
        large_object_bytes += payload.stored_bytes_read();
    }
    void blobs_end(const dump::TocEntry&) override {}

    std::map<int, DataFigures> tables;
    std::uint64_t large_objects = 0;
    std::uint64_t large_object_bytes = 0;
};

std::string text_or_null(const std::optional<std::string>& s) { return s ? *s : "NULL"; }

std::string created_time(const dump::ArchiveHeader& h) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", h.created[5] + 1900, h.created[4] + 1, h.created[3],
                  h.created[2], h.created[1], h.created[0]);
    return buf;
}

std::string compression_text(const dump::ArchiveHeader& h) {
    if (h.version.at_least(1, 15)) return dump::compression_name(h.compression);
    if (h.legacy_level == 0) return "none";
    return "gzip (level " + std::to_string(h.legacy_level) + ")";
}

std::string inspect_archive_text(const dump::ArchiveReader& reader, const dump::SchemaModel& schema, const Measure& m) {
    const dump::ArchiveModel& model = reader.model();
    const dump::ArchiveHeader& h = model.header;
    std::string out;
    char line[1024];
    std::snprintf(line, sizeof line,
                  "Archive:       %s\nFormat:        %s\nVersion:       %s\nCompression:   %s\nCreated:       %s\n"
                  "Database:      %s\nDumped from:   %s\nDumped by:     %s\nTOC entries:   %zu\n\n",
                  reader.name().c_str(), dump::format_name(reader.format()), h.version.to_string().c_str(),
                  compression_text(h).c_str(), created_time(h).c_str(), text_or_null(h.database_name).c_str(),
                  text_or_null(h.server_version).c_str(), text_or_null(h.pgdump_version).c_str(), model.entries.size());
    out += line;
    out += "TOC:\n";
    for (const dump::TocEntry& e : model.entries) {
        std::snprintf(line, sizeof line, "  %6d  %-22s %s%s\n", e.dump_id, e.desc.value_or("?").c_str(),
                      e.qualified_name().c_str(), e.had_dumper ? "  [data]" : "");
        out += line;
    }
    out += "\nTables with data:\n";
    for (const dump::TocEntry& e : model.entries) {
        if (!e.is_table_data()) continue;
        auto found = m.tables.find(e.dump_id);
        DataFigures f = found == m.tables.end() ? DataFigures{} : found->second;
        std::snprintf(line, sizeof line, "  %s  (TOC entry %d): %llu rows, %llu bytes of COPY text, %llu bytes stored (%s)\n",
                      e.qualified_name().c_str(), e.dump_id, static_cast<unsigned long long>(f.rows),
                      static_cast<unsigned long long>(f.copy_bytes), static_cast<unsigned long long>(f.stored_bytes),
                      f.encoding.c_str());
        out += line;
        if (const dump::Table* t = schema.table_for_data(e.dump_id)) {
            for (const dump::Column& c : t->columns) {
                std::string flags;
                if (c.not_null) flags += " NOT NULL";
                if (c.generated_expr) flags += " GENERATED";
                if (c.identity) flags += " IDENTITY";
                for (const dump::UniqueKey& k : t->unique_keys) {
                    if (k.columns.size() == 1 && k.columns[0] == c.name && !k.partial_or_expression) {
                        flags += k.primary_key ? " PRIMARY KEY" : " UNIQUE";
                        break;
                    }
                }
                out += "      " + c.name + "  " + c.type + flags + "\n";
            }
            if (!t->parents.empty()) out += "      (child of " + t->parents.front().display() + ")\n";
        }
    }
    if (m.large_objects) {
        std::snprintf(line, sizeof line, "\nLarge objects: %llu (%llu bytes stored)\n",
                      static_cast<unsigned long long>(m.large_objects), static_cast<unsigned long long>(m.large_object_bytes));
        out += line;
    }
    return out;
}

std::string inspect_archive_json(const dump::ArchiveReader& reader, const dump::SchemaModel& schema, const Measure& m) {
    const dump::ArchiveModel& model = reader.model();
    const dump::ArchiveHeader& h = model.header;
    common::JsonWriter json;
    json.begin_object();
    json.key("archive").value(reader.name());
    json.key("format").value(dump::format_name(reader.format()));
    json.key("version").value(h.version.to_string());
    json.key("compression").value(dump::compression_name(h.compression));
    if (!h.version.at_least(1, 15)) json.key("compression_level").value(h.legacy_level);
    json.key("created").value(created_time(h));
    json.key("database").value(h.database_name.value_or(""));
    json.key("server_version").value(h.server_version.value_or(""));
    json.key("pg_dump_version").value(h.pgdump_version.value_or(""));
    json.key("toc").begin_array();
    for (const dump::TocEntry& e : model.entries) {
        json.begin_object();
        json.key("dump_id").value(e.dump_id);
        json.key("desc").value(e.desc.value_or(""));
        json.key("schema");
        if (e.namespace_) json.value(*e.namespace_);
        else json.null();
        json.key("name").value(e.tag.value_or(""));
        json.key("owner");
        if (e.owner) json.value(*e.owner);
        else json.null();
        json.key("has_data").value(e.had_dumper);
        if (e.offset.flag == dump::OffsetFlag::Set) json.key("data_offset").value(static_cast<std::uint64_t>(e.offset.position));
        if (e.filename && !e.filename->empty()) json.key("filename").value(*e.filename);
        json.end_object();
    }
    json.end_array();
    json.key("tables").begin_array();
    for (const dump::TocEntry& e : model.entries) {
        if (!e.is_table_data()) continue;
        auto found = m.tables.find(e.dump_id);
        DataFigures f = found == m.tables.end() ? DataFigures{} : found->second;
        json.begin_object();
        json.key("schema").value(e.namespace_.value_or(""));
        json.key("name").value(e.tag.value_or(""));
        json.key("dump_id").value(e.dump_id);
        json.key("rows").value(f.rows);
        json.key("copy_bytes").value(f.copy_bytes);
        json.key("stored_bytes").value(f.stored_bytes);
        json.key("stored_encoding").value(f.encoding);
        json.key("columns").begin_array();
        if (const dump::Table* t = schema.table_for_data(e.dump_id)) {
            for (const dump::Column& c : t->columns) {
                json.begin_object();
                json.key("name").value(c.name);
                json.key("type").value(c.type);
                json.key("not_null").value(c.not_null);
                json.key("generated").value(c.generated_expr.has_value());
                json.key("in_copy_data").value(std::find(t->copy_columns.begin(), t->copy_columns.end(), c.name) != t->copy_columns.end());
                json.end_object();
            }
        }
        json.end_array();
        json.end_object();
    }
    json.end_array();
    json.key("large_objects").value(m.large_objects);
    json.key("large_object_bytes").value(m.large_object_bytes);
    json.end_object();
    return json.text() + "\n";
}

// Plain scripts have no TOC: report the COPY blocks found, and the
// statements that carry values besides them (PostgreSQL 18 statistics,
// large objects).
class PlainMeasure final : public dump::PlainVisitor {
public:
    void sql(std::string_view text) override { sql_bytes += text.size(); }
    void sql_line(std::string_view line, bool starts_statement, std::uint64_t line_number) override {
        sql(line);
        if (starts_statement) statement_line_ = line_number;
    }
    void statement(std::string_view text) override {
        if (dump::is_statistics_sql(text)) {
            // Name the relation only: the values themselves may be personal.
            std::string relation = "?";
            try {
                auto calls = dump::parse_statistics_sql(text);
                relation = calls.front().find("schemaname")->value + "." + calls.front().find("relname")->value;
            } catch (const dump::StatisticsSqlError&) {
                relation = "(statistics pgscrub cannot read)";
            }
            statistics.push_back({relation, statement_line_});
        } else if (text.find("pg_catalog.lo_open(") != std::string_view::npos) {
            ++large_objects;
        }
    }
    void copy_data(const dump::PlainCopyBlock& block, dump::Payload& payload) override {
        RowCounter counter;
        payload.decode(counter);
        blocks.push_back({block.qualified_name(), block.line, counter.rows(), counter.copy_bytes, block.statement.columns});
    }
    struct Block {
        std::string table;
        std::uint64_t line;
        std::uint64_t rows;
        std::uint64_t bytes;
        std::vector<std::string> columns;
    };
    std::vector<Block> blocks;
    struct Statistics {
        std::string relation;
        std::uint64_t line;
    };
    std::vector<Statistics> statistics;
    std::uint64_t large_objects = 0;
    std::uint64_t sql_bytes = 0;

private:
    std::uint64_t statement_line_ = 0;
};

std::string inspect_plain(common::InputStream& in, const InspectOptions& options) {
    PlainMeasure m;
    dump::read_plain(in, m);
    if (options.json) {
        common::JsonWriter json;
        json.begin_object().key("archive").value(common::describe_url(options.input)).key("format").value("plain");
        json.key("tables").begin_array();
        for (const auto& b : m.blocks) {
            json.begin_object().key("table").value(b.table).key("line").value(b.line).key("rows").value(b.rows);
            json.key("copy_bytes").value(b.bytes).key("columns").begin_array();
            for (const auto& c : b.columns) json.value(c);
            json.end_array().end_object();
        }
        json.end_array();
        json.key("statistics").begin_array();
        for (const auto& st : m.statistics) json.begin_object().key("relation").value(st.relation).key("line").value(st.line).end_object();
        json.end_array();
        json.key("large_objects").value(m.large_objects);
        json.end_object();
        return json.text() + "\n";
    }
    std::string out = "Archive:       " + common::describe_url(options.input) + "\nFormat:        plain\n\nCOPY blocks:\n";
    char line[512];
    for (const auto& b : m.blocks) {
        std::snprintf(line, sizeof line, "  %s  (line %llu): %llu rows, %llu bytes of COPY text\n", b.table.c_str(),
                      static_cast<unsigned long long>(b.line), static_cast<unsigned long long>(b.rows),
                      static_cast<unsigned long long>(b.bytes));
        out += line;
        std::string cols;
        for (const auto& c : b.columns) cols += (cols.empty() ? "" : ", ") + c;
        out += "      columns: " + cols + "\n";
    }
    if (!m.statistics.empty()) {
        out += "\nStatistics (PostgreSQL 18 --statistics; they hold column values):\n";
        for (const auto& st : m.statistics) out += "  " + st.relation + "  (line " + std::to_string(st.line) + ")\n";
    }
    if (m.large_objects) out += "\nLarge objects: " + std::to_string(m.large_objects) + "\n";
    return out;
}

} // namespace

std::string run_inspect(const InspectOptions& options) {
    dump::OpenedInput input = dump::open_input(options.input);
    if (input.format == dump::ArchiveFormat::Plain) return inspect_plain(*input.plain, options);
    dump::SchemaModel schema = dump::SchemaModel::from_archive(input.archive->model());
    Measure measure;
    input.archive->read_data(measure);
    return options.json ? inspect_archive_json(*input.archive, schema, measure)
                        : inspect_archive_text(*input.archive, schema, measure);
}

} // namespace pgscrub::scrub
