#include "scrub/scan.hpp"

#include "common/byte_stream.hpp"
#include "common/interrupts.hpp"
#include "common/json_writer.hpp"
#include "dump/copy_text.hpp"
#include "rules/scrub_plan.hpp"
#include "scrub/database_walk.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>

namespace pgscrub::scrub {

std::size_t ScanResult::needing_attention() const {
    return static_cast<std::size_t>(
        std::count_if(findings.begin(), findings.end(), [](const ScanFinding& f) { return f.needs_attention(); }));
}

void FindingTally::begin_table(const WalkedTable& table) {
    table_ = table;
    by_column_.assign(table.columns.size(), ColumnFindings{});
    hinted_.assign(table.columns.size(), ScanFinding{});
    seen_ = {};
    any_seen_ = {};
}

void FindingTally::count(ScanFinding& f, std::size_t column, const char* kind, std::string_view text) {
    if (f.kind.empty()) {
        f.table = table_.display;
        f.column = table_.columns[column];
        f.kind = kind;
    }
    ++f.rows_with_kind;
    // Masked now, while the piece's text is alive; two different examples at
    // most, and not forever when every value masks alike (10*** for IPs).
    if (f.examples.size() < 2 && f.example_tries++ < 64) {
        std::string masked = mask_example(f.kind, text);
        if (f.examples.empty() || f.examples[0] != masked) f.examples.push_back(std::move(masked));
    }
}

void FindingTally::token(std::size_t column, const anonymise::Piece& piece) {
    if (piece.pii) any_seen_.add(*piece.pii);
    if (piece.synthetic || !piece.pii || seen_.contains(*piece.pii)) return; // reserved ranges: pgscrub's own fakes
    seen_.add(*piece.pii);
    count(by_column_[column][static_cast<std::size_t>(*piece.pii)], column, anonymise::pii_kind_name(*piece.pii),
          piece.text);
}

void FindingTally::hinted(std::size_t column, anonymise::ColumnHint hint, std::string_view value) {
    using anonymise::ColumnHint;
    using anonymise::PiiKind;
    if (hint == ColumnHint::phone) {
        // A phone number written as digits only: the same finding as a formatted one.
        if (any_seen_.contains(PiiKind::phone)) return;
        seen_.add(PiiKind::phone);
        count(by_column_[column][static_cast<std::size_t>(PiiKind::phone)], column, "phone", value);
        return;
    }
    if (hint == ColumnHint::postcode && any_seen_.contains(PiiKind::uk_postcode)) return;
    ScanFinding& f = hinted_[column];
    f.from_column_name = true;
    count(f, column, anonymise::hint_kind_name(hint), value);
}

void FindingTally::end_value(std::size_t) {
    seen_ = {};
    any_seen_ = {};
}

namespace {

// What a finding in a column means, given what the rules do to it.
void classify(ScanFinding& finding, const rules::RulesFile& rules, const WalkedTable& table) {
    static const dump::SchemaModel no_schema;
    rules::ColumnDisposition d =
        rules::column_disposition(rules, table.schema ? *table.schema : no_schema, table.name, finding.column);
    if (!d.listed) {
        finding.finding_class = "unlisted";
    } else if (d.action != rules::ColumnDisposition::Action::Kept) {
        // A name in a column the rules give fake names to: pgscrub cannot
        // tell a real name from one its fakes could be (its lists hold only
        // some), so it is no leak signal there. Anywhere else it is.
        bool faked_name = finding.from_column_name && finding.kind == "name" &&
                          (d.transform == "fake_first_name" || d.transform == "fake_last_name" || d.transform == "fake_name");
        finding.finding_class = faked_name ? "transformed" : "leak";
    } else if (d.reviewed) {
        finding.finding_class = "confirmed";
        finding.reviewed = d.reviewed;
    } else {
        finding.finding_class = "kept";
    }
}

} // namespace

void FindingTally::end_table(std::uint64_t rows, ScanResult& into) {
    auto emit = [&](ScanFinding& finding) {
        if (finding.kind.empty()) return;
        finding.rows_scanned = rows;
        if (rules_) classify(finding, *rules_, table_);
        into.findings.push_back(std::move(finding));
    };
    for (std::size_t column = 0; column < by_column_.size(); ++column) {
        for (ScanFinding& finding : by_column_[column]) emit(finding);
        emit(hinted_[column]);
    }
    by_column_.clear();
    hinted_.clear();
}

namespace {

// The scan's own walk: tokens only, JSON decoded where escapes could hide them.
class ScanVisitor final : public RowVisitor {
public:
    ScanVisitor(const rules::RulesFile* rules, ScanResult& result) : tally_(rules), result_(result) {}

    bool begin_table(const WalkedTable& table) override {
        tally_.begin_table(table);
        skip_.clear();
        arrays_.clear();
        hints_.clear();
        for (std::size_t i = 0; i < table.types.size(); ++i) {
            const std::string& type = table.types[i];
            anonymise::ColumnHint hint =
                i < table.columns.size() ? anonymise::column_hint(table.columns[i]) : anonymise::ColumnHint::none;
            // A date column is skipped, unless its name says it is a birth date.
            skip_.push_back(textless_type(type) && hint != anonymise::ColumnHint::birth_date);
            arrays_.push_back(array_type(type));
            hints_.push_back(array_type(type) ? anonymise::ColumnHint::none : hint);
        }
        return true;
    }

    void row(const std::vector<std::string_view>& fields, std::uint64_t) override {
        common::throw_if_interrupted("scan"); // a row may take long to scan; I/O alone is checked too rarely
        for (std::size_t i = 0; i < fields.size() && i < skip_.size(); ++i) {
            if (skip_[i] || dump::copy_text::is_null(fields[i])) continue;
            std::string_view value = fields[i];
            if (dump::copy_text::has_escapes(value)) {
                value_.clear();
                if (!dump::copy_text::decode_field(fields[i], value_)) continue;
                value = value_;
            }
            ++result_.values_scanned;
            result_.bytes_scanned += value.size();
            explorer_.explore(value, arrays_[i], [this, i](const anonymise::Piece& p) { tally_.token(i, p); });
            if (hints_[i] != anonymise::ColumnHint::none && anonymise::value_fits_hint(hints_[i], value)) {
                tally_.hinted(i, hints_[i], value);
            }
            tally_.end_value(i);
        }
    }

    void end_table(std::uint64_t rows) override { tally_.end_table(rows, result_); }

private:
    FindingTally tally_;
    ScanResult& result_;
    anonymise::ValueExplorer explorer_{false};
    std::vector<bool> skip_, arrays_;
    std::vector<anonymise::ColumnHint> hints_;
    std::string value_;
};

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
    // Never a whole value: two characters of a long value, one of a short
    // one (a name such as 李娜 or Bo), none of a very short one.
    std::size_t characters = 0;
    for (unsigned char c : value) characters += (c & 0xc0) != 0x80;
    std::string_view first = first_character(value);
    if (characters < 3) return "***";
    if (characters < 6) return std::string(first) + "***";
    return std::string(first) + std::string(first_character(value.substr(first.size()))) + "***";
}

ScanResult run_scan(const ScanOptions& options) {
    auto start = std::chrono::steady_clock::now();
    ScanResult result;
    ScanVisitor visitor(options.rules, result);
    if (!options.database.empty()) walk_database(options.database, visitor);
    else walk_dump(options.input, visitor);
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return result;
}

void write_findings_json(common::JsonWriter& json, const ScanResult& result) {
    json.begin_array();
    for (const ScanFinding& f : result.findings) {
        json.begin_object().key("table").value(f.table).key("column").value(f.column).key("kind").value(f.kind);
        json.key("rows").value(f.rows_with_kind).key("rows_scanned").value(f.rows_scanned);
        json.key("share").value(f.rows_scanned ? static_cast<double>(f.rows_with_kind) / static_cast<double>(f.rows_scanned) : 0.0);
        json.key("examples").begin_array();
        for (const std::string& e : f.examples) json.value(e);
        json.end_array();
        if (!f.finding_class.empty()) json.key("class").value(f.finding_class);
        if (f.from_column_name) json.key("from_column_name").value(true);
        if (f.reviewed) json.key("reviewed").value(*f.reviewed);
        json.end_object();
    }
    json.end_array();
}

std::string format_scan(const ScanResult& result, const ScanOptions& options) {
    if (options.json) {
        common::JsonWriter json;
        json.begin_object().key("values_scanned").value(result.values_scanned).key("bytes_scanned").value(result.bytes_scanned);
        json.key("seconds").value(result.seconds);
        json.key("findings");
        write_findings_json(json, result);
        json.end_object();
        return json.text() + "\n";
    }
    std::string out;
    char line[512];
    for (const ScanFinding& f : result.findings) {
        std::string examples;
        for (const std::string& e : f.examples) examples += (examples.empty() ? "" : ", ") + e;
        std::string verdict;
        if (f.finding_class == "confirmed") verdict = " [confirmed: " + *f.reviewed + "]";
        else if (f.finding_class == "leak") verdict = " [LEAK: the rules transform this column]";
        else if (f.finding_class == "kept") verdict = " [kept: confirm with reviewed: \"reason\" or add a transform]";
        else if (f.finding_class == "unlisted") verdict = " [unlisted: no rule names this column]";
        else if (f.finding_class == "transformed") verdict = " [transformed: the rules rewrite this column]";
        if (f.from_column_name) verdict = " (from the column's name)" + verdict;
        std::snprintf(line, sizeof line, "%s.%s: %s in %llu of %llu rows (%.0f%%), e.g. %s", f.table.c_str(),
                      f.column.c_str(), f.kind.c_str(), static_cast<unsigned long long>(f.rows_with_kind),
                      static_cast<unsigned long long>(f.rows_scanned),
                      f.rows_scanned ? 100.0 * static_cast<double>(f.rows_with_kind) / static_cast<double>(f.rows_scanned) : 0.0,
                      examples.c_str());
        out += line + verdict + "\n";
    }
    std::snprintf(line, sizeof line, "pgscrub scan: %zu findings (%zu need attention) in %llu values (%.1f MB) scanned in %.2f s\n",
                  result.findings.size(), result.needing_attention(), static_cast<unsigned long long>(result.values_scanned),
                  static_cast<double>(result.bytes_scanned) / 1e6, result.seconds);
    out += line;
    return out;
}

} // namespace pgscrub::scrub
