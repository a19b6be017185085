#pragma once
// One table's data through the rules: the part of `scrub` that is the same
// for every dump format. The format's scrubber (archive_scrub.hpp,
// plain_scrub.hpp) reads the dump and says where the table's data goes; this
// decides, from the table's plan, whether the stored bytes are copied as
// they are, the rows go, or each row is rewritten, and records the outcome
// the summary and the signed report read.

#include "anonymise/keyed_hash.hpp"
#include "common/progress_line.hpp"
#include "dump/table_stream.hpp"
#include "rules/scrub_plan.hpp"
#include "scrub/scrub_job.hpp"

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <mutex>

namespace pgscrub::scrub {

// Where a table's scrubbed data goes: the output format's side of the table
// path.
class TableDataOutput {
public:
    virtual ~TableDataOutput() = default;
    // True when `payload` can be written as stored (same encoding as the
    // output's), without decoding it.
    virtual bool stores(const dump::Payload& payload) const = 0;
    virtual void copy_stored(dump::Payload& payload) = 0;
    // The COPY text, written between begin() and end().
    virtual common::ByteSink& begin() = 0;
    virtual void end() = 0;
    // What ends a truncated table's COPY data in this format.
    virtual std::string_view end_of_copy_data() const = 0;
};

// The progress line (common/progress_line.hpp) as tables go by.
class TableProgress {
public:
    TableProgress(bool enabled, std::size_t total) : line_(enabled), total_(total) {}
    void table(const std::string& name, std::uint64_t bytes_so_far);

private:
    common::ProgressLine line_;
    std::size_t total_;
    std::size_t done_ = 0;
};

class TableScrubber {
public:
    // `tables`: how many tables the progress line counts to (0: unknown).
    TableScrubber(const rules::RulesFile& rules, const anonymise::KeyedHash& key, const ScrubOptions& options,
                  LeakVerifier* verifier, ScrubSummary& summary, std::size_t tables);

    // Scrubs `data` by `plan` (nullptr: data no plan covers, kept) into `out`
    // and adds its outcome to the summary. Throws ArchiveError for data it
    // cannot rewrite (INSERT statements of a table the rules change).
    void scrub(const dump::TableData& data, const dump::SchemaModel& schema, const rules::TablePlan* plan,
               dump::Payload& payload, TableDataOutput& out);

    // The same for one of several tables scrubbed at once, each on a thread
    // of its own (parallel_tables.hpp): rows are rewritten on `row_workers`
    // threads, and the outcome is returned for record(), which the caller
    // does in the tables' order so that the summary reads as with one
    // thread. Only without a verifier: its index must fill in table order.
    TableOutcome scrub_concurrently(const dump::TableData& data, const dump::SchemaModel& schema,
                                    const rules::TablePlan* plan, dump::Payload& payload, TableDataOutput& out,
                                    int row_workers);
    void record(TableOutcome outcome);

private:
    TableOutcome run(const dump::TableData& data, const dump::SchemaModel& schema, const rules::TablePlan* plan,
                     dump::Payload& payload, TableDataOutput& out, int row_workers, ValueChangeObserver* observer);
    void show_progress(const std::string& name);

    const rules::RulesFile& rules_;
    const anonymise::KeyedHash& key_;
    const ScrubOptions& options_;
    LeakVerifier* verifier_;
    ScrubSummary& summary_;
    std::mutex progress_mutex_; // tables scrubbed at once share the progress line
    TableProgress progress_;
    std::atomic<std::uint64_t> stored_bytes_done_{0};
};

} // namespace pgscrub::scrub
