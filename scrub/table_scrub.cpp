#include "scrub/table_scrub.hpp"

#include "dump/copy_text.hpp"
#include "dump/sql_lexer.hpp"
#include "scrub/parallel_row_rewriter.hpp"

#include <chrono>
#include <cstdio>
#include <memory>

namespace pgscrub::scrub {

namespace {

using Clock = std::chrono::steady_clock;

// Counts bytes on their way to another sink.
class CountingSink final : public common::ByteSink {
public:
    explicit CountingSink(common::ByteSink& out) : out_(out) {}
    void write(std::string_view bytes) override {
        count += bytes.size();
        out_.write(bytes);
    }
    std::uint64_t count = 0;

private:
    common::ByteSink& out_;
};

// The fields of each row: an archive's COPY statement says (-1 when its data
// is INSERT statements); a script's COPY block was read for them.
int copy_column_count(const dump::TableData& data) {
    if (!data.entry) return static_cast<int>(data.columns.size());
    if (!data.entry->copy_stmt) return -1;
    auto parsed = dump::parse_copy_statement(*data.entry->copy_stmt);
    return parsed ? static_cast<int>(parsed->columns.size()) : -1;
}

// What the rules did to each column of a table, for the report's coverage,
// read from the plan that ran (`plan`; nullptr for data no plan covers):
// fills in the columns a kept or truncated table has no outcome for yet, and
// the type, action and review of every column.
void describe_columns(TableOutcome& outcome, const rules::TablePlan* plan, const rules::RulesFile& rules,
                      const dump::SchemaModel& schema, const dump::QualifiedName& name,
                      const std::vector<std::string>& copy_columns) {
    if (outcome.columns.empty()) {
        for (const std::string& column : copy_columns) {
            TableOutcome::ColumnOutcome c;
            c.column = column;
            c.transform = "keep";
            outcome.columns.push_back(std::move(c));
        }
    }
    const dump::Table* table = schema.find(name);
    for (TableOutcome::ColumnOutcome& c : outcome.columns) {
        const rules::ColumnDisposition* planned = plan ? plan->disposition(c.column) : nullptr;
        const rules::ColumnDisposition d = planned ? *planned : rules::column_disposition(rules, schema, name, c.column);
        const dump::Column* column = table ? table->column(c.column) : nullptr;
        c.type = column ? column->type : std::string();
        c.action = d.action;
        c.listed = d.listed;
        c.reviewed = d.reviewed;
        if (outcome.action != rules::TableAction::Transform) c.transform = d.transform;
    }
}

// Column types of `table` in COPY order ("" where unknown), for the verifier.
std::vector<std::string> copy_column_types(const dump::SchemaModel& schema, const rules::TablePlan& plan,
                                           const dump::QualifiedName& name) {
    std::vector<std::string> types;
    const dump::Table* table = schema.find(name);
    for (const rules::ColumnPlan& c : plan.columns) {
        const dump::Column* column = table ? table->column(c.name) : nullptr;
        types.push_back(column ? column->type : std::string());
    }
    return types;
}

// Writes the COPY text of `payload` into `out` as the plan says.
void process_copy_stream(const rules::TablePlan* plan, bool rewrite_rows, int columns, const anonymise::KeyedHash& key,
                         dump::Payload& payload, common::ByteSink& out, std::string_view end_of_copy_data,
                         TableOutcome& outcome, ValueChangeObserver* observer, int jobs) {
    rules::TableAction action = plan ? plan->action : rules::TableAction::Keep;
    if (action == rules::TableAction::Truncate) {
        // The rows go; the end marker stays, so the restore sees a valid, empty COPY.
        common::DiscardSink skipped;
        payload.copy_stored(skipped);
        outcome.stored_bytes_in = payload.stored_bytes_read();
        outcome.rows = 0;
        out.write(end_of_copy_data);
        return;
    }
    if (rewrite_rows || action == rules::TableAction::Transform) {
        const rules::TablePlan* row_plan = action == rules::TableAction::Transform ? plan : nullptr;
        // Rows are rewritten on -j threads, into the same bytes for any -j.
        ParallelRowRewriter rewriter(out, columns, row_plan, &key, payload.location(), RowParallelism{jobs});
        rewriter.observe_changes(observer);
        payload.decode(rewriter);
        rewriter.finish();
        outcome.rows = rewriter.rows();
        outcome.copy_bytes_in = rewriter.bytes_in();
        outcome.stored_bytes_in = payload.stored_bytes_read();
        if (row_plan) {
            for (std::size_t i = 0; i < row_plan->columns.size(); ++i) {
                TableOutcome::ColumnOutcome column;
                column.column = row_plan->columns[i].name;
                column.transform = row_plan->columns[i].transform_name;
                column.values_changed = rewriter.values_changed()[i];
                outcome.columns.push_back(std::move(column));
            }
        }
        return;
    }
    CountingSink counting(out);
    payload.decode(counting);
    outcome.copy_bytes_in = counting.count;
    outcome.stored_bytes_in = payload.stored_bytes_read();
}

} // namespace

void TableProgress::table(const std::string& name, std::uint64_t bytes_so_far) {
    if (!line_.enabled()) return;
    ++done_;
    std::string count = std::to_string(done_) + (total_ ? "/" + std::to_string(total_) : std::string());
    char read[32];
    std::snprintf(read, sizeof read, "%.1f MB read", static_cast<double>(bytes_so_far) / 1e6);
    line_.show("pgscrub: table " + count + " " + name + " (" + read + ")");
}

TableScrubber::TableScrubber(const rules::RulesFile& rules, const anonymise::KeyedHash& key, const ScrubOptions& options,
                             LeakVerifier* verifier, ScrubSummary& summary, std::size_t tables)
    : rules_(rules), key_(key), options_(options), verifier_(verifier), summary_(summary),
      progress_(options.progress, tables) {}

void TableScrubber::show_progress(const std::string& name) {
    std::lock_guard lock(progress_mutex_);
    progress_.table(name, stored_bytes_done_.load());
}

void TableScrubber::scrub(const dump::TableData& data, const dump::SchemaModel& schema, const rules::TablePlan* plan,
                          dump::Payload& payload, TableDataOutput& out) {
    std::unique_ptr<ValueChangeObserver> observer;
    if (verifier_ && plan && plan->action == rules::TableAction::Transform) {
        observer = verifier_->observe(*plan, copy_column_types(schema, *plan, data.name));
    }
    record(run(data, schema, plan, payload, out, options_.jobs, observer.get()));
}

TableOutcome TableScrubber::scrub_concurrently(const dump::TableData& data, const dump::SchemaModel& schema,
                                               const rules::TablePlan* plan, dump::Payload& payload,
                                               TableDataOutput& out, int row_workers) {
    return run(data, schema, plan, payload, out, row_workers, nullptr);
}

void TableScrubber::record(TableOutcome outcome) { summary_.tables.push_back(std::move(outcome)); }

TableOutcome TableScrubber::run(const dump::TableData& data, const dump::SchemaModel& schema,
                                const rules::TablePlan* plan, dump::Payload& payload, TableDataOutput& out,
                                int row_workers, ValueChangeObserver* observer) {
    const std::string name = data.entry ? data.entry->qualified_name() : data.display();
    show_progress(name);
    auto start = Clock::now();
    TableOutcome outcome;
    outcome.name = name;
    outcome.dump_id = data.entry ? data.entry->dump_id : 0;
    rules::TableAction action = plan ? plan->action : rules::TableAction::Keep;
    outcome.action = action;
    // pg_dump --inserts: an archive's rows are SQL, which pgscrub does not rewrite.
    const bool inserts = data.entry && !data.entry->copy_stmt;
    if (action == rules::TableAction::Transform && inserts) {
        throw dump::ArchiveError("this table's data is INSERT statements (pg_dump --inserts); pgscrub rewrites COPY "
                                 "data only — dump without --inserts or --column-inserts",
                                 payload.location());
    }

    if (action == rules::TableAction::Truncate && inserts) {
        // The rows go, and no COPY end marker takes their place (it is not SQL).
        out.begin();
        common::DiscardSink skipped;
        payload.copy_stored(skipped);
        out.end();
        outcome.stored_bytes_in = payload.stored_bytes_read();
        outcome.rows = 0;
    } else if (action == rules::TableAction::Keep && !options_.rewrite_all && out.stores(payload)) {
        out.copy_stored(payload);
        outcome.copied_as_stored = true;
        outcome.stored_bytes_in = payload.stored_bytes_read();
    } else {
        common::ByteSink& sink = out.begin();
        process_copy_stream(plan, options_.rewrite_all, copy_column_count(data), key_, payload, sink,
                            out.end_of_copy_data(), outcome, observer, row_workers);
        out.end();
    }
    // Data the schema does not place (an archive entry without its table) has
    // no columns to describe.
    if (!data.entry || data.table) describe_columns(outcome, plan, rules_, schema, data.name, data.columns);
    outcome.seconds = std::chrono::duration<double>(Clock::now() - start).count();
    stored_bytes_done_ += outcome.stored_bytes_in;
    return outcome;
}

} // namespace pgscrub::scrub
