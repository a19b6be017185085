#include "pipeline/table_walk.hpp"

#include "anonymise/transform_registry.hpp"
#include "dump/copy_text.hpp"
#include "dump/format_detect.hpp"
#include "dump/plain_format.hpp"
#include "pipeline/plain_schema.hpp"

namespace pgscrub::pipeline {

namespace {

// Splits one table's COPY stream into rows for the visitor.
class RowFeeder final : public dump::ByteSink {
public:
    RowFeeder(RowVisitor& visitor, dump::ErrorLocation where) : visitor_(visitor), where_(std::move(where)) {}

    void write(std::string_view bytes) override {
        splitter_.feed(bytes, [this](std::string_view row) {
            dump::copy_text::split_fields(row, fields_);
            visitor_.row(fields_, splitter_.rows_returned());
        });
    }

    void finish() {
        auto end = splitter_.finish();
        if (!end) throw dump::ArchiveError("COPY data: " + end.message(), where_);
        visitor_.end_table(splitter_.rows_returned());
    }

private:
    RowVisitor& visitor_;
    dump::ErrorLocation where_;
    dump::copy_text::RowSplitter splitter_;
    std::vector<std::string_view> fields_;
};

std::vector<std::string> column_types(const dump::Table* table, const std::vector<std::string>& columns) {
    std::vector<std::string> types;
    types.reserve(columns.size());
    for (const std::string& c : columns) {
        const dump::Column* column = table ? table->column(c) : nullptr;
        types.push_back(column ? column->type : std::string());
    }
    return types;
}

void walk_payload(RowVisitor& visitor, const WalkedTable& table, dump::Payload& payload) {
    if (!visitor.begin_table(table)) {
        dump::DiscardSink skipped;
        payload.copy_stored(skipped);
        return;
    }
    RowFeeder feeder(visitor, payload.location());
    payload.decode(feeder);
    feeder.finish();
}

class ArchiveWalk final : public dump::DataVisitor {
public:
    ArchiveWalk(const dump::SchemaModel& schema, RowVisitor& visitor) : schema_(schema), visitor_(visitor) {}

    void table_data(const dump::TocEntry& entry, dump::Payload& payload) override {
        const dump::Table* table = schema_.table_for_data(entry.dump_id);
        if (!table || table->copy_columns.empty()) return;
        WalkedTable walked{table->name, table->name.schema + "." + table->name.name, table->copy_columns,
                           column_types(table, table->copy_columns), &schema_};
        walk_payload(visitor_, walked, payload);
    }
    void blobs_begin(const dump::TocEntry&) override {}
    void blob(const dump::TocEntry&, std::uint32_t, dump::Payload&) override {}
    void blobs_end(const dump::TocEntry&) override {}

private:
    const dump::SchemaModel& schema_;
    RowVisitor& visitor_;
};

class PlainWalk final : public dump::PlainVisitor {
public:
    explicit PlainWalk(RowVisitor& visitor) : visitor_(visitor) {}
    void sql(std::string_view) override {}
    void statement(std::string_view text) override { learner_.statement(text); }
    void copy_data(const dump::PlainCopyBlock& block, dump::Payload& payload) override {
        dump::QualifiedName name{block.statement.schema.empty() ? "public" : block.statement.schema, block.statement.table};
        const dump::SchemaModel& schema = learner_.schema();
        WalkedTable walked{name, name.schema + "." + name.name, block.statement.columns,
                           column_types(schema.find(name), block.statement.columns), &schema};
        walk_payload(visitor_, walked, payload);
    }

private:
    RowVisitor& visitor_;
    PlainSchemaLearner learner_;
};

} // namespace

void walk_dump(const std::string& input, RowVisitor& visitor) {
    dump::OpenedInput opened = dump::open_input(input);
    if (opened.format == dump::ArchiveFormat::Plain) {
        PlainWalk walk(visitor);
        dump::read_plain(*opened.plain, walk);
        return;
    }
    dump::SchemaModel schema = dump::SchemaModel::from_archive(opened.archive->model());
    ArchiveWalk walk(schema, visitor);
    opened.archive->read_data(walk);
}

bool array_type(std::string_view type) { return type.size() > 2 && type.substr(type.size() - 2) == "[]"; }

bool textless_type(std::string_view type) {
    if (type.empty() || array_type(type)) return false;
    auto family = anonymise::type_family(std::string(type));
    return family == anonymise::TypeFamily::Numeric || family == anonymise::TypeFamily::Temporal ||
           family == anonymise::TypeFamily::Boolean || type == "uuid";
}

} // namespace pgscrub::pipeline
