#include "dump/table_stream.hpp"

#include "common/url_parts.hpp"
#include "dump/format_detect.hpp"
#include "dump/plain_format.hpp"
#include "dump/plain_schema.hpp"
#include "dump/sql_lexer.hpp"
#include "dump/statistics_sql.hpp"

#include <cstdlib>

namespace pgscrub::dump {

namespace {

const std::vector<std::string> kNoColumns;

// Statements that only define things give the visitor nothing to look at in
// a definitions-only walk: a script's rows are skipped by not reading them.
class SkipRows final : public TableStreamVisitor {
public:
    explicit SkipRows(TableStreamVisitor& inner) : inner_(inner) {}
    void table(const TableData&, const SchemaModel&, Payload&) override {}
    void statistics(const StatisticsStatement& s, const SchemaModel& schema) override { inner_.statistics(s, schema); }
    void sql_text(const std::string& place, std::string_view sql) override { inner_.sql_text(place, sql); }

private:
    TableStreamVisitor& inner_;
};

// A script's statements, COPY blocks and large objects, turned into the
// stream's events; learns the schema as it goes.
class PlainWalk final : public PlainVisitor {
public:
    PlainWalk(TableStreamVisitor& visitor, std::string name) : visitor_(&visitor), name_(std::move(name)) {}

    PlainSchemaLearner& learner() { return learner_; }

    void sql(std::string_view) override {}
    void sql_line(std::string_view, bool starts_statement, std::uint64_t line_number) override {
        if (starts_statement) statement_line_ = line_number;
    }
    void statement(std::string_view text) override {
        learner_.statement(text);
        visitor_->sql_text("statement " + std::to_string(++statements_) + " of the script", text);
        if (is_statistics_sql(text)) {
            StatisticsStatement statistics{
                text, ErrorLocation{name_, {}, {}, "statement at line " + std::to_string(statement_line_)}, statement_line_};
            visitor_->statistics(statistics, learner_.schema());
        } else {
            large_object_statement(text);
        }
    }
    void copy_data(const PlainCopyBlock& block, Payload& payload) override {
        const SchemaModel& schema = learner_.schema();
        TableData data = plain_table_data(block, schema);
        learner_.table_data(data.name, block.statement);
        visitor_->table(data, schema, payload);
    }
    void finish() {
        if (large_object_open_) end_large_object();
    }

private:
    // pg_dump writes a large object as lo_open('OID', …), lowrite(0, '\x…')
    // of up to 16 KiB each, lo_close(0): streamed like an archive's.
    void large_object_statement(std::string_view text) {
        std::vector<SqlToken> t = tokenize_sql(text.substr(0, 64));
        if (t.size() < 5 || !t[0].is_keyword("select") || !t[1].is_keyword("pg_catalog")) return;
        if (t[3].is_keyword("lo_open")) {
            if (large_object_open_) end_large_object();
            auto all = tokenize_sql(text);
            if (all.size() > 5 && all[5].kind == SqlTokenKind::String) {
                oid_ = static_cast<std::uint32_t>(std::strtoul(all[5].value.c_str(), nullptr, 10));
                large_object_open_ = true;
                large_object_bytes_ = 0;
                sink_ = visitor_->begin_large_object(oid_);
            }
        } else if (t[3].is_keyword("lowrite") && large_object_open_) {
            for (const SqlToken& token : tokenize_sql(text)) {
                if (token.kind != SqlTokenKind::String) continue;
                // '\x48656c6c6f' (or '\\x…' with standard_conforming_strings off, undone by the lexer)
                std::string_view hex = token.value;
                if (!hex.starts_with("\\x")) continue;
                hex.remove_prefix(2);
                std::string bytes;
                for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
                    bytes += static_cast<char>(std::strtoul(std::string(hex.substr(i, 2)).c_str(), nullptr, 16));
                }
                large_object_bytes_ += bytes.size();
                if (sink_) sink_->write(bytes);
            }
        } else if (t[3].is_keyword("lo_close") && large_object_open_) {
            end_large_object();
        }
    }
    void end_large_object() {
        large_object_open_ = false;
        sink_ = nullptr;
        visitor_->end_large_object(oid_, large_object_bytes_);
    }

    TableStreamVisitor* visitor_;
    std::string name_;
    PlainSchemaLearner learner_;
    std::uint64_t statement_line_ = 0;
    std::uint64_t statements_ = 0;
    bool large_object_open_ = false;
    std::uint32_t oid_ = 0;
    std::uint64_t large_object_bytes_ = 0;
    common::ByteSink* sink_ = nullptr;
};

// An archive's data blocks, turned into the stream's events.
class ArchiveWalk final : public DataVisitor {
public:
    ArchiveWalk(const SchemaModel& schema, TableStreamVisitor& visitor) : schema_(schema), visitor_(visitor) {}

    void table_data(const TocEntry& entry, Payload& payload) override {
        visitor_.table(archive_table_data(entry, schema_), schema_, payload);
    }
    void blobs_begin(const TocEntry&) override {}
    void blob(const TocEntry&, std::uint32_t oid, Payload& payload) override {
        if (common::ByteSink* sink = visitor_.begin_large_object(oid)) {
            payload.decode(*sink);
        } else {
            common::DiscardSink skipped;
            payload.copy_stored(skipped);
        }
        visitor_.end_large_object(oid, payload.stored_bytes_read());
    }
    void blobs_end(const TocEntry&) override {}

private:
    const SchemaModel& schema_;
    TableStreamVisitor& visitor_;
};

} // namespace

TableData archive_table_data(const TocEntry& entry, const SchemaModel& schema) {
    const Table* table = schema.table_for_data(entry.dump_id);
    QualifiedName name = table ? table->name : QualifiedName{entry.namespace_.value_or(""), entry.tag.value_or("")};
    return TableData{name, table ? table->copy_columns : kNoColumns, table, &entry, 0};
}

TableData plain_table_data(const PlainCopyBlock& block, const SchemaModel& schema) {
    QualifiedName name{block.statement.schema.empty() ? "public" : block.statement.schema, block.statement.table};
    const Table* table = schema.find(name);
    return TableData{name, block.statement.columns, table, nullptr, block.line};
}

TableStream::TableStream(const std::string& input) : shown_name_(common::describe_url(input)) {
    OpenedInput opened = open_input(input);
    format_ = opened.format;
    archive_ = std::move(opened.archive);
    plain_ = std::move(opened.plain);
    if (archive_) {
        shown_name_ = common::describe_url(archive_->name());
        schema_ = std::make_unique<SchemaModel>(SchemaModel::from_archive(archive_->model()));
    } else {
        schema_ = std::make_unique<SchemaModel>();
    }
}

TableStream::~TableStream() = default;

const SchemaModel& TableStream::schema() const { return *schema_; }

void TableStream::read(TableStreamVisitor& visitor, Reach reach) {
    SkipRows definitions_only(visitor);
    TableStreamVisitor& target = reach == Reach::Everything ? visitor : definitions_only;
    if (!archive_) {
        PlainWalk walk(target, shown_name_);
        read_plain(*plain_, walk);
        walk.finish();
        *schema_ = walk.learner().schema_with_data();
        return;
    }
    for (const TocEntry& e : archive_->model().entries) {
        const std::string place = "TOC entry " + std::to_string(e.dump_id) + " (" + e.describe() + ")";
        for (const std::optional<std::string>* text : {&e.defn, &e.drop_stmt, &e.copy_stmt}) {
            if (*text) target.sql_text(place, **text);
        }
        if (e.desc != "STATISTICS DATA" || !e.defn) continue;
        StatisticsStatement statistics{*e.defn, ErrorLocation{shown_name_, {}, e.dump_id, "TOC entry " + std::to_string(e.dump_id)},
                                       0};
        target.statistics(statistics, *schema_);
    }
    if (reach == Reach::DefinitionsOnly) return;
    ArchiveWalk walk(*schema_, visitor);
    archive_->read_data(walk);
}

} // namespace pgscrub::dump
