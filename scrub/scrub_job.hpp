#pragma once
// `pgscrub scrub`: reads an archive, applies the plan to each table's data,
// writes the result. The whole job streams; memory does not grow with the dump.

#include "dump/archive_io.hpp"
#include "rules/rules_file.hpp"
#include "scrub/leak_verifier.hpp"
#include "scrub/statistics_scrub.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pgscrub::scrub {

struct ScrubSummary;

struct ScrubOptions {
    std::string input = "-";
    std::string output = "-";
    std::optional<dump::ArchiveFormat> format;          // default: the input's
    std::optional<dump::CompressionSpec> compression;   // default: the input's
    // Threads that rewrite a table's rows (parallel_row_rewriter.hpp: the same
    // output for any value) and that compress the output.
    int jobs = 1;
    std::string report_path;
    // Decode, split and re-encode every row even of tables no rule changes:
    // exercises the COPY codec on real data (tests, benchmarks).
    bool rewrite_all = false;
    // The key for deterministic pseudonyms (from secret_env or --secret-file).
    std::string key;
    // A one-line progress display on stderr (the CLI sets it on a terminal).
    bool progress = false;
    // Read the output back before naming it and fail if any original value
    // a transform replaced survives anywhere (leak_verifier.hpp).
    bool verify = false;
    // Called with the input's TOC before anything is written (the runbook
    // prepares the target, e.g. Heroku's heroku_ext schema).
    std::function<void(const dump::ArchiveModel&)> before_output;
    std::uint64_t verify_memory_bytes = std::uint64_t{1024} << 20;
    // Leave every PostgreSQL 18 statistics entry out instead of rewriting it
    // (the restored database then needs ANALYZE before it plans well).
    bool drop_statistics = false;
    // TOC entry kinds pgscrub does not know, passed through unchanged at the
    // user's word (scrub --allow-entry). Known kinds need no allowing.
    std::vector<std::string> allowed_entries;
    // Files written with the output and committed with it (the report and
    // its page): their paths, opened under temporary names before the scrub
    // starts (so a missing or denied directory fails before anything is
    // written), and their contents, made from the summary once the output is
    // complete. They get their names only if the output does (or, when
    // --verify failed, with no output at all, to say why); if one cannot be
    // written, neither can the output.
    std::vector<std::string> companion_paths;
    std::function<std::vector<std::string>(const ScrubSummary&)> companion_contents;
};

struct TableOutcome {
    std::string name;          // schema.table
    int dump_id = 0;           // 0 for plain format
    rules::TableAction action = rules::TableAction::Keep;
    bool copied_as_stored = false;
    // Rows written; unknown (null in the report) when the table was copied as
    // stored, because counting them would mean decompressing it.
    std::optional<std::uint64_t> rows;
    std::uint64_t stored_bytes_in = 0;
    std::uint64_t copy_bytes_in = 0; // decoded COPY text; 0 when copied as stored
    double seconds = 0;
    struct ColumnOutcome {
        std::string column;
        std::string transform;
        std::uint64_t values_changed = 0;
        std::string type;                    // as the dump declares it; "" when unknown
        rules::ColumnDisposition::Action action = rules::ColumnDisposition::Action::Kept;
        bool listed = true;                  // named by a rule (not just by an unlisted_* policy)
        std::optional<std::string> reviewed; // the reviewer's reason for keeping it
    };
    std::vector<ColumnOutcome> columns; // one per COPY column: the coverage of every table
};

struct ScrubSummary {
    std::string input_format;
    std::string output_format;
    std::vector<TableOutcome> tables;
    std::uint64_t large_objects = 0;         // large objects written
    std::uint64_t large_objects_dropped = 0; // left out by large_objects: drop
    StatisticsTally statistics; // PostgreSQL 18 planner statistics: what was read and what was removed
    double seconds = 0;
    std::vector<std::string> warnings; // FILE:LINE:COL: rules naming what the dump lacks
    // With --verify. When it failed, the output was not written.
    std::optional<VerifyResult> verify;
    bool output_written = false;
};

// Throws RulesError (exit 2) when the rules do not fit the dump,
// ArchiveError (exit 3) for bad input or output.
ScrubSummary run_scrub(const ScrubOptions& options, const rules::RulesFile& rules);

// The one-screen summary printed on stderr.
std::string format_summary(const ScrubSummary& summary);

} // namespace pgscrub::scrub
