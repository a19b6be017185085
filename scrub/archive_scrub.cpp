#include "scrub/archive_scrub.hpp"

#include "common/url_parts.hpp"
#include "dump/copy_text.hpp"
#include "dump/entry_kinds.hpp"
#include "dump/format_detect.hpp"
#include "dump/plain_schema.hpp"
#include "dump/table_stream.hpp"
#include "rules/scrub_plan.hpp"
#include "scrub/output_commit.hpp"
#include "scrub/parallel_tables.hpp"
#include "scrub/scrub_refusals.hpp"
#include "scrub/table_scrub.hpp"

#include <algorithm>
#include <chrono>
#include <memory>
#include <vector>

namespace pgscrub::scrub {

namespace {

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
        : writer_(writer), plan_(plan), schema_(schema), recompress_all_(recompress_all),
          drop_large_objects_(drop_large_objects), summary_(summary),
          tables_(rules, key, options, verifier, summary, plan.by_dump_id.size()), threads_(options.jobs),
          concurrent_(options.jobs > 1 && !verifier && writer.writes_tables_concurrently()), parallel_(options.jobs) {}

    void table_data(const dump::TocEntry& entry, dump::Payload& payload) override {
        const rules::TablePlan* plan = entry.is_table_data() ? plan_.plan_for(entry.dump_id) : nullptr;
        if (concurrent_) {
            if (std::shared_ptr<dump::Payload> later = payload.reopen()) {
                // Scrubbed in finish_tables(), several at once; its outcome
                // is recorded in the archive's order all the same.
                std::size_t slot = deferred_.size();
                deferred_.emplace_back();
                parallel_.add(later->stored_size().value_or(0), [this, &entry, plan, later, slot](int row_workers) {
                    TableEntryOutput out(*this, entry, row_workers);
                    deferred_[slot] = tables_.scrub_concurrently(dump::archive_table_data(entry, schema_), schema_,
                                                                 plan, *later, out, row_workers);
                });
                return;
            }
        }
        TableEntryOutput out(*this, entry, threads_);
        tables_.scrub(dump::archive_table_data(entry, schema_), schema_, plan, payload, out);
    }

    // Scrubs the tables table_data() put off, and records every outcome.
    void finish_tables() {
        parallel_.run();
        for (TableOutcome& outcome : deferred_) tables_.record(std::move(outcome));
        deferred_.clear();
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

    // One TABLE DATA entry of the output archive, compressed on `threads` threads.
    class TableEntryOutput final : public TableDataOutput {
    public:
        TableEntryOutput(ArchiveScrubber& scrubber, const dump::TocEntry& entry, int threads)
            : scrubber_(scrubber), entry_(entry), threads_(threads) {}
        bool stores(const dump::Payload& payload) const override { return scrubber_.can_copy_stored(payload); }
        void copy_stored(dump::Payload& payload) override { scrubber_.writer_.table_data_stored(entry_, payload); }
        common::ByteSink& begin() override {
            sink_ = scrubber_.writer_.open_table_data(entry_, threads_);
            return *sink_;
        }
        void end() override {
            sink_->finish();
            sink_.reset();
        }
        std::string_view end_of_copy_data() const override { return dump::copy_text::kPgDumpTrailer; }

    private:
        ArchiveScrubber& scrubber_;
        const dump::TocEntry& entry_;
        int threads_;
        std::unique_ptr<dump::TableDataSink> sink_;
    };

    dump::ArchiveWriter& writer_;
    const rules::ScrubPlan& plan_;
    const dump::SchemaModel& schema_;
    bool recompress_all_;
    bool drop_large_objects_;
    ScrubSummary& summary_;
    TableScrubber tables_;
    int threads_;
    // Tables are scrubbed several at once where the output writes each to a
    // file of its own and the input's can be read later (directory to
    // directory), except with --verify, whose index fills in table order.
    bool concurrent_;
    ParallelTables parallel_;
    std::vector<TableOutcome> deferred_; // the put-off tables' outcomes, in archive order
};

} // namespace

void scrub_archive(dump::ArchiveReader& reader, const ScrubOptions& options, const rules::RulesFile& rules,
                   const anonymise::KeyedHash& key, LeakVerifier* verifier, ScrubSummary& summary,
                   std::chrono::steady_clock::time_point started) {
    const dump::ArchiveModel& model = reader.model();
    dump::SchemaModel schema = dump::SchemaModel::from_archive(model);
    rules::ScrubPlan plan = rules::bind_rules(rules, schema);
    for (const rules::Diagnostic& warning : plan.warnings) summary.warnings.push_back(warning.format("warning"));
    if (plan.any_transform()) {
        for (const dump::TocEntry& e : model.entries) {
            if (e.desc == "ENCODING" && e.defn) require_utf8(dump::client_encoding(*e.defn), options.input);
        }
    }

    dump::OutputSpec spec;
    spec.format = options.format.value_or(reader.format());
    if (spec.format == dump::ArchiveFormat::Plain) {
        throw dump::ArchiveError("writing plain SQL from an archive is pg_restore's job: scrub to an archive, then run "
                                 "pg_restore -f out.sql on it");
    }
    if (options.compression) {
        spec.compression = *options.compression;
        spec.recompress_all = options.compression->level.has_value();
    } else if (spec.format == dump::ArchiveFormat::Tar) {
        spec.compression.algorithm = dump::Compression::None;
    } else if (reader.format() == dump::ArchiveFormat::Tar) {
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
                             verifier, summary);
    reader.read_data(scrubber);
    scrubber.finish_tables();
    writer->complete();
    name_outputs(writer->pending_path(), [&] { writer->commit(); }, companions, verifier, options, rules, summary, started);
}

} // namespace pgscrub::scrub
