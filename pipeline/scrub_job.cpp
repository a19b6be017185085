#include "pipeline/scrub_job.hpp"

#include "anonymise/version.hpp"
#include "dump/archive_error.hpp"
#include "dump/format_detect.hpp"
#include "dump/plain_format.hpp"
#include "dump/sql_lexer.hpp"
#include "pipeline/copy_stream_rewriter.hpp"
#include "pipeline/json_writer.hpp"
#include "pipeline/plain_schema.hpp"
#include "dump/schema_model.hpp"
#include "rules/scrub_plan.hpp"

#include <chrono>
#include <cstdio>
#include <fstream>

namespace pgscrub::pipeline {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Counts bytes on their way to another sink.
class CountingSink final : public dump::ByteSink {
public:
    explicit CountingSink(dump::ByteSink& out) : out_(out) {}
    void write(std::string_view bytes) override {
        count += bytes.size();
        out_.write(bytes);
    }
    std::uint64_t count = 0;

private:
    dump::ByteSink& out_;
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
                             dump::ErrorLocation{where, {}, {}, {}});
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

const char* action_name(rules::TableAction action) {
    switch (action) {
    case rules::TableAction::Keep: return "kept";
    case rules::TableAction::Truncate: return "truncated";
    case rules::TableAction::Transform: return "transformed";
    }
    return "kept";
}

// Writes the COPY text of `payload` into `out` as the plan says.
void process_copy_stream(const rules::TablePlan* plan, bool rewrite_rows, int columns, const anonymise::KeyedHash& key,
                         dump::Payload& payload, dump::ByteSink& out, TableOutcome& outcome) {
    rules::TableAction action = plan ? plan->action : rules::TableAction::Keep;
    if (action == rules::TableAction::Truncate) {
        // The rows go; the end marker stays, so pg_restore sees a valid, empty COPY.
        dump::DiscardSink skipped;
        payload.copy_stored(skipped);
        outcome.stored_bytes_in = payload.stored_bytes_read();
        outcome.rows = 0;
        out.write(dump::copy_text::kPgDumpTrailer);
        return;
    }
    if (rewrite_rows || action == rules::TableAction::Transform) {
        const rules::TablePlan* row_plan = action == rules::TableAction::Transform ? plan : nullptr;
        CopyStreamRewriter rewriter(out, columns, row_plan, &key, payload.location());
        payload.decode(rewriter);
        rewriter.finish();
        outcome.rows = rewriter.rows();
        outcome.copy_bytes_in = rewriter.bytes_in();
        outcome.stored_bytes_in = payload.stored_bytes_read();
        if (row_plan) {
            for (std::size_t i = 0; i < row_plan->columns.size(); ++i) {
                outcome.columns.push_back({row_plan->columns[i].name, row_plan->columns[i].transform_name,
                                           rewriter.values_changed()[i]});
            }
        }
        return;
    }
    CountingSink counting(out);
    payload.decode(counting);
    outcome.copy_bytes_in = counting.count;
    outcome.stored_bytes_in = payload.stored_bytes_read();
}

class ArchiveScrubber final : public dump::DataVisitor {
public:
    ArchiveScrubber(dump::ArchiveWriter& writer, const rules::ScrubPlan& plan, const anonymise::KeyedHash& key,
                    const ScrubOptions& options, bool recompress_all, ScrubSummary& summary)
        : writer_(writer), plan_(plan), key_(key), options_(options), recompress_all_(recompress_all), summary_(summary),
          progress_(options.progress, plan.by_dump_id.size()) {}

    void table_data(const dump::TocEntry& entry, dump::Payload& payload) override {
        progress_.table(entry.qualified_name(), bytes_read(summary_));
        auto start = Clock::now();
        TableOutcome outcome;
        outcome.name = entry.qualified_name();
        outcome.dump_id = entry.dump_id;
        const rules::TablePlan* plan = entry.is_table_data() ? plan_.plan_for(entry.dump_id) : nullptr;
        rules::TableAction action = plan ? plan->action : rules::TableAction::Keep;
        outcome.action = action_name(action);
        if (action == rules::TableAction::Transform && !entry.copy_stmt) {
            throw dump::ArchiveError("this table's data is INSERT statements (pg_dump --inserts); pgscrub rewrites COPY "
                                     "data only — dump without --inserts or --column-inserts",
                                     payload.location());
        }

        if (action == rules::TableAction::Keep && !options_.rewrite_all && can_copy_stored(payload)) {
            writer_.table_data_stored(entry, payload);
            outcome.copied_as_stored = true;
            outcome.stored_bytes_in = payload.stored_bytes_read();
        } else {
            dump::ByteSink& out = writer_.begin_table_data(entry);
            process_copy_stream(plan, options_.rewrite_all, copy_column_count(entry.copy_stmt), key_, payload, out, outcome);
            writer_.end_table_data();
        }
        outcome.seconds = seconds_since(start);
        summary_.tables.push_back(std::move(outcome));
    }

    void blobs_begin(const dump::TocEntry& entry) override { writer_.blobs_begin(entry); }

    void blob(const dump::TocEntry&, std::uint32_t oid, dump::Payload& payload) override {
        ++summary_.large_objects;
        if (can_copy_stored(payload)) {
            writer_.blob_stored(oid, payload);
        } else {
            dump::ByteSink& out = writer_.begin_blob(oid);
            payload.decode(out);
            writer_.end_blob();
        }
    }

    void blobs_end(const dump::TocEntry&) override { writer_.blobs_end(); }

    void restore_script(std::string_view script) override { writer_.restore_script(script); }

private:
    bool can_copy_stored(const dump::Payload& payload) const {
        return !recompress_all_ && payload.encoding() == writer_.data_encoding();
    }

    dump::ArchiveWriter& writer_;
    const rules::ScrubPlan& plan_;
    const anonymise::KeyedHash& key_;
    const ScrubOptions& options_;
    bool recompress_all_;
    ScrubSummary& summary_;
    ProgressLine progress_;
};

// Plain scripts have no TOC: the scrubber learns the schema from the DDL
// statements that precede the data (pg_dump writes all table definitions and
// partition attachments first), so rules on partition parents apply here too.
class PlainScrubber final : public dump::PlainVisitor {
public:
    PlainScrubber(dump::FileOutput& out, const rules::RulesFile& rules, const anonymise::KeyedHash& key,
                  const ScrubOptions& options, ScrubSummary& summary)
        : out_(out), rules_(rules), key_(key), options_(options), summary_(summary), progress_(options.progress, 0) {}

    void sql(std::string_view text) override { out_.write(text); }

    void statement(std::string_view text) override { learner_.statement(text); }

    void copy_data(const dump::PlainCopyBlock& block, dump::Payload& payload) override {
        progress_.table(block.qualified_name(), bytes_read(summary_));
        auto start = Clock::now();
        TableOutcome outcome;
        dump::QualifiedName table{block.statement.schema.empty() ? "public" : block.statement.schema, block.statement.table};
        outcome.name = table.schema + "." + table.name;
        std::vector<rules::Diagnostic> problems;
        rules::TablePlan plan = rules::plan_table(rules_, learner_.schema(), table, block.statement.columns, problems);
        if (!problems.empty()) throw rules::RulesError(std::move(problems));
        if (plan.action == rules::TableAction::Transform) require_utf8(learner_.encoding(), options_.input);
        outcome.action = action_name(plan.action);
        if (plan.action == rules::TableAction::Keep && !options_.rewrite_all) {
            payload.copy_stored(out_);
            outcome.copied_as_stored = true;
            outcome.stored_bytes_in = payload.stored_bytes_read();
        } else if (plan.action == rules::TableAction::Truncate) {
            dump::DiscardSink skipped;
            payload.copy_stored(skipped);
            outcome.stored_bytes_in = payload.stored_bytes_read();
            outcome.rows = 0;
            out_.write("\\.\n"); // a plain script's data block ends at this line
        } else {
            process_copy_stream(&plan, true, static_cast<int>(block.statement.columns.size()), key_, payload, out_, outcome);
        }
        outcome.seconds = seconds_since(start);
        summary_.tables.push_back(std::move(outcome));
    }

private:
    dump::FileOutput& out_;
    const rules::RulesFile& rules_;
    const anonymise::KeyedHash& key_;
    const ScrubOptions& options_;
    ScrubSummary& summary_;
    PlainSchemaLearner learner_;
    ProgressLine progress_;
};

void scrub_plain(const ScrubOptions& options, const rules::RulesFile& rules, const anonymise::KeyedHash& key,
                 dump::InputStream& in, ScrubSummary& summary) {
    if (options.format && *options.format != dump::ArchiveFormat::Plain) {
        throw dump::ArchiveError(std::string("a plain SQL input can only be written as plain SQL (it has no TOC to build a ") +
                                 dump::format_name(*options.format) + " archive from); drop --format or dump with pg_dump -Fc");
    }
    if (options.compression && options.compression->algorithm != dump::Compression::None) {
        throw dump::ArchiveError("plain SQL output is not compressed by pgscrub; pipe it through gzip or zstd instead");
    }
    summary.output_format = "plain";
    auto out = dump::FileOutput::create(options.output);
    PlainScrubber scrubber(*out, rules, key, options, summary);
    dump::read_plain(in, scrubber);
    out->commit();
}

} // namespace

ScrubSummary run_scrub(const ScrubOptions& options, const rules::RulesFile& rules) {
    auto start = Clock::now();
    ScrubSummary summary;
    anonymise::KeyedHash key(options.key);
    dump::OpenedInput input = dump::open_input(options.input);
    summary.input_format = dump::format_name(input.format);
    if (input.format == dump::ArchiveFormat::Plain) {
        scrub_plain(options, rules, key, *input.plain, summary);
        summary.seconds = seconds_since(start);
        return summary;
    }

    const dump::ArchiveModel& model = input.archive->model();
    dump::SchemaModel schema = dump::SchemaModel::from_archive(model);
    rules::ScrubPlan plan = rules::bind_rules(rules, schema);
    for (const rules::Diagnostic& warning : plan.warnings) summary.warnings.push_back(warning.format("warning"));
    if (plan.any_transform()) {
        for (const dump::TocEntry& e : model.entries) {
            if (e.desc == "ENCODING" && e.defn) require_utf8(client_encoding(*e.defn), options.input);
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

    auto writer = dump::make_archive_writer(options.output, spec);
    writer->begin(model);
    ArchiveScrubber scrubber(*writer, plan, key, options, spec.recompress_all, summary);
    input.archive->read_data(scrubber);
    writer->finish();
    summary.seconds = seconds_since(start);
    return summary;
}

std::string format_summary(const ScrubSummary& summary) {
    std::uint64_t stored = 0, decoded = 0;
    int copied = 0, rewritten = 0, truncated = 0, transformed = 0;
    for (const TableOutcome& t : summary.tables) {
        stored += t.stored_bytes_in;
        decoded += t.copy_bytes_in;
        if (t.action == "truncated") ++truncated;
        else if (t.action == "transformed") ++transformed;
        else if (t.copied_as_stored) ++copied;
        else ++rewritten;
    }
    char line[512];
    std::snprintf(line, sizeof line,
                  "pgscrub: %s -> %s: %zu tables (%d transformed, %d truncated, %d copied unchanged without decompressing, "
                  "%d re-encoded unchanged), %llu large objects, %.1f MB read in %.2f s\n",
                  summary.input_format.c_str(), summary.output_format.c_str(), summary.tables.size(), transformed,
                  truncated, copied, rewritten, static_cast<unsigned long long>(summary.large_objects),
                  static_cast<double>(stored + decoded) / 1e6, summary.seconds);
    std::string text = line;
    // One screen: the tables whose data changed, with what changed in each.
    constexpr int kMaxLines = 20;
    int shown = 0, hidden = 0;
    for (const TableOutcome& t : summary.tables) {
        if (t.action == "kept") continue;
        if (shown == kMaxLines) {
            ++hidden;
            continue;
        }
        ++shown;
        std::string detail;
        if (t.action == "truncated") {
            detail = "rows dropped";
        } else {
            detail = std::to_string(t.rows.value_or(0)) + " rows;";
            for (const auto& c : t.columns) {
                if (c.transform == "keep") continue;
                detail += " " + c.column + " (" + c.transform + ") " + std::to_string(c.values_changed) + ",";
            }
            if (detail.back() == ',') detail.pop_back();
        }
        if (detail.size() > 110) detail = detail.substr(0, 107) + "...";
        std::snprintf(line, sizeof line, "  %-11s %-36s %s\n", t.action.c_str(), t.name.c_str(), detail.c_str());
        text += line;
    }
    if (hidden) text += "  ... and " + std::to_string(hidden) + " more changed tables (see --report)\n";
    return text;
}

std::string summary_json(const ScrubSummary& summary, const rules::RulesFile& rules) {
    JsonWriter json;
    json.begin_object();
    json.key("pgscrub_version").value(version_string());
    json.key("rules_file").value(rules.path);
    json.key("input_format").value(summary.input_format);
    json.key("output_format").value(summary.output_format);
    json.key("seconds").value(summary.seconds);
    json.key("large_objects").value(summary.large_objects);
    json.key("tables").begin_array();
    for (const TableOutcome& t : summary.tables) {
        json.begin_object();
        json.key("table").value(t.name);
        if (t.dump_id) json.key("dump_id").value(t.dump_id);
        json.key("action").value(t.action);
        json.key("copied_as_stored").value(t.copied_as_stored);
        json.key("rows");
        if (t.rows) json.value(*t.rows);
        else json.null();
        json.key("stored_bytes_in").value(t.stored_bytes_in);
        json.key("copy_bytes_in").value(t.copy_bytes_in);
        json.key("seconds").value(t.seconds);
        if (!t.columns.empty()) {
            json.key("columns").begin_array();
            for (const auto& c : t.columns) {
                json.begin_object().key("column").value(c.column).key("transform").value(c.transform);
                json.key("values_changed").value(c.values_changed).end_object();
            }
            json.end_array();
        }
        json.end_object();
    }
    json.end_array();
    json.end_object();
    return json.text() + "\n";
}

} // namespace pgscrub::pipeline
