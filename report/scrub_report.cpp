#include "report/scrub_report.hpp"

#include "common/json_writer.hpp"
#include "common/url_parts.hpp"
#include "common/utc_time.hpp"
#include "common/version.hpp"

#include <ctime>

namespace pgscrub::report {

namespace {

void write_coverage(common::JsonWriter& json, const scrub::ScrubSummary& summary) {
    std::uint64_t tables_transformed = 0, tables_kept = 0, tables_truncated = 0;
    std::uint64_t columns = 0, transformed = 0, kept = 0, reviewed = 0, unclassified = 0;
    for (const scrub::TableOutcome& t : summary.tables) {
        if (t.action == rules::TableAction::Transform) ++tables_transformed;
        else if (t.action == rules::TableAction::Truncate) ++tables_truncated;
        else ++tables_kept;
        for (const auto& c : t.columns) {
            ++columns;
            if (!c.listed) ++unclassified;
            if (c.action == rules::ColumnDisposition::Action::Kept) {
                ++kept;
                if (c.reviewed) ++reviewed;
            } else if (c.action != rules::ColumnDisposition::Action::Truncated) {
                ++transformed;
            }
        }
    }
    json.key("coverage").begin_object();
    json.key("tables").value(static_cast<std::uint64_t>(summary.tables.size()));
    json.key("tables_transformed").value(tables_transformed).key("tables_kept").value(tables_kept);
    json.key("tables_truncated").value(tables_truncated);
    json.key("columns").value(columns).key("columns_transformed").value(transformed).key("columns_kept").value(kept);
    json.key("columns_reviewed").value(reviewed).key("columns_unclassified").value(unclassified);
    json.end_object();
}

void write_verify(common::JsonWriter& json, const scrub::VerifyResult& v) {
    json.key("verify").begin_object();
    json.key("status").value(v.passed ? "passed" : "failed");
    json.key("originals_remembered").value(v.originals_remembered);
    json.key("memory_bytes").value(v.memory_bytes);
    json.key("fields_checked").value(v.fields_checked);
    json.key("values_checked").value(v.pieces_checked);
    json.key("seconds").value(v.seconds);
    json.key("survivors").begin_array();
    for (const scrub::Survivor& s : v.survivors) {
        json.begin_object().key("found_in").value(s.found_in).key("where").value(s.where);
        json.key("first_row").value(s.first_row).key("count").value(s.count).key("source").value(s.source).end_object();
    }
    json.end_array().end_object();
    json.key("scan").begin_object();
    json.key("values_scanned").value(v.output_scan.values_scanned).key("bytes_scanned").value(v.output_scan.bytes_scanned);
    json.key("findings");
    scrub::write_findings_json(json, v.output_scan);
    json.end_object();
}

} // namespace

std::string html_report_path(const std::string& json_path) {
    const std::string suffix = ".json";
    if (json_path.size() > suffix.size() && json_path.compare(json_path.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return json_path.substr(0, json_path.size() - suffix.size()) + ".html";
    }
    return json_path + ".html";
}

std::string scrub_report_json(const scrub::ScrubSummary& summary, const rules::RulesFile& rules, const ReportContext& context) {
    common::JsonWriter json;
    json.begin_object();
    json.key("report_version").value(1);
    json.key("pgscrub_version").value(version_string());
    json.key("generated_at").value(context.generated_at.empty() ? common::utc_timestamp() : context.generated_at);
    json.key("rules_file").value(rules.path);
    json.key("rules_sha256").value(rules.sha256);
    json.key("input").value(common::describe_url(context.input)); // a signed URL's credentials stay out
    json.key("output").value(context.output);
    json.key("output_written").value(summary.output_written);
    json.key("input_format").value(summary.input_format);
    json.key("output_format").value(summary.output_format);
    json.key("seconds").value(summary.seconds);
    json.key("large_objects").value(summary.large_objects);
    json.key("large_objects_dropped").value(summary.large_objects_dropped);
    const scrub::StatisticsTally& stats = summary.statistics;
    json.key("statistics").begin_object();
    json.key("entries").value(stats.entries);
    json.key("entries_changed").value(stats.entries_changed);
    json.key("entries_dropped").value(stats.entries_dropped);
    json.key("column_statistics").value(stats.attribute_calls);
    json.key("column_statistics_removed").value(stats.attribute_calls_removed);
    json.key("column_statistics_stripped").value(stats.attribute_calls_stripped);
    json.key("value_arguments_removed").value(stats.value_arguments_removed);
    json.key("relations_emptied").value(stats.relations_emptied);
    json.end_object();
    write_coverage(json, summary);
    if (summary.verify) write_verify(json, *summary.verify);
    json.key("tables").begin_array();
    for (const scrub::TableOutcome& t : summary.tables) {
        json.begin_object();
        json.key("table").value(t.name);
        if (t.dump_id) json.key("dump_id").value(t.dump_id);
        json.key("action").value(rules::action_name(t.action));
        json.key("copied_as_stored").value(t.copied_as_stored);
        json.key("rows");
        if (t.rows) json.value(*t.rows);
        else json.null();
        json.key("stored_bytes_in").value(t.stored_bytes_in);
        json.key("copy_bytes_in").value(t.copy_bytes_in);
        json.key("seconds").value(t.seconds);
        json.key("columns").begin_array();
        for (const auto& c : t.columns) {
            json.begin_object().key("column").value(c.column).key("type").value(c.type).key("action").value(rules::action_name(c.action));
            json.key("transform").value(c.transform).key("values_changed").value(c.values_changed);
            json.key("listed").value(c.listed);
            json.key("reviewed");
            if (c.reviewed) json.value(*c.reviewed);
            else json.null();
            json.end_object();
        }
        json.end_array();
        json.end_object();
    }
    json.end_array();
    json.end_object();
    return json.text() + "\n";
}

} // namespace pgscrub::report
