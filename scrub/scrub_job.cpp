#include "scrub/scrub_job.hpp"

#include "common/json_writer.hpp"
#include "common/url_parts.hpp"
#include "common/version.hpp"
#include "dump/archive_error.hpp"
#include "dump/entry_kinds.hpp"
#include "dump/format_detect.hpp"
#include "dump/plain_format.hpp"
#include "dump/schema_model.hpp"
#include "dump/sql_lexer.hpp"
#include "dump/statistics_sql.hpp"
#include "rules/scrub_plan.hpp"
#include "rules/scrub_plan.hpp"
#include "scrub/copy_stream_rewriter.hpp"
#include "dump/plain_schema.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>

namespace pgscrub::scrub {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

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

int copy_column_count(const std::optional<std::string>& copy_stmt) {
    if (!copy_stmt) return -1;
    auto parsed = dump::parse_copy_statement(*copy_stmt);
    return parsed ? static_cast<int>(parsed->columns.size()) : -1;
}

// Transforms read and write UTF-8; data in another encoding would be damaged.
void require_utf8(const std::string& encoding, const std::string& where) {
    if (encoding.empty() || encoding == "UTF8" || encoding == "SQL_ASCII") return;
    throw dump::ArchiveError("the dump's data is in encoding " + encoding +
                                 "; pgscrub transforms UTF-8 data only — dump it again with pg_dump -E UTF8",
                             dump::ErrorLocation{common::describe_url(where), {}, {}, {}});
}

// Rewrites one line on the terminal as tables go by.
class ProgressLine {
public:
    ProgressLine(bool enabled, std::size_t total) : enabled_(enabled), total_(total) {}
    ~ProgressLine() {
        if (enabled_ && shown_) std::fputs("\r\033[K", stderr);
    }
    void table(const std::string& name, std::uint64_t bytes_so_far) {
        if (!enabled_) return;
        ++done_;
        std::string count = std::to_string(done_) + (total_ ? "/" + std::to_string(total_) : std::string());
        std::fprintf(stderr, "\r\033[Kpgscrub: table %s %s (%.1f MB read)", count.c_str(), name.c_str(),
                     static_cast<double>(bytes_so_far) / 1e6);
        std::fflush(stderr);
        shown_ = true;
    }

private:
    bool enabled_;
    std::size_t total_;
    std::size_t done_ = 0;
    bool shown_ = false;
};

std::uint64_t bytes_read(const ScrubSummary& summary) {
    std::uint64_t total = 0;
    for (const TableOutcome& t : summary.tables) total += t.stored_bytes_in;
    return total;
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

// Writes the COPY text of `payload` into `out` as the plan says.
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

void process_copy_stream(const rules::TablePlan* plan, bool rewrite_rows, int columns, const anonymise::KeyedHash& key,
                         dump::Payload& payload, common::ByteSink& out, TableOutcome& outcome,
                         ValueChangeObserver* observer = nullptr) {
    rules::TableAction action = plan ? plan->action : rules::TableAction::Keep;
    if (action == rules::TableAction::Truncate) {
        // The rows go; the end marker stays, so pg_restore sees a valid, empty COPY.
        common::DiscardSink skipped;
        payload.copy_stored(skipped);
        outcome.stored_bytes_in = payload.stored_bytes_read();
        outcome.rows = 0;
        out.write(dump::copy_text::kPgDumpTrailer);
        return;
    }
    if (rewrite_rows || action == rules::TableAction::Transform) {
        const rules::TablePlan* row_plan = action == rules::TableAction::Transform ? plan : nullptr;
        CopyStreamRewriter rewriter(out, columns, row_plan, &key, payload.location());
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

// Statistics pgscrub could not read are never passed on: the message says
// where, and how to go on without them, but never quotes the SQL (it holds
// column values).
[[noreturn]] void refuse_statistics(const dump::StatisticsSqlError& error, dump::ErrorLocation where) {
    throw dump::ArchiveError(std::string(error.what()) + " (at byte " + std::to_string(error.offset()) +
                                 " of its SQL); pgscrub does not pass on statistics it cannot read — rerun with "
                                 "--drop-statistics to leave all statistics out (run ANALYZE after the restore)",
                             std::move(where));
}

// Archive text in a message, quoted: bounded and escaped.
std::string quoted_archive_text(std::string_view text) { return "\"" + common::printable_text(text, 60) + "\""; }

// Entry kinds pgscrub does not know, and data streams where only table rows
// and large objects can be, may carry values it would never see: they stop
// the run unless the user allowed that kind by name.
void refuse_unknown_entries(const dump::ArchiveModel& input, const ScrubOptions& options) {
    for (const dump::TocEntry& e : input.entries) {
        std::string desc = e.desc.value_or("");
        if (std::find(options.allowed_entries.begin(), options.allowed_entries.end(), desc) != options.allowed_entries.end()) {
            continue;
        }
        dump::ErrorLocation where{common::describe_url(options.input), {}, e.dump_id, {}};
        const dump::EntryKind* kind = dump::find_entry_kind(desc);
        // pg_dump's kinds are upper-case words; anything else is not shown
        // (a corrupt archive may have put table data there).
        bool nameable = !desc.empty() && desc.size() <= 60 && std::all_of(desc.begin(), desc.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == ' ' || c == '_';
        });
        if (!kind && !nameable) {
            throw dump::ArchiveError("TOC entry of a kind whose name no pg_dump writes (not shown: it may be data from a "
                                     "corrupt archive); pgscrub does not pass on what it does not know",
                                     where);
        }
        if (!kind) {
            throw dump::ArchiveError("TOC entry kind " + quoted_archive_text(desc) +
                                         " is unknown to pgscrub, which cannot tell whether it carries table rows, so it "
                                         "is not passed on — if it holds none, rerun with --allow-entry " +
                                         quoted_archive_text(desc),
                                     where);
        }
        if (e.had_dumper && !e.is_table_data() && !e.is_blobs()) {
            throw dump::ArchiveError("TOC entry kind " + quoted_archive_text(desc) +
                                         " has a data stream, which pgscrub does not read and will not pass on unread — "
                                         "if it holds no table rows, rerun with --allow-entry " + quoted_archive_text(desc),
                                     where);
        }
    }
}

// Large objects the TOC announces: one BLOB entry each (up to PostgreSQL
// 16), one OID per line of a BLOB METADATA entry (17 on).
std::uint64_t announced_large_objects(const dump::ArchiveModel& model) {
    std::uint64_t count = 0;
    bool data = false;
    for (const dump::TocEntry& e : model.entries) {
        if (e.desc == "BLOB") ++count;
        if (e.desc == "BLOB METADATA" && e.defn) {
            for (std::string_view rest = *e.defn; !rest.empty();) {
                std::size_t nl = rest.find('\n');
                std::string_view line = rest.substr(0, nl);
                if (line.find_first_not_of(" \t\r") != std::string_view::npos) ++count;
                rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
            }
        }
        data |= e.is_blobs();
    }
    return count == 0 && data ? 1 : count;
}

bool is_large_object_entry(const dump::TocEntry& e) {
    if (e.desc == "BLOB" || e.desc == "BLOB METADATA" || e.desc == "BLOBS") return true;
    // Comments, labels and grants on large objects: tag "LARGE OBJECT 16411" (17+: "LARGE OBJECTS 1..9").
    return (e.desc == "ACL" || e.desc == "COMMENT" || e.desc == "SECURITY LABEL") && e.tag &&
           e.tag->starts_with("LARGE OBJECT");
}

// What the rules say about the dump's large objects; a dump that has some
// and rules that do not say stop the run under unlisted_tables: fail.
// `count` is nullopt where it is not known up front (a plain script).
rules::LargeObjects large_object_policy(const rules::RulesFile& rules, std::optional<std::uint64_t> count) {
    if (rules.large_objects != rules::LargeObjects::Unset) return rules.large_objects;
    switch (rules.unlisted_tables) {
    case rules::UnlistedTables::Keep: return rules::LargeObjects::Keep;
    case rules::UnlistedTables::Truncate: return rules::LargeObjects::Drop;
    case rules::UnlistedTables::Fail: break;
    }
    if (count == 0) return rules::LargeObjects::Keep;
    std::string how_many = count ? std::to_string(*count) + " large object" + (*count == 1 ? "" : "s") : "large objects";
    throw rules::RulesError({rules::Diagnostic{
        rules.large_objects_where,
        "the dump holds " + how_many +
            " (uploaded files of any kind) and the rules do not say what happens to them — add large_objects: drop, "
            "or large_objects: keep once a reviewer has checked them (pgscrub scan lists what they hold)"}});
}

// The TOC the output gets: the input's, with every statistics entry
// rewritten by the rules (or left out with --drop-statistics), and large
// objects left out when the rules drop them.
dump::ArchiveModel output_toc(const dump::ArchiveModel& input, const dump::SchemaModel& schema,
                              const rules::RulesFile& rules, const ScrubOptions& options, ScrubSummary& summary,
                              bool& drop_large_objects) {
    refuse_unknown_entries(input, options);
    std::uint64_t large_objects = announced_large_objects(input);
    drop_large_objects = large_object_policy(rules, large_objects) == rules::LargeObjects::Drop;
    if (drop_large_objects) summary.large_objects_dropped = large_objects;
    dump::ArchiveModel output = input;
    if (drop_large_objects) std::erase_if(output.entries, is_large_object_entry);
    IndexDefinitions indexes = index_definitions(input);
    StatisticsPolicy policy(rules, schema, indexes);
    for (dump::TocEntry& e : output.entries) {
        if (e.desc != "STATISTICS DATA" || options.drop_statistics) continue;
        if (!e.defn || e.had_dumper) {
            throw dump::ArchiveError("a statistics entry that is not SQL in the TOC; pgscrub does not pass on statistics "
                                     "it cannot read — rerun with --drop-statistics to leave all statistics out",
                                     dump::ErrorLocation{common::describe_url(options.input), {}, e.dump_id, e.describe()});
        }
        try {
            e.defn = scrub_statistics_sql(*e.defn, policy, summary.statistics);
        } catch (const dump::StatisticsSqlError& error) {
            refuse_statistics(error, dump::ErrorLocation{common::describe_url(options.input), {}, e.dump_id, e.describe()});
        }
    }
    if (options.drop_statistics) {
        std::uint64_t before = output.entries.size();
        std::erase_if(output.entries, [](const dump::TocEntry& e) { return e.desc == "STATISTICS DATA"; });
        summary.statistics.entries += before - output.entries.size();
        summary.statistics.entries_dropped += before - output.entries.size();
    }
    return output;
}

class ArchiveScrubber final : public dump::DataVisitor {
public:
    ArchiveScrubber(dump::ArchiveWriter& writer, const rules::RulesFile& rules, const rules::ScrubPlan& plan,
                    const dump::SchemaModel& schema, const anonymise::KeyedHash& key, const ScrubOptions& options,
                    bool recompress_all, bool drop_large_objects, LeakVerifier* verifier, ScrubSummary& summary)
        : writer_(writer), rules_(rules), plan_(plan), schema_(schema), key_(key), options_(options), recompress_all_(recompress_all),
          drop_large_objects_(drop_large_objects), verifier_(verifier), summary_(summary),
          progress_(options.progress, plan.by_dump_id.size()) {}

    void table_data(const dump::TocEntry& entry, dump::Payload& payload) override {
        progress_.table(entry.qualified_name(), bytes_read(summary_));
        auto start = Clock::now();
        TableOutcome outcome;
        outcome.name = entry.qualified_name();
        outcome.dump_id = entry.dump_id;
        const rules::TablePlan* plan = entry.is_table_data() ? plan_.plan_for(entry.dump_id) : nullptr;
        rules::TableAction action = plan ? plan->action : rules::TableAction::Keep;
        outcome.action = action;
        if (action == rules::TableAction::Transform && !entry.copy_stmt) {
            throw dump::ArchiveError("this table's data is INSERT statements (pg_dump --inserts); pgscrub rewrites COPY "
                                     "data only — dump without --inserts or --column-inserts",
                                     payload.location());
        }

        if (action == rules::TableAction::Truncate && !entry.copy_stmt) {
            // INSERT statements (pg_dump --inserts): the rows go, and no COPY
            // end marker takes their place (it is not SQL).
            writer_.begin_table_data(entry);
            common::DiscardSink skipped;
            payload.copy_stored(skipped);
            writer_.end_table_data();
            outcome.stored_bytes_in = payload.stored_bytes_read();
            outcome.rows = 0;
        } else if (action == rules::TableAction::Keep && !options_.rewrite_all && can_copy_stored(payload)) {
            writer_.table_data_stored(entry, payload);
            outcome.copied_as_stored = true;
            outcome.stored_bytes_in = payload.stored_bytes_read();
        } else {
            common::ByteSink& out = writer_.begin_table_data(entry);
            std::unique_ptr<ValueChangeObserver> observer;
            if (verifier_ && action == rules::TableAction::Transform) {
                const dump::Table* table = schema_.table_for_data(entry.dump_id);
                observer = verifier_->observe(*plan, table ? copy_column_types(schema_, *plan, table->name)
                                                           : std::vector<std::string>());
            }
            process_copy_stream(plan, options_.rewrite_all, copy_column_count(entry.copy_stmt), key_, payload, out, outcome,
                                observer.get());
            writer_.end_table_data();
        }
        if (const dump::Table* table = schema_.table_for_data(entry.dump_id)) {
            describe_columns(outcome, plan, rules_, schema_, table->name, table->copy_columns);
        }
        outcome.seconds = seconds_since(start);
        summary_.tables.push_back(std::move(outcome));
    }

    void blobs_begin(const dump::TocEntry& entry) override {
        if (!drop_large_objects_) writer_.blobs_begin(entry);
    }

    void blob(const dump::TocEntry&, std::uint32_t oid, dump::Payload& payload) override {
        if (drop_large_objects_) {
            common::DiscardSink dropped;
            payload.copy_stored(dropped);
            return;
        }
        ++summary_.large_objects;
        if (can_copy_stored(payload)) {
            writer_.blob_stored(oid, payload);
        } else {
            common::ByteSink& out = writer_.begin_blob(oid);
            payload.decode(out);
            writer_.end_blob();
        }
    }

    void blobs_end(const dump::TocEntry&) override {
        if (!drop_large_objects_) writer_.blobs_end();
    }

    // Tar's restore.sql repeats every entry's SQL, statistics values
    // included, and pg_restore never reads it: the output gets the writer's
    // own note instead of a copy.
    void restore_script(std::string_view) override {}

private:
    bool can_copy_stored(const dump::Payload& payload) const {
        return !recompress_all_ && payload.encoding() == writer_.data_encoding();
    }

    dump::ArchiveWriter& writer_;
    const rules::RulesFile& rules_;
    const rules::ScrubPlan& plan_;
    const dump::SchemaModel& schema_;
    const anonymise::KeyedHash& key_;
    const ScrubOptions& options_;
    bool recompress_all_;
    bool drop_large_objects_;
    LeakVerifier* verifier_;
    ScrubSummary& summary_;
    ProgressLine progress_;
};

// Plain scripts have no TOC: the scrubber learns the schema from the DDL
// statements that precede the data (pg_dump writes all table definitions and
// partition attachments first), so rules on partition parents apply here too.
class PlainScrubber final : public dump::PlainVisitor {
public:
    PlainScrubber(common::FileOutput& out, const rules::RulesFile& rules, const anonymise::KeyedHash& key,
                  const ScrubOptions& options, LeakVerifier* verifier, ScrubSummary& summary)
        : out_(out), rules_(rules), key_(key), options_(options), verifier_(verifier), summary_(summary),
          progress_(options.progress, 0) {}

    void sql(std::string_view text) override { out_.write(text); }

    // Statements that can carry values (SELECT, INSERT, and whatever names
    // a large object) are held back until they are whole, then rewritten,
    // passed, dropped or refused (decide_held).
    void sql_line(std::string_view line, bool starts_statement, std::uint64_t line_number) override {
        if (holding_) {
            if (starts_statement) refuse_held("it does not end where pg_dump ends it");
            held_ += line;
            return;
        }
        if (starts_statement && may_carry_values(line)) {
            holding_ = true;
            held_.assign(line);
            held_at_line_ = line_number;
            return;
        }
        out_.write(line);
    }

    void statement(std::string_view text) override {
        learner_.statement(text);
        if (auto index = parse_index_definition(text)) indexes_[index->index] = std::move(*index);
        if (!holding_) return;
        holding_ = false;
        decide_held(text);
        held_.clear();
    }

    // pg_dump writes every statement on lines of its own; one that starts
    // after another's `;` would pass unscreened, so such a script is refused.
    void statements_share_line(std::uint64_t line_number) override {
        throw dump::ArchiveError("two statements share line " + std::to_string(line_number) +
                                     "; pg_dump writes each on lines of its own, and pgscrub does not pass on a "
                                     "statement it has not screened — dump again with pg_dump",
                                 dump::ErrorLocation{common::describe_url(options_.input), {}, {}, {}});
    }

    // After the whole script: a held statement that never ended.
    void finish() {
        if (holding_) refuse_held("the script ends inside it");
    }

    void copy_data(const dump::PlainCopyBlock& block, dump::Payload& payload) override {
        if (holding_) refuse_held("COPY data follows it");
        progress_.table(block.qualified_name(), bytes_read(summary_));
        auto start = Clock::now();
        TableOutcome outcome;
        dump::QualifiedName table{block.statement.schema.empty() ? "public" : block.statement.schema, block.statement.table};
        outcome.name = table.schema + "." + table.name;
        std::vector<rules::Diagnostic> problems;
        rules::TablePlan plan = rules::plan_table(rules_, learner_.schema(), table, block.statement.columns, problems);
        if (!problems.empty()) throw rules::RulesError(std::move(problems));
        if (plan.action == rules::TableAction::Transform) require_utf8(learner_.encoding(), options_.input);
        outcome.action = plan.action;
        if (plan.action == rules::TableAction::Keep && !options_.rewrite_all) {
            payload.copy_stored(out_);
            outcome.copied_as_stored = true;
            outcome.stored_bytes_in = payload.stored_bytes_read();
        } else if (plan.action == rules::TableAction::Truncate) {
            common::DiscardSink skipped;
            payload.copy_stored(skipped);
            outcome.stored_bytes_in = payload.stored_bytes_read();
            outcome.rows = 0;
            out_.write("\\.\n"); // a plain script's data block ends at this line
        } else {
            std::unique_ptr<ValueChangeObserver> observer;
            if (verifier_ && plan.action == rules::TableAction::Transform) {
                observer = verifier_->observe(plan, copy_column_types(learner_.schema(), plan, table));
            }
            process_copy_stream(&plan, true, static_cast<int>(block.statement.columns.size()), key_, payload, out_, outcome,
                                observer.get());
        }
        describe_columns(outcome, &plan, rules_, learner_.schema(), table, block.statement.columns);
        outcome.seconds = seconds_since(start);
        summary_.tables.push_back(std::move(outcome));
    }

private:
    static bool starts_with_word(std::string_view line, std::string_view words) {
        std::size_t i = line.find_first_not_of(" \t");
        if (i == std::string_view::npos || line.size() - i < words.size()) return false;
        for (std::size_t k = 0; k < words.size(); ++k) {
            if (std::toupper(static_cast<unsigned char>(line[i + k])) != words[k]) return false;
        }
        return true;
    }
    static bool may_carry_values(std::string_view first_line) {
        for (std::string_view words : {"SELECT ", "INSERT ", "ALTER LARGE OBJECT ", "COMMENT ON LARGE OBJECT ",
                                       "SECURITY LABEL ", "GRANT ", "REVOKE "}) {
            if (starts_with_word(first_line, words)) return true;
        }
        return false;
    }
    // ALTER LARGE OBJECT, and COMMENT, SECURITY LABEL, GRANT or REVOKE whose
    // object (after the first ON) is a LARGE OBJECT: told by how the
    // statement begins, never by words inside its values.
    static bool on_large_object(std::string_view text) {
        std::vector<dump::SqlToken> t = dump::tokenize_sql(text.substr(0, 400));
        auto large_object_at = [&](std::size_t i) {
            return i + 1 < t.size() && t[i].is_keyword("large") && t[i + 1].is_keyword("object");
        };
        if (t.size() < 3) return false;
        if (t[0].is_keyword("alter")) return large_object_at(1);
        if (!(t[0].is_keyword("comment") || t[0].is_keyword("security") || t[0].is_keyword("grant") ||
              t[0].is_keyword("revoke"))) {
            return false;
        }
        for (std::size_t i = 1; i < t.size(); ++i) {
            if (t[i].is_keyword("on")) return large_object_at(i + 1);
        }
        return false;
    }
    static bool calls(std::string_view text, std::string_view function) {
        return starts_with_word(text, "SELECT PG_CATALOG." + std::string(function) + "(");
    }

    void decide_held(std::string_view text) {
        if (dump::is_statistics_sql(held_)) return scrub_held_statistics();
        bool large_object = on_large_object(text);
        for (std::string_view f : {"LO_CREATE", "LO_OPEN", "LOWRITE", "LO_CLOSE", "LO_UNLINK"}) large_object |= calls(text, f);
        if (large_object) {
            if (large_objects_ == rules::LargeObjects::Unset) {
                large_objects_ = large_object_policy(rules_, std::nullopt);
            }
            if (large_objects_ == rules::LargeObjects::Drop) {
                if (calls(text, "LO_CREATE")) ++summary_.large_objects_dropped;
                return;
            }
            if (calls(text, "LO_CREATE")) ++summary_.large_objects;
            return out_.write(held_);
        }
        if (starts_with_word(text, "INSERT ")) return decide_insert(text);
        if (!starts_with_word(text, "SELECT ") || calls(text, "SET_CONFIG") || calls(text, "SETVAL")) return out_.write(held_);
        throw dump::ArchiveError("a SELECT statement pgscrub does not know (not one pg_dump writes for a restore); it "
                                     "may carry values, so the script is not passed on — dump again with pg_dump, without "
                                     "--binary-upgrade",
                                 held_location());
    }

    // --inserts dumps: rows as INSERT statements, which pgscrub does not
    // rewrite; they pass only for tables whose rows the rules keep.
    void decide_insert(std::string_view text) {
        std::vector<dump::SqlToken> t = dump::tokenize_sql(text.substr(0, 1000));
        if (t.size() >= 5 && t[1].is_keyword("into") && t[2].is_name() && t[3].is_punctuation('.') && t[4].is_name()) {
            dump::QualifiedName table{t[2].value, t[4].value};
            const dump::Table* known = learner_.schema().find(table);
            std::vector<rules::Diagnostic> problems;
            if (!known) {
                throw dump::ArchiveError("an INSERT into " + table.display() + ", a table the script has not defined; it is "
                                         "not passed on — dump with the schema, and without --inserts",
                                         held_location());
            }
            rules::TablePlan plan = rules::plan_table(rules_, learner_.schema(), table, {}, problems);
            if (!problems.empty()) throw rules::RulesError(std::move(problems));
            if (plan.action == rules::TableAction::Keep) return out_.write(held_);
            if (plan.action == rules::TableAction::Truncate) return; // the row goes
            throw dump::ArchiveError("the rows of " + table.display() + ", which the rules change, are INSERT statements "
                                         "(pg_dump --inserts); pgscrub rewrites COPY data only — dump without --inserts "
                                         "or --column-inserts",
                                     held_location());
        }
        throw dump::ArchiveError("an INSERT statement pgscrub cannot place in a table; it is not passed on — dump without "
                                 "--inserts or --column-inserts",
                                 held_location());
    }

    void scrub_held_statistics() {
        if (options_.drop_statistics) {
            ++summary_.statistics.entries;
            ++summary_.statistics.entries_dropped;
            return;
        }
        StatisticsPolicy policy(rules_, learner_.schema(), indexes_);
        try {
            out_.write(scrub_statistics_sql(held_, policy, summary_.statistics));
        } catch (const dump::StatisticsSqlError& error) {
            refuse_statistics(error, held_location());
        }
    }

    dump::ErrorLocation held_location() const {
        return dump::ErrorLocation{common::describe_url(options_.input), {}, {},
                                   "statement at line " + std::to_string(held_at_line_)};
    }
    [[noreturn]] void refuse_held(const std::string& why) {
        throw dump::ArchiveError("a statement that may carry values is not the SQL pg_dump writes (" + why +
                                     "), so the script is not passed on",
                                 held_location());
    }

    common::FileOutput& out_;
    const rules::RulesFile& rules_;
    const anonymise::KeyedHash& key_;
    const ScrubOptions& options_;
    LeakVerifier* verifier_;
    ScrubSummary& summary_;
    dump::PlainSchemaLearner learner_;
    ProgressLine progress_;
    IndexDefinitions indexes_;
    rules::LargeObjects large_objects_ = rules::LargeObjects::Unset; // decided at the first large object
    bool holding_ = false;
    std::string held_;
    std::uint64_t held_at_line_ = 0;
};

// The report and its page, written under temporary names and given their
// names together with the output (ScrubOptions::companion_paths).
class Companions {
public:
    explicit Companions(const ScrubOptions& options) : options_(options) {
        for (const std::string& path : options.companion_paths) files_.push_back(common::FileOutput::create(path));
    }

    // Writes and completes every companion (still under temporary names).
    void complete(const ScrubSummary& summary) {
        if (files_.empty()) return;
        std::vector<std::string> contents = options_.companion_contents(summary);
        for (std::size_t i = 0; i < files_.size() && i < contents.size(); ++i) {
            files_[i]->write(contents[i]);
            files_[i]->complete();
        }
    }
    void commit() {
        for (auto& file : files_) file->commit();
    }

private:
    const ScrubOptions& options_;
    std::vector<std::unique_ptr<common::FileOutput>> files_;
};

// Reads the completed output back at `pending` and records the verdict;
// true when the output may be given its final name.
bool verify_output(LeakVerifier* verifier, const std::string& pending, const ScrubOptions& options,
                   const rules::RulesFile& rules, ScrubSummary& summary) {
    if (!verifier) return true;
    if (pending.empty()) {
        throw dump::ArchiveError("--verify reads the output back before giving it its name, and a pipe or device cannot "
                                 "be read back — write to a file or directory",
                                 dump::ErrorLocation{options.output, {}, {}, {}});
    }
    summary.verify = verifier->check(pending, rules);
    return summary.verify->passed;
}

void scrub_plain(const ScrubOptions& options, const rules::RulesFile& rules, const anonymise::KeyedHash& key,
                 common::InputStream& in, LeakVerifier* verifier, ScrubSummary& summary) {
    if (options.format && *options.format != dump::ArchiveFormat::Plain) {
        throw dump::ArchiveError(std::string("a plain SQL input can only be written as plain SQL (it has no TOC to build a ") +
                                 dump::format_name(*options.format) + " archive from); drop --format or dump with pg_dump -Fc");
    }
    if (options.compression && options.compression->algorithm != dump::Compression::None) {
        throw dump::ArchiveError("plain SQL output is not compressed by pgscrub; pipe it through gzip or zstd instead");
    }
    summary.output_format = "plain";
    Companions companions(options);
    auto out = common::FileOutput::create(options.output);
    PlainScrubber scrubber(*out, rules, key, options, verifier, summary);
    dump::read_plain(in, scrubber);
    scrubber.finish();
    out->complete();
    bool passed = verify_output(verifier, out->pending_name(), options, rules, summary);
    summary.output_written = passed;
    companions.complete(summary); // a report that cannot be written stops the output too
    if (passed) out->commit();
    companions.commit();
}

} // namespace

ScrubSummary run_scrub(const ScrubOptions& options, const rules::RulesFile& rules) {
    auto start = Clock::now();
    ScrubSummary summary;
    anonymise::KeyedHash key(options.key);
    std::unique_ptr<LeakVerifier> verifier;
    if (options.verify) verifier = std::make_unique<LeakVerifier>(options.verify_memory_bytes);
    dump::OpenedInput input = dump::open_input(options.input);
    summary.input_format = dump::format_name(input.format);
    if (input.format == dump::ArchiveFormat::Plain) {
        scrub_plain(options, rules, key, *input.plain, verifier.get(), summary);
        summary.seconds = seconds_since(start);
        return summary;
    }

    const dump::ArchiveModel& model = input.archive->model();
    dump::SchemaModel schema = dump::SchemaModel::from_archive(model);
    rules::ScrubPlan plan = rules::bind_rules(rules, schema);
    for (const rules::Diagnostic& warning : plan.warnings) summary.warnings.push_back(warning.format("warning"));
    if (plan.any_transform()) {
        for (const dump::TocEntry& e : model.entries) {
            if (e.desc == "ENCODING" && e.defn) require_utf8(dump::client_encoding(*e.defn), options.input);
        }
    }

    dump::OutputSpec spec;
    spec.format = options.format.value_or(input.format);
    if (spec.format == dump::ArchiveFormat::Plain) {
        throw dump::ArchiveError("writing plain SQL from an archive is pg_restore's job: scrub to an archive, then run "
                                 "pg_restore -f out.sql on it");
    }
    if (options.compression) {
        spec.compression = *options.compression;
        spec.recompress_all = options.compression->level.has_value();
    } else if (spec.format == dump::ArchiveFormat::Tar) {
        spec.compression.algorithm = dump::Compression::None;
    } else if (input.format == dump::ArchiveFormat::Tar) {
        // pg_dump's default for custom and directory output is gzip.
        spec.compression.algorithm = dump::Compression::Gzip;
    } else {
        spec.compression.algorithm = model.header.compression;
    }
    spec.threads = options.jobs;
    summary.output_format = dump::format_name(spec.format);

    bool drop_large_objects = false;
    dump::ArchiveModel out_model = output_toc(model, schema, rules, options, summary, drop_large_objects);
    if (options.before_output) options.before_output(model);
    Companions companions(options);
    auto writer = dump::make_archive_writer(options.output, spec);
    writer->begin(out_model);
    ArchiveScrubber scrubber(*writer, rules, plan, schema, key, options, spec.recompress_all, drop_large_objects,
                             verifier.get(), summary);
    input.archive->read_data(scrubber);
    writer->complete();
    bool passed = verify_output(verifier.get(), writer->pending_path(), options, rules, summary);
    summary.output_written = passed;
    summary.seconds = seconds_since(start);
    companions.complete(summary); // a report that cannot be written stops the output too
    if (passed) writer->commit();
    companions.commit();
    return summary;
}

std::string format_summary(const ScrubSummary& summary) {
    std::uint64_t stored = 0, decoded = 0;
    int copied = 0, rewritten = 0, truncated = 0, transformed = 0;
    for (const TableOutcome& t : summary.tables) {
        stored += t.stored_bytes_in;
        decoded += t.copy_bytes_in;
        if (t.action == rules::TableAction::Truncate) ++truncated;
        else if (t.action == rules::TableAction::Transform) ++transformed;
        else if (t.copied_as_stored) ++copied;
        else ++rewritten;
    }
    char line[512];
    std::snprintf(line, sizeof line,
                  "pgscrub: %s -> %s: %zu tables (%d transformed, %d truncated, %d copied unchanged without decompressing, "
                  "%d re-encoded unchanged), %llu large objects%s, %.1f MB read in %.2f s\n",
                  summary.input_format.c_str(), summary.output_format.c_str(), summary.tables.size(), transformed,
                  truncated, copied, rewritten, static_cast<unsigned long long>(summary.large_objects),
                  summary.large_objects_dropped
                      ? (" (" + std::to_string(summary.large_objects_dropped) + " dropped by the rules)").c_str()
                      : "",
                  static_cast<double>(stored + decoded) / 1e6, summary.seconds);
    std::string text = line;
    if (const StatisticsTally& stats = summary.statistics; stats.any()) {
        if (stats.entries_dropped) {
            std::snprintf(line, sizeof line, "  statistics: %llu entries left out (--drop-statistics)\n",
                          static_cast<unsigned long long>(stats.entries_dropped));
        } else {
            std::snprintf(line, sizeof line,
                          "  statistics: %llu entries, %llu rewritten: %llu column statistics without their values, "
                          "%llu removed, %llu relations set to 0 rows\n",
                          static_cast<unsigned long long>(stats.entries), static_cast<unsigned long long>(stats.entries_changed),
                          static_cast<unsigned long long>(stats.attribute_calls_stripped),
                          static_cast<unsigned long long>(stats.attribute_calls_removed),
                          static_cast<unsigned long long>(stats.relations_emptied));
        }
        text += line;
    }
    // One screen: the tables whose data changed, with what changed in each.
    constexpr int kMaxLines = 20;
    int shown = 0, hidden = 0;
    for (const TableOutcome& t : summary.tables) {
        if (t.action == rules::TableAction::Keep) continue;
        if (shown == kMaxLines) {
            ++hidden;
            continue;
        }
        ++shown;
        std::string detail;
        if (t.action == rules::TableAction::Truncate) {
            detail = "rows dropped";
        } else {
            // Whole column entries only: what does not fit is counted, never cut mid-name.
            constexpr std::size_t kDetailWidth = 110;
            detail = std::to_string(t.rows.value_or(0)) + " rows;";
            std::size_t changed = 0, shown_columns = 0;
            for (const auto& c : t.columns) {
                if (c.transform == "keep") continue;
                ++changed;
                std::string entry = " " + c.column + " (" + c.transform + ") " + std::to_string(c.values_changed) + ",";
                if (shown_columns == changed - 1 && detail.size() + entry.size() <= kDetailWidth - 10) {
                    detail += entry;
                    ++shown_columns;
                }
            }
            if (detail.back() == ',') detail.pop_back();
            if (changed > shown_columns) detail += " +" + std::to_string(changed - shown_columns) + " more";
        }
        const std::string action = rules::action_name(t.action);
        text += "  " + action + std::string(action.size() < 11 ? 11 - action.size() : 0, ' ') + " " + t.name +
                std::string(t.name.size() < 36 ? 36 - t.name.size() : 0, ' ') + " " + detail + "\n";
    }
    if (hidden) text += "  ... and " + std::to_string(hidden) + " more changed tables (see --report)\n";
    return text;
}

} // namespace pgscrub::scrub
