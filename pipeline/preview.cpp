#include "pipeline/preview.hpp"

#include "dump/copy_text.hpp"
#include "dump/format_detect.hpp"
#include "dump/schema_model.hpp"
#include "dump/url_parts.hpp"
#include "pipeline/copy_stream_rewriter.hpp"
#include "rules/scrub_plan.hpp"

#include <algorithm>

namespace pgscrub::pipeline {

namespace {

// Thrown once enough rows are collected: the rest of the table is not read.
struct EnoughRows {};

// Collects the first `limit` rows of a COPY stream, split into raw fields.
class RowCollector final : public dump::ByteSink {
public:
    explicit RowCollector(std::size_t limit) : limit_(limit) {}
    void write(std::string_view bytes) override {
        splitter_.feed(bytes, [this](std::string_view row) {
            if (rows.size() >= limit_) throw EnoughRows{};
            rows.emplace_back(row);
        });
    }
    std::vector<std::string> rows;

private:
    std::size_t limit_;
    dump::copy_text::RowSplitter splitter_;
};

class TableFinder final : public dump::DataVisitor {
public:
    TableFinder(int dump_id, std::size_t limit) : dump_id_(dump_id), collector(limit) {}
    void table_data(const dump::TocEntry& entry, dump::Payload& payload) override {
        if (entry.dump_id != dump_id_) return;
        try {
            payload.decode(collector);
        } catch (const EnoughRows&) {
        }
        throw EnoughRows{};
    }
    void blobs_begin(const dump::TocEntry&) override {}
    void blob(const dump::TocEntry&, std::uint32_t, dump::Payload&) override {}
    void blobs_end(const dump::TocEntry&) override {}

private:
    int dump_id_;

public:
    RowCollector collector;
};

std::string shown(std::string_view raw_field) {
    if (dump::copy_text::is_null(raw_field)) return "NULL";
    std::string value;
    if (!dump::copy_text::decode_field(raw_field, value)) return std::string(raw_field);
    // One line per value: control characters are shown escaped, long values cut.
    std::string out;
    for (char c : value) {
        if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\r') out += "\\r";
        else out.push_back(c);
    }
    if (out.size() > 60) {
        std::size_t cut = 57;
        while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xc0) == 0x80) --cut; // keep UTF-8 whole
        out = out.substr(0, cut) + "...";
    }
    return out;
}

} // namespace

std::string run_preview(const PreviewOptions& options, const rules::RulesFile& rules) {
    dump::OpenedInput input = dump::open_input(options.input);
    if (input.format == dump::ArchiveFormat::Plain) {
        throw dump::ArchiveError("preview reads archives (custom, directory or tar); dump with pg_dump -Fc",
                                 dump::ErrorLocation{dump::describe_url(options.input), {}, {}, {}});
    }
    dump::SchemaModel schema = dump::SchemaModel::from_archive(input.archive->model());
    rules::TableName wanted = rules::TableName::parse(options.table);
    const dump::Table* table = schema.find({wanted.schema, wanted.name});
    if (!table || !table->data_dump_id) {
        throw dump::ArchiveError("table \"" + wanted.display() + "\" has no data in this archive (see pgscrub inspect)",
                                 dump::ErrorLocation{dump::describe_url(options.input), {}, {}, {}});
    }
    std::vector<rules::Diagnostic> problems;
    rules::TablePlan plan = rules::plan_table(rules, schema, table->name, table->copy_columns, problems);
    if (!problems.empty()) throw rules::RulesError(std::move(problems));

    TableFinder finder(*table->data_dump_id, options.limit);
    try {
        input.archive->read_data(finder);
    } catch (const EnoughRows&) {
    }

    // The "after" rows: the collected rows through the same rewriter scrub uses.
    std::string before_text;
    for (const std::string& row : finder.collector.rows) before_text += row + "\n";
    before_text += dump::copy_text::kPgDumpTrailer;
    anonymise::KeyedHash key(options.key);
    dump::StringSink after_text;
    if (plan.action == rules::TableAction::Transform) {
        CopyStreamRewriter rewriter(after_text, static_cast<int>(table->copy_columns.size()), &plan, &key, {});
        rewriter.write(before_text);
        rewriter.finish();
    } else if (plan.action == rules::TableAction::Keep) {
        after_text.data = before_text;
    }
    std::vector<std::string> after_rows;
    for (std::size_t at = 0; at < after_text.data.size();) {
        std::size_t nl = after_text.data.find('\n', at);
        std::string_view row(after_text.data.data() + at, nl - at);
        if (row == "\\.") break;
        after_rows.emplace_back(row);
        at = nl + 1;
    }

    std::string out = "table " + wanted.display() + " — " +
                      (plan.action == rules::TableAction::Truncate ? std::string("truncated: no rows are kept")
                       : plan.action == rules::TableAction::Keep ? std::string("kept unchanged")
                                                                  : std::string("transformed")) +
                      (plan.rule_table.empty() ? std::string(" (no rule; unlisted_tables policy)") : " (rule: " + plan.rule_table + ")") +
                      "; first " + std::to_string(finder.collector.rows.size()) + " rows\n";
    std::size_t width = 6;
    for (const std::string& c : table->copy_columns) width = std::max(width, c.size());
    std::vector<std::string_view> before_fields, after_fields;
    for (std::size_t r = 0; r < finder.collector.rows.size(); ++r) {
        out += "\nrow " + std::to_string(r + 1) + "\n";
        dump::copy_text::split_fields(finder.collector.rows[r], before_fields);
        if (r < after_rows.size()) dump::copy_text::split_fields(after_rows[r], after_fields);
        for (std::size_t i = 0; i < table->copy_columns.size() && i < before_fields.size(); ++i) {
            std::string name = table->copy_columns[i];
            name.resize(width, ' ');
            std::string before = shown(before_fields[i]);
            std::string transform = plan.action == rules::TableAction::Transform ? plan.columns[i].transform_name : "keep";
            if (plan.action == rules::TableAction::Truncate) {
                out += "  " + name + "  " + before + "  →  (row dropped)\n";
            } else if (transform == "keep") {
                out += "  " + name + "  " + before + "\n";
            } else {
                out += "  " + name + "  " + before + "  →  " + shown(after_fields[i]) + "   [" + transform + "]\n";
            }
        }
    }
    return out;
}

} // namespace pgscrub::pipeline
