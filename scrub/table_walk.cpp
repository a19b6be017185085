#include "scrub/table_walk.hpp"

#include "anonymise/transform_registry.hpp"
#include "common/url_parts.hpp"
#include "dump/copy_text.hpp"
#include "dump/format_detect.hpp"
#include "dump/plain_format.hpp"
#include "dump/sql_lexer.hpp"
#include "dump/statistics_sql.hpp"
#include "scrub/plain_schema.hpp"

#include <algorithm>
#include <cstdlib>
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
    void blob(const dump::TocEntry&, std::uint32_t oid, dump::Payload& payload) override {
        if (!visitor_.begin_table(large_object_table(oid))) {
            common::DiscardSink skipped;
            payload.copy_stored(skipped);
            return;
        }
        LargeObjectFeeder feeder(visitor_);
        payload.decode(feeder);
        feeder.finish();
    }
    void blobs_end(const dump::TocEntry&) override {}

private:
    const dump::SchemaModel& schema_;
    RowVisitor& visitor_;
};

class PlainWalk final : public dump::PlainVisitor {
public:
    PlainWalk(RowVisitor& visitor, std::string name) : visitor_(visitor), name_(std::move(name)) {}
    void sql(std::string_view) override {}
    void sql_line(std::string_view, bool starts_statement, std::uint64_t line_number) override {
        if (starts_statement) statement_line_ = line_number;
    }
    void statement(std::string_view text) override {
        learner_.statement(text);
        visitor_.sql_text("statement " + std::to_string(++statements_) + " of the script", text);
        if (dump::is_statistics_sql(text)) {
            std::string where = "statement at line " + std::to_string(statement_line_);
            walk_statistics(visitor_, learner_.schema(), text, dump::ErrorLocation{name_, {}, {}, where});
        } else {
            large_object_statement(text);
        }
    }
    void finish() {
        if (large_object_) end_large_object();
    }
    void copy_data(const dump::PlainCopyBlock& block, dump::Payload& payload) override {
        dump::QualifiedName name{block.statement.schema.empty() ? "public" : block.statement.schema, block.statement.table};
        const dump::SchemaModel& schema = learner_.schema();
        WalkedTable walked{name, name.schema + "." + name.name, block.statement.columns,
                           column_types(schema.find(name), block.statement.columns), &schema};
        walk_payload(visitor_, walked, payload);
    }

private:
    // pg_dump writes a large object as lo_open('OID', …), lowrite(0, '\x…')
    // of up to 16 KiB each, lo_close(0): walked like an archive's.
    void large_object_statement(std::string_view text) {
        std::vector<dump::SqlToken> t = dump::tokenize_sql(text.substr(0, 64));
        if (t.size() < 5 || !t[0].is_keyword("select") || !t[1].is_keyword("pg_catalog")) return;
        if (t[3].is_keyword("lo_open")) {
            if (large_object_) end_large_object();
            auto all = dump::tokenize_sql(text);
            if (all.size() > 5 && all[5].kind == dump::SqlTokenKind::String) {
                std::uint32_t oid = static_cast<std::uint32_t>(std::strtoul(all[5].value.c_str(), nullptr, 10));
                if (visitor_.begin_table(large_object_table(oid))) large_object_ = std::make_unique<LargeObjectFeeder>(visitor_);
            }
        } else if (t[3].is_keyword("lowrite") && large_object_) {
            for (const dump::SqlToken& token : dump::tokenize_sql(text)) {
                if (token.kind != dump::SqlTokenKind::String) continue;
                // '\x48656c6c6f' (or '\\x…' with standard_conforming_strings off, undone by the lexer)
                std::string_view hex = token.value;
                if (hex.starts_with("\\x")) hex.remove_prefix(2);
                else continue;
                std::string bytes;
                for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
                    bytes += static_cast<char>(std::strtoul(std::string(hex.substr(i, 2)).c_str(), nullptr, 16));
                }
                large_object_->write(bytes);
            }
        } else if (t[3].is_keyword("lo_close") && large_object_) {
            end_large_object();
        }
    }
    void end_large_object() {
        large_object_->finish();
        large_object_.reset();
    }

    RowVisitor& visitor_;
    std::string name_;
    PlainSchemaLearner learner_;
    std::uint64_t statement_line_ = 0;
    std::uint64_t statements_ = 0;
    std::unique_ptr<LargeObjectFeeder> large_object_;
};

} // namespace

void walk_dump(const std::string& input, RowVisitor& visitor) {
    dump::OpenedInput opened = dump::open_input(input);
    if (opened.format == dump::ArchiveFormat::Plain) {
        PlainWalk walk(visitor, common::describe_url(input));
        dump::read_plain(*opened.plain, walk);
        walk.finish();
        return;
    }
    dump::SchemaModel schema = dump::SchemaModel::from_archive(opened.archive->model());
    for (const dump::TocEntry& e : opened.archive->model().entries) {
        const std::string place = "TOC entry " + std::to_string(e.dump_id) + " (" + e.describe() + ")";
        for (const std::optional<std::string>* text : {&e.defn, &e.drop_stmt, &e.copy_stmt}) {
            if (*text) visitor.sql_text(place, **text);
        }
        if (e.desc != "STATISTICS DATA" || !e.defn) continue;
        walk_statistics(visitor, schema, *e.defn,
                        dump::ErrorLocation{common::describe_url(opened.archive->name()), {}, e.dump_id, "TOC entry " + std::to_string(e.dump_id)});
    }
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

} // namespace pgscrub::scrub
