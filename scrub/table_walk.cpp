#include "scrub/table_walk.hpp"

#include "anonymise/transform_registry.hpp"
#include "dump/copy_text.hpp"
#include "dump/statistics_sql.hpp"
#include "dump/table_stream.hpp"

#include <algorithm>
#include <memory>

namespace pgscrub::scrub {

namespace {

// Splits one table's COPY stream into rows for the visitor.
class RowFeeder final : public common::ByteSink {
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
        common::DiscardSink skipped;
        payload.copy_stored(skipped);
        return;
    }
    RowFeeder feeder(visitor, payload.location());
    payload.decode(feeder);
    feeder.finish();
}

// PostgreSQL 18 statistics carry column values: each entry (or plain
// statement) is walked as a table of its own, named for the relation and
// the entry, one column per column it describes and one row per value
// argument (histogram bounds, most common values, …), so that scan finds
// what they hold and verify looks them up like any field.
void walk_statistics(RowVisitor& visitor, const dump::SchemaModel& schema, std::string_view sql,
                     const dump::ErrorLocation& where) {
    std::vector<dump::StatisticsCall> calls;
    try {
        calls = dump::parse_statistics_sql(sql);
    } catch (const dump::StatisticsSqlError& error) {
        throw dump::ArchiveError(std::string(error.what()) + " (at byte " + std::to_string(error.offset()) +
                                     " of its SQL); pgscrub does not pass over statistics it cannot read",
                                 where);
    }
    std::erase_if(calls, [](const dump::StatisticsCall& c) { return c.kind != dump::StatisticsCall::Kind::Attribute; });
    if (calls.empty()) return;
    const dump::StatisticsCall& first = calls.front();
    dump::QualifiedName relation{first.find("schemaname")->value, first.find("relname")->value};
    const dump::Table* table = schema.find(relation);
    WalkedTable walked{relation, relation.schema + "." + relation.name + " (statistics, " + where.entry_name + ")", {}, {},
                       &schema};
    std::vector<std::vector<const std::string*>> values;
    std::size_t rows = 0;
    for (const dump::StatisticsCall& call : calls) {
        const dump::StatisticsArgument* attname = call.find("attname");
        const dump::StatisticsArgument* attnum = call.find("attnum");
        walked.columns.push_back(attname ? attname->value : "expression #" + (attnum ? attnum->value : std::string("?")));
        // The values are arrays of the column's type: scanned as arrays,
        // unless the column cannot hold text at all.
        const dump::Column* column = table && attname ? table->column(attname->value) : nullptr;
        std::string type = column ? column->type : std::string("text");
        walked.types.push_back(textless_type(type) || array_type(type) ? type : type + "[]");
        values.emplace_back();
        for (const dump::StatisticsArgument& a : call.arguments) {
            if (dump::is_value_argument(a.name)) values.back().push_back(&a.value);
        }
        rows = std::max(rows, values.back().size());
    }
    if (!visitor.begin_table(walked)) return;
    std::vector<std::string> encoded(values.size());
    std::vector<std::string_view> fields(values.size());
    for (std::size_t row = 0; row < rows; ++row) {
        for (std::size_t c = 0; c < values.size(); ++c) {
            encoded[c].clear();
            if (row < values[c].size()) dump::copy_text::encode_field(*values[c][row], encoded[c]);
            else dump::copy_text::encode_null(encoded[c]);
            fields[c] = encoded[c];
        }
        visitor.row(fields, row + 1);
    }
    visitor.end_table(rows);
}

// A large object's bytes as rows of about 1 MiB, each starting with the
// last bytes of the one before, so that no e-mail or number is cut in two
// unseen, and memory stays bounded however large the object.
class LargeObjectFeeder final : public common::ByteSink {
public:
    static constexpr std::size_t kChunk = std::size_t{1} << 20;
    static constexpr std::size_t kOverlap = 512;

    explicit LargeObjectFeeder(RowVisitor& visitor) : visitor_(visitor) {}

    void write(std::string_view bytes) override {
        while (!bytes.empty()) {
            std::size_t take = std::min(bytes.size(), kChunk - buffer_.size());
            buffer_.append(bytes.substr(0, take));
            bytes.remove_prefix(take);
            fresh_ += take;
            if (buffer_.size() == kChunk) emit(true);
        }
    }
    void finish() {
        if (fresh_ > 0) emit(false);
        visitor_.end_table(rows_);
    }

private:
    void emit(bool more) {
        encoded_.clear();
        dump::copy_text::encode_field(buffer_, encoded_);
        fields_.assign(1, encoded_);
        visitor_.row(fields_, ++rows_);
        if (more) buffer_.erase(0, buffer_.size() - kOverlap);
        fresh_ = 0;
    }

    RowVisitor& visitor_;
    std::string buffer_, encoded_;
    std::vector<std::string_view> fields_;
    std::uint64_t rows_ = 0;
    std::size_t fresh_ = 0; // bytes not yet in a row
};

WalkedTable large_object_table(std::uint32_t oid) {
    std::string name = "large object " + std::to_string(oid);
    return WalkedTable{{"", name}, name, {"data"}, {"text"}, nullptr};
}

// The stream's tables, statistics and large objects, as the visitor's rows.
class StreamWalk final : public dump::TableStreamVisitor {
public:
    explicit StreamWalk(RowVisitor& visitor) : visitor_(visitor) {}

    void table(const dump::TableData& data, const dump::SchemaModel& schema, dump::Payload& payload) override {
        // Archives: only tables the schema knows, with COPY data (not INSERTs).
        if (data.entry && (!data.table || data.table->copy_columns.empty())) return;
        WalkedTable walked{data.name, data.display(), data.columns, column_types(data.table, data.columns), &schema};
        walk_payload(visitor_, walked, payload);
    }
    common::ByteSink* begin_large_object(std::uint32_t oid) override {
        if (!visitor_.begin_table(large_object_table(oid))) return nullptr;
        large_object_ = std::make_unique<LargeObjectFeeder>(visitor_);
        return large_object_.get();
    }
    void end_large_object(std::uint32_t, std::uint64_t) override {
        if (!large_object_) return;
        large_object_->finish();
        large_object_.reset();
    }
    void statistics(const dump::StatisticsStatement& statement, const dump::SchemaModel& schema) override {
        walk_statistics(visitor_, schema, statement.sql, statement.where);
    }
    void sql_text(const std::string& place, std::string_view sql) override { visitor_.sql_text(place, sql); }

private:
    RowVisitor& visitor_;
    std::unique_ptr<LargeObjectFeeder> large_object_;
};

} // namespace

void walk_dump(const std::string& input, RowVisitor& visitor) {
    dump::TableStream stream(input);
    StreamWalk walk(visitor);
    stream.read(walk);
}

bool array_type(std::string_view type) { return type.size() > 2 && type.substr(type.size() - 2) == "[]"; }

bool textless_type(std::string_view type) {
    if (type.empty() || array_type(type)) return false;
    auto family = anonymise::type_family(std::string(type));
    return family == anonymise::TypeFamily::Numeric || family == anonymise::TypeFamily::Temporal ||
           family == anonymise::TypeFamily::Boolean || type == "uuid";
}

} // namespace pgscrub::scrub
