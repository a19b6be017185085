#include "pipeline/scan.hpp"

#include "anonymise/detectors.hpp"
#include "anonymise/json_text.hpp"
#include "anonymise/transform_registry.hpp"
#include "dump/copy_text.hpp"
#include "dump/format_detect.hpp"
#include "dump/plain_format.hpp"
#include "dump/schema_model.hpp"
#include "pipeline/json_writer.hpp"

#include <map>

namespace pgscrub::pipeline {

namespace {

using anonymise::Detector;
using anonymise::Match;
using anonymise::PiiKind;

struct ColumnTally {
    std::map<PiiKind, ScanFinding> by_kind;
};

// Scans one table's COPY stream column by column.
class TableScanner final : public dump::ByteSink {
public:
    TableScanner(std::string table, std::vector<std::string> columns, std::vector<bool> skip, ScanResult& result)
        : table_(std::move(table)), columns_(std::move(columns)), skip_(std::move(skip)), tallies_(columns_.size()),
          result_(result) {}

    void write(std::string_view bytes) override {
        splitter_.feed(bytes, [this](std::string_view row) { scan_row(row); });
    }

    void finish() {
        for (std::size_t i = 0; i < tallies_.size(); ++i) {
            for (auto& [kind, finding] : tallies_[i].by_kind) {
                finding.rows_scanned = splitter_.rows_returned();
                result_.findings.push_back(std::move(finding));
            }
        }
    }

private:
    void scan_row(std::string_view row) {
        dump::copy_text::split_fields(row, fields_);
        for (std::size_t i = 0; i < fields_.size() && i < columns_.size(); ++i) {
            if (skip_[i] || dump::copy_text::is_null(fields_[i])) continue;
            value_.clear();
            if (!dump::copy_text::decode_field(fields_[i], value_)) continue;
            ++result_.values_scanned;
            result_.bytes_scanned += value_.size();
            seen_.clear();
            scan_text(value_);
            // JSON kept as text or json(b): look at decoded strings too, so
            // `a\u0040b.org` is seen as `a@b.org`.
            if (!value_.empty() && (value_[0] == '{' || value_[0] == '[') && value_.find("\\u") != std::string::npos) {
                try {
                    anonymise::json::Value doc = anonymise::json::parse(value_);
                    scan_json(doc);
                } catch (const std::exception&) {
                }
            }
            for (auto& [kind, example] : seen_) record(i, kind, example);
        }
    }

    void scan_json(const anonymise::json::Value& v) {
        if (v.type == anonymise::json::Type::string) scan_text(v.text);
        for (const auto& item : v.items) scan_json(item);
    }

    void scan_text(std::string_view text) {
        Detector::shared().find(text, anonymise::KindSet::all(), matches_);
        for (const Match& m : matches_) {
            if (anonymise::is_synthetic(m, text)) continue; // pgscrub's own fakes and reserved ranges
            seen_.emplace(m.kind, std::string(m.in(text)));
        }
    }

    void record(std::size_t column, PiiKind kind, const std::string& example) {
        ScanFinding& f = tallies_[column].by_kind[kind];
        if (f.table.empty()) {
            f.table = table_;
            f.column = columns_[column];
            f.kind = anonymise::pii_kind_name(kind);
        }
        ++f.rows_with_kind;
        std::string masked = mask_example(f.kind, example);
        if (f.examples.size() < 2 && (f.examples.empty() || f.examples[0] != masked)) f.examples.push_back(masked);
    }

    std::string table_;
    std::vector<std::string> columns_;
    std::vector<bool> skip_;
    std::vector<ColumnTally> tallies_;
    ScanResult& result_;
    dump::copy_text::RowSplitter splitter_;
    std::vector<std::string_view> fields_;
    std::string value_;
    std::vector<Match> matches_;
    std::map<PiiKind, std::string> seen_; // kinds found in the current value, with one example
};

// Columns of these types cannot hold text: skipping them saves time and
// false positives (timestamps that look like phone numbers).
bool skippable(const dump::Table* table, const std::string& column) {
    if (!table) return false;
    const dump::Column* c = table->column(column);
    if (!c || c->type.empty()) return false;
    auto family = anonymise::type_family(c->type);
    return family == anonymise::TypeFamily::Numeric || family == anonymise::TypeFamily::Temporal ||
           family == anonymise::TypeFamily::Boolean || c->type == "uuid";
}

class ArchiveScan final : public dump::DataVisitor {
public:
    ArchiveScan(const dump::SchemaModel& schema, ScanResult& result) : schema_(schema), result_(result) {}
    void table_data(const dump::TocEntry& entry, dump::Payload& payload) override {
        const dump::Table* table = schema_.table_for_data(entry.dump_id);
        if (!table || table->copy_columns.empty()) return;
        std::vector<bool> skip;
        for (const std::string& c : table->copy_columns) skip.push_back(skippable(table, c));
        TableScanner scanner(entry.qualified_name(), table->copy_columns, skip, result_);
        payload.decode(scanner);
        scanner.finish();
    }
    void blobs_begin(const dump::TocEntry&) override {}
    void blob(const dump::TocEntry&, std::uint32_t, dump::Payload&) override {}
    void blobs_end(const dump::TocEntry&) override {}

private:
    const dump::SchemaModel& schema_;
    ScanResult& result_;
};

class PlainScan final : public dump::PlainVisitor {
public:
    explicit PlainScan(ScanResult& result) : result_(result) {}
    void sql(std::string_view) override {}
    void copy_data(const dump::PlainCopyBlock& block, dump::Payload& payload) override {
        std::vector<bool> skip(block.statement.columns.size(), false);
        TableScanner scanner((block.statement.schema.empty() ? "public" : block.statement.schema) + "." + block.statement.table,
                             block.statement.columns, skip, result_);
        payload.decode(scanner);
        scanner.finish();
    }

private:
    ScanResult& result_;
};

} // namespace

namespace {
// The first UTF-8 character of `text` (whole, however many bytes).
std::string_view first_character(std::string_view text) {
    std::size_t n = text.empty() ? 0 : 1;
    while (n < text.size() && (static_cast<unsigned char>(text[n]) & 0xc0) == 0x80) ++n;
    return text.substr(0, n);
}
} // namespace

std::string mask_example(std::string_view kind, std::string_view value) {
    if (kind == "email") {
        std::size_t at = value.rfind('@');
        std::size_t dot = value.rfind('.');
        if (at != std::string_view::npos && at > 0 && dot != std::string_view::npos && dot > at + 1) {
            return std::string(first_character(value)) + "***@" + std::string(first_character(value.substr(at + 1))) +
                   "***" + std::string(value.substr(dot));
        }
    }
    std::string_view first = first_character(value);
    return std::string(first) + std::string(first_character(value.substr(first.size()))) + "***";
}

ScanResult run_scan(const ScanOptions& options) {
    ScanResult result;
    dump::OpenedInput input = dump::open_input(options.input);
    if (input.format == dump::ArchiveFormat::Plain) {
        PlainScan scan(result);
        dump::read_plain(*input.plain, scan);
        return result;
    }
    dump::SchemaModel schema = dump::SchemaModel::from_archive(input.archive->model());
    ArchiveScan scan(schema, result);
    input.archive->read_data(scan);
    return result;
}

std::string format_scan(const ScanResult& result, const ScanOptions& options) {
    if (options.json) {
        JsonWriter json;
        json.begin_object().key("values_scanned").value(result.values_scanned).key("bytes_scanned").value(result.bytes_scanned);
        json.key("findings").begin_array();
        for (const ScanFinding& f : result.findings) {
            json.begin_object().key("table").value(f.table).key("column").value(f.column).key("kind").value(f.kind);
            json.key("rows").value(f.rows_with_kind).key("rows_scanned").value(f.rows_scanned);
            json.key("share").value(f.rows_scanned ? static_cast<double>(f.rows_with_kind) / static_cast<double>(f.rows_scanned) : 0.0);
            json.key("examples").begin_array();
            for (const std::string& e : f.examples) json.value(e);
            json.end_array().end_object();
        }
        json.end_array().end_object();
        return json.text() + "\n";
    }
    std::string out;
    char line[512];
    for (const ScanFinding& f : result.findings) {
        std::string examples;
        for (const std::string& e : f.examples) examples += (examples.empty() ? "" : ", ") + e;
        std::snprintf(line, sizeof line, "%s.%s: %s in %llu of %llu rows (%.0f%%), e.g. %s\n", f.table.c_str(),
                      f.column.c_str(), f.kind.c_str(), static_cast<unsigned long long>(f.rows_with_kind),
                      static_cast<unsigned long long>(f.rows_scanned),
                      f.rows_scanned ? 100.0 * static_cast<double>(f.rows_with_kind) / static_cast<double>(f.rows_scanned) : 0.0,
                      examples.c_str());
        out += line;
    }
    std::snprintf(line, sizeof line, "pgscrub scan: %zu findings in %llu values (%.1f MB) scanned\n", result.findings.size(),
                  static_cast<unsigned long long>(result.values_scanned), static_cast<double>(result.bytes_scanned) / 1e6);
    out += line;
    return out;
}

} // namespace pgscrub::pipeline
