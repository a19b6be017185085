#include "scrub/inspect.hpp"

#include "common/json_writer.hpp"
#include "common/url_parts.hpp"
#include "dump/copy_text.hpp"
#include "dump/schema_model.hpp"
#include "dump/statistics_sql.hpp"
#include "dump/table_stream.hpp"

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

// Counts what the stream holds: rows and bytes per table, statistics
// statements, large objects. One pass, whatever the format.
class Measure final : public dump::TableStreamVisitor {
public:
    struct Table {
        std::string name;
        std::uint64_t line = 0; // plain scripts: the COPY statement's line
        std::vector<std::string> columns;
        DataFigures figures;
    };
    struct Statistics {
        std::string relation;
        std::uint64_t line;
    };

    void table(const dump::TableData& data, const dump::SchemaModel&, dump::Payload& payload) override {
        RowCounter counter;
        payload.decode(counter);
        DataFigures f;
        f.stored_bytes = payload.stored_bytes_read();
        f.copy_bytes = counter.copy_bytes;
        f.rows = counter.rows();
        f.encoding = dump::encoding_name(payload.encoding());
        if (data.entry) {
            by_dump_id[data.entry->dump_id] = f;
        } else {
            tables.push_back({data.display(), data.line, data.columns, f});
        }
    }
    common::ByteSink* begin_large_object(std::uint32_t) override {
        ++large_objects;
        return nullptr;
    }
    void end_large_object(std::uint32_t, std::uint64_t stored_bytes) override { large_object_bytes += stored_bytes; }
    void statistics(const dump::StatisticsStatement& statement, const dump::SchemaModel&) override {
        // Name the relation only: the values themselves may be personal.
        std::string relation;
        try {
            auto calls = dump::parse_statistics_sql(statement.sql);
            relation = calls.front().find("schemaname")->value + "." + calls.front().find("relname")->value;
        } catch (const dump::StatisticsSqlError&) {
            relation = "(statistics pgscrub cannot read)";
        }
        statistics_statements.push_back({relation, statement.line});
    }

    std::map<int, DataFigures> by_dump_id; // archives
    std::vector<Table> tables;             // plain scripts, in order
    std::vector<Statistics> statistics_statements;
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
        auto found = m.by_dump_id.find(e.dump_id);
        DataFigures f = found == m.by_dump_id.end() ? DataFigures{} : found->second;
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
        auto found = m.by_dump_id.find(e.dump_id);
        DataFigures f = found == m.by_dump_id.end() ? DataFigures{} : found->second;
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
std::string inspect_plain(const Measure& m, const InspectOptions& options) {
    if (options.json) {
        common::JsonWriter json;
        json.begin_object().key("archive").value(common::describe_url(options.input)).key("format").value("plain");
        json.key("tables").begin_array();
        for (const auto& b : m.tables) {
            json.begin_object().key("table").value(b.name).key("line").value(b.line).key("rows").value(b.figures.rows);
            json.key("copy_bytes").value(b.figures.copy_bytes).key("columns").begin_array();
            for (const auto& c : b.columns) json.value(c);
            json.end_array().end_object();
        }
        json.end_array();
        json.key("statistics").begin_array();
        for (const auto& st : m.statistics_statements) json.begin_object().key("relation").value(st.relation).key("line").value(st.line).end_object();
        json.end_array();
        json.key("large_objects").value(m.large_objects);
        json.end_object();
        return json.text() + "\n";
    }
    std::string out = "Archive:       " + common::describe_url(options.input) + "\nFormat:        plain\n\nCOPY blocks:\n";
    char line[512];
    for (const auto& b : m.tables) {
        std::snprintf(line, sizeof line, "  %s  (line %llu): %llu rows, %llu bytes of COPY text\n", b.name.c_str(),
                      static_cast<unsigned long long>(b.line), static_cast<unsigned long long>(b.figures.rows),
                      static_cast<unsigned long long>(b.figures.copy_bytes));
        out += line;
        std::string cols;
        for (const auto& c : b.columns) cols += (cols.empty() ? "" : ", ") + c;
        out += "      columns: " + cols + "\n";
    }
    if (!m.statistics_statements.empty()) {
        out += "\nStatistics (PostgreSQL 18 --statistics; they hold column values):\n";
        for (const auto& st : m.statistics_statements) out += "  " + st.relation + "  (line " + std::to_string(st.line) + ")\n";
    }
    if (m.large_objects) out += "\nLarge objects: " + std::to_string(m.large_objects) + "\n";
    return out;
}

} // namespace

std::string run_inspect(const InspectOptions& options) {
    dump::TableStream stream(options.input);
    Measure measure;
    stream.read(measure);
    if (!stream.archive()) return inspect_plain(measure, options);
    return options.json ? inspect_archive_json(*stream.archive(), stream.schema(), measure)
                        : inspect_archive_text(*stream.archive(), stream.schema(), measure);
}

} // namespace pgscrub::scrub
