#include "scrub/preview.hpp"

#include "dump/copy_text.hpp"
#include "dump/schema_model.hpp"
#include "dump/table_stream.hpp"
#include "rules/scrub_plan.hpp"
#include "scrub/copy_stream_rewriter.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace pgscrub::scrub {

namespace {

// Thrown once enough rows are collected: the rest of the table is not read.
struct EnoughRows {};

// Collects the first `limit` rows of a COPY stream, split into raw fields.
class RowCollector final : public common::ByteSink {
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

// Collects the first `limit` rows of the table asked for, or of each of its
// partitions or children, in one pass over the dump (which may be a pipe);
// stops reading as soon as it has them, where the schema says up front which
// tables hold them (archives).
class TableFinder final : public dump::TableStreamVisitor {
public:
    TableFinder(dump::QualifiedName wanted, std::size_t limit, std::optional<std::size_t> tables_with_data)
        : wanted_(std::move(wanted)), limit_(limit), remaining_(tables_with_data) {}

    void table(const dump::TableData& data, const dump::SchemaModel& schema, dump::Payload& payload) override {
        if (!wanted(data.name, schema)) return;
        RowCollector collector(limit_);
        try {
            payload.decode(collector);
        } catch (const EnoughRows&) {
        }
        rows[data.name] = std::move(collector.rows);
        if (remaining_ && --*remaining_ == 0) throw EnoughRows{};
    }

    std::map<dump::QualifiedName, std::vector<std::string>> rows;

private:
    bool wanted(const dump::QualifiedName& name, const dump::SchemaModel& schema) const {
        if (name == wanted_) return true;
        for (const dump::Table* child : schema.descendants_of(wanted_)) {
            if (child->name == name) return true;
        }
        return false;
    }

    dump::QualifiedName wanted_;
    std::size_t limit_;
    std::optional<std::size_t> remaining_;
};

// The tables whose rows a preview of `table` shows: itself, or, for a
// partitioned (or inheritance) parent without rows of its own, its
// partitions', under the rule they follow.
std::vector<const dump::Table*> shown_tables(const dump::SchemaModel& schema, const dump::Table* table) {
    std::vector<const dump::Table*> shown;
    if (!table) return shown;
    if (table->data_dump_id) shown.push_back(table);
    else {
        for (const dump::Table* child : schema.descendants_of(table->name)) {
            if (child->data_dump_id) shown.push_back(child);
        }
    }
    return shown;
}

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


// One table's rows before and after the rules, as the terminal shows them.
std::string preview_rows(const dump::Table& table, const rules::TablePlan& plan, const std::vector<std::string>& rows,
                         const PreviewOptions& options) {
    // The "after" rows: the collected rows through the same rewriter scrub uses.
    std::string before_text;
    for (const std::string& row : rows) before_text += row + "\n";
    before_text += dump::copy_text::kPgDumpTrailer;
    anonymise::KeyedHash key(options.key);
    common::StringSink after_text;
    if (plan.action == rules::TableAction::Transform) {
        CopyStreamRewriter rewriter(after_text, static_cast<int>(table.copy_columns.size()), &plan, &key, {});
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

    std::string out = "table " + table.name.schema + "." + table.name.name + " — " +
                      (plan.action == rules::TableAction::Truncate ? std::string("truncated: no rows are kept")
                       : plan.action == rules::TableAction::Keep ? std::string("kept unchanged")
                                                                  : std::string("transformed")) +
                      (plan.rule_table.empty() ? std::string(" (no rule; unlisted_tables policy)") : " (rule: " + plan.rule_table + ")") +
                      "; first " + std::to_string(rows.size()) + " rows\n";
    std::size_t width = 6;
    for (const std::string& c : table.copy_columns) width = std::max(width, c.size());
    std::vector<std::string_view> before_fields, after_fields;
    for (std::size_t r = 0; r < rows.size(); ++r) {
        out += "\nrow " + std::to_string(r + 1) + "\n";
        dump::copy_text::split_fields(rows[r], before_fields);
        if (r < after_rows.size()) dump::copy_text::split_fields(after_rows[r], after_fields);
        for (std::size_t i = 0; i < table.copy_columns.size() && i < before_fields.size(); ++i) {
            std::string name = table.copy_columns[i];
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

} // namespace

std::string run_preview(const PreviewOptions& options, const rules::RulesFile& rules) {
    dump::TableStream stream(options.input);
    rules::TableName asked = rules::TableName::parse(options.table);
    const dump::QualifiedName wanted{asked.schema, asked.name};
    auto no_data = [&] {
        return dump::ArchiveError("table \"" + asked.display() + "\" has no data in this dump (see pgscrub inspect)",
                                  dump::ErrorLocation{stream.shown_name(), {}, {}, {}});
    };
    // An archive says before its data which tables hold the rows: the walk
    // stops once it has them. A script is read to its end.
    std::optional<std::size_t> tables_with_data;
    if (stream.schema_known_before_data()) {
        tables_with_data = shown_tables(stream.schema(), stream.schema().find(wanted)).size();
        if (*tables_with_data == 0) throw no_data();
    }
    TableFinder finder(wanted, options.limit, tables_with_data);
    try {
        stream.read(finder);
    } catch (const EnoughRows&) {
    }

    const dump::SchemaModel& schema = stream.schema();
    const dump::Table* table = schema.find(wanted);
    std::vector<const dump::Table*> shown = shown_tables(schema, table);
    if (shown.empty()) throw no_data();
    std::vector<rules::TablePlan> plans;
    std::vector<rules::Diagnostic> problems;
    for (const dump::Table* t : shown) plans.push_back(rules::plan_table(rules, schema, t->name, t->copy_columns, problems));
    rules::drop_repeated(problems);
    if (!problems.empty()) throw rules::RulesError(std::move(problems));

    std::string out;
    if (shown.front() != table) {
        out += "table " + asked.display() + " — " + (table->partitioned ? "partitioned" : "a parent") +
               ": no rows of its own; the first rows of each of its " + std::to_string(shown.size()) +
               (table->partitioned ? " partitions" : " children") + "\n\n";
    }
    bool first = true;
    for (std::size_t i = 0; i < shown.size(); ++i) {
        auto rows = finder.rows.find(shown[i]->name);
        if (rows == finder.rows.end() || (rows->second.empty() && shown.size() > 1)) continue;
        if (!first) out += "\n";
        first = false;
        out += preview_rows(*shown[i], plans[i], rows->second, options);
    }
    return out;
}

} // namespace pgscrub::scrub
