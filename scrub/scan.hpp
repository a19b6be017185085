#pragma once
// `pgscrub scan`: a leak audit of a dump or a live database. Streams every
// table's data, decodes each value (COPY escapes, JSON strings with \u
// escapes) and reports, per column and kind of personal data, how many rows
// hold some, with masked examples only — never a whole value. With a rules
// file each finding is classed by what the rules do to its column.

#include "anonymise/column_hints.hpp"
#include "anonymise/value_pieces.hpp"
#include "rules/rules_file.hpp"
#include "scrub/table_walk.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pgscrub::common {
class JsonWriter;
}

namespace pgscrub::scrub {

struct ScanOptions {
    std::string input = "-";
    std::string database; // a libpq URL or conninfo: scan this database instead of a dump
    bool json = false;
    const rules::RulesFile* rules = nullptr; // -r: class each finding
};

struct ScanFinding {
    std::string table;  // schema.table
    std::string column;
    std::string kind;   // email, phone, ip, card, iban, url_userinfo, uk_postcode, ...
    std::uint64_t rows_with_kind = 0;
    std::uint64_t rows_scanned = 0;
    std::vector<std::string> examples; // at most two, masked (j***@g***.com)
    std::uint32_t example_tries = 0;   // rows looked at for a second, different example
    // With rules: "leak" (the rules transform or drop this column's data, yet
    // here it is), "kept" (the rules keep the column: a reviewer must
    // confirm), "confirmed" (kept, with reviewed: "reason"), "unlisted" (no
    // rule names it), "transformed" (a name known only from the column's
    // name, in a column the rules give fake names to: pgscrub cannot tell
    // real names from its fakes). Empty without rules.
    std::string finding_class;
    std::optional<std::string> reviewed;

    // Findings that fail the audit: all of them without rules; with rules,
    // all but confirmed ones.
    bool needs_attention() const { return finding_class != "confirmed" && finding_class != "transformed"; }
    bool from_column_name = false; // found because the column's name says what it holds
};

struct ScanResult {
    std::vector<ScanFinding> findings;
    std::uint64_t values_scanned = 0;
    std::uint64_t bytes_scanned = 0;
    double seconds = 0;

    std::size_t needing_attention() const;
};

// Tallies personal-data tokens per column and kind, table by table. `scan`
// feeds it from its own walk; `scrub --verify` from the read-back of its output.
class FindingTally {
public:
    explicit FindingTally(const rules::RulesFile* rules) : rules_(rules) {}
    void begin_table(const WalkedTable& table);
    // A token of the current value of `column` (synthetic ones are ignored).
    void token(std::size_t column, const anonymise::Piece& piece);
    // The current value of `column` fits what the column's name says it
    // holds (anonymise/column_hints.hpp); counted unless a detector already
    // found that kind (or pgscrub's own fake of it) in the value.
    void hinted(std::size_t column, anonymise::ColumnHint hint, std::string_view value);
    // The current value of `column` is done: each kind found counts once per row.
    void end_value(std::size_t column);
    void end_table(std::uint64_t rows, ScanResult& into);

private:
    // Findings of one column, indexed by PiiKind; kind empty until first seen.
    using ColumnFindings = std::array<ScanFinding, anonymise::pii_kind_count>;
    void count(ScanFinding& finding, std::size_t column, const char* kind, std::string_view text);

    const rules::RulesFile* rules_;
    WalkedTable table_;
    std::vector<ColumnFindings> by_column_;
    std::vector<ScanFinding> hinted_; // per column: what its name says it holds (name, address, …)
    anonymise::KindSet seen_;         // kinds found in the current value
    anonymise::KindSet any_seen_;     // the same, pgscrub's own fakes included
};

ScanResult run_scan(const ScanOptions& options);
std::string format_scan(const ScanResult& result, const ScanOptions& options);
// The findings as a JSON array (for --json and for the scrub report).
void write_findings_json(common::JsonWriter& json, const ScanResult& result);

// `ann.baker@gmail.com` -> `a***@g***.com`; other kinds keep two characters.
std::string mask_example(std::string_view kind, std::string_view value);

} // namespace pgscrub::scrub
