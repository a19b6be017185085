#include "runbook/media_steps.hpp"

#include "common/error.hpp"
#include "media/media_location.hpp"

#include <algorithm>
#include <cstdio>

namespace pgscrub::runbook {

namespace {

media::KeyFilter filter_of(const RunStep::Media& media) {
    media::KeyFilter filter = media.preset.empty() ? media::KeyFilter{} : media::preset_filter(media.preset);
    filter.include.insert(filter.include.end(), media.include.begin(), media.include.end());
    filter.exclude.insert(filter.exclude.end(), media.exclude.begin(), media.exclude.end());
    return filter;
}

std::string filter_text(const RunStep::Media& media) {
    if (!media.preset.empty()) return "preset " + media.preset;
    std::string out;
    for (const std::string& p : media.include) out += (out.empty() ? "" : ", ") + ("under " + p);
    for (const std::string& p : media.exclude) out += (out.empty() ? "" : ", ") + ("not under " + p);
    return out.empty() ? "every key" : out;
}

// The last line of a command's summary: what the step's detail shows.
std::string last_line(const std::string& text) {
    std::string trimmed = text;
    while (!trimmed.empty() && trimmed.back() == '\n') trimmed.pop_back();
    std::size_t newline = trimmed.rfind('\n');
    return newline == std::string::npos ? trimmed : trimmed.substr(newline + 1);
}

// A Markdown table cell.
std::string cell(const std::string& text) {
    std::string out;
    for (char c : common::printable_text(text, 400)) {
        if (c == '|') out += "\\|";
        else out += c;
    }
    return out;
}

std::string bytes_text(std::uint64_t bytes) {
    char text[32];
    std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
    return text;
}

// What verify_media compared, and every difference, for the report.
std::string verify_markdown(const media::MediaVerifyResult& v) {
    std::string md = "| source objects | outside the filter | compared | matching | images compared cleaned | "
                     "uncleanable images rightly absent | only in the target | result |\n";
    md += "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n";
    md += "| " + std::to_string(v.source_objects) + " | " + std::to_string(v.outside_filter) + " | " +
          std::to_string(v.compared) + " | " + std::to_string(v.matching) + " | " + std::to_string(v.images_cleaned) +
          " | " + std::to_string(v.unstrippable_absent) + " | " + std::to_string(v.extras.size()) + " | " +
          (v.ok() ? "in step" : "**DIFFERENCES FOUND**") + " |\n\n";
    for (const media::MediaVerifyResult::ExpectedColumn& e : v.expected) {
        md += "- `" + cell(e.column) + "` names " + std::to_string(e.keys) + " keys; " +
              (e.missing ? "**" + std::to_string(e.missing) + " missing from the target**" : std::string("all present")) + "\n";
    }
    if (!v.expected.empty()) md += "\n";
    for (const media::MediaVerifyProblem& p : v.problems) {
        md += "- " + p.kind + ": `" + cell(p.key) + "`" + (p.detail.empty() ? "" : " — " + cell(p.detail)) + "\n";
    }
    for (const media::MediaVerifyProblem& p : v.extras) {
        md += std::string("- only in the target") + (v.exact ? " (fails: exact)" : "") + ": `" + cell(p.key) + "`\n";
    }
    if (!v.problems.empty() || !v.extras.empty()) md += "\n";
    return md;
}

} // namespace

media::MediaSyncOptions media_sync_options(const RunFile& run, const RunStep& step) {
    media::MediaSyncOptions options;
    options.from = step.media.from;
    options.to = step.media.to;
    options.filter = filter_of(step.media);
    options.delete_extra = step.media.delete_extra;
    options.confirm = step.media.confirm;
    options.jobs = step.media.jobs;
    options.allow_production_like_target = run.allow_production_like_target;
    options.strip_metadata = step.media.strip_metadata;
    options.copy_unstrippable = step.media.copy_unstrippable;
    return options;
}

media::MediaVerifyOptions media_verify_options(const RunFile& run, const RunStep& step) {
    media::MediaVerifyOptions options;
    options.from = step.media.from;
    options.to = step.media.to;
    options.filter = filter_of(step.media);
    options.strip_metadata = step.media.strip_metadata;
    options.copy_unstrippable = step.media.copy_unstrippable;
    options.exact = step.media.exact;
    options.jobs = step.media.jobs;
    if (!step.media.expect.empty()) {
        options.database_url = run.target_database;
        options.expected_columns = step.media.expect;
    }
    return options;
}

void check_media_step(const RunFile& run, const RunStep& step) {
    if (step.kind == RunStep::Kind::SyncMedia) {
        media::check_media_sync_guardrails(media_sync_options(run, step));
    } else {
        // verify_media writes nothing; its locations must still parse.
        (void)media::parse_location(step.media.from);
        (void)media::parse_location(step.media.to);
    }
}

std::string describe_media_step(const RunFile& run, const RunStep& step) {
    const RunStep::Media& m = step.media;
    std::string from = media::parse_location(m.from).shown(), to = media::parse_location(m.to).shown();
    if (step.kind == RunStep::Kind::SyncMedia) {
        std::string what = "pgscrub media sync " + from + " -> " + to + " (" + filter_text(m) + "; " +
                           (m.strip_metadata ? "images cleaned of personal metadata" : "images copied WITH their metadata") +
                           (m.copy_unstrippable ? ", images that cannot be cleaned copied unchanged" : "") + "; -j " +
                           std::to_string(m.jobs) + ")";
        if (m.delete_extra) what += "; delete what " + from + " lacks from " + to + " (confirm: " + m.confirm + ")";
        (void)run;
        return what;
    }
    std::string what = "pgscrub media verify " + from + " -> " + to + " (" + filter_text(m) + "): keys, sizes and content" +
                       (m.strip_metadata ? " (images as cleaning the source gives them)" : "");
    if (!m.expect.empty()) {
        std::string columns;
        for (const std::string& c : m.expect) columns += (columns.empty() ? "" : ", ") + c;
        what += "; every key the target database's " + columns + " names exists in " + to;
    }
    if (m.exact) what += "; keys only " + to + " has fail it";
    return what;
}

std::string run_media_step(const RunFile& run, const RunStep& step, std::vector<MediaStepRecord>& records) {
    MediaStepRecord record{step.name(), media::parse_location(step.media.from).shown(),
                           media::parse_location(step.media.to).shown(), std::nullopt, std::nullopt};
    if (step.kind == RunStep::Kind::SyncMedia) {
        media::MediaSyncOptions options = media_sync_options(run, step);
        media::MediaSyncResult result = media::run_media_sync(options);
        std::string detail = last_line(media::format_media_sync(result, options));
        record.sync = std::move(result);
        records.push_back(std::move(record));
        const media::MediaSyncResult& done = *records.back().sync;
        std::size_t refused = static_cast<std::size_t>(std::count_if(
            done.unstrippable.begin(), done.unstrippable.end(), [](const auto& u) { return !u.copied_anyway; }));
        if (refused) detail += "; " + std::to_string(refused) + " images not copied: they cannot be cleaned (listed in the report)";
        return detail;
    }
    media::MediaVerifyOptions options = media_verify_options(run, step);
    media::MediaVerifyResult result = media::run_media_verify(options);
    std::string text = media::format_media_verify(result, options);
    bool ok = result.ok();
    record.verify = std::move(result);
    records.push_back(std::move(record));
    if (!ok) {
        throw common::Error(common::ErrorKind::Output,
                            "verify_media: " + records.back().to + " is not in step with " + records.back().from + ": " +
                                last_line(text) + " (the report lists every difference)");
    }
    return last_line(text);
}

std::string media_report_markdown(const std::vector<MediaStepRecord>& records) {
    if (records.empty()) return "";
    std::string md = "## Media\n\n";
    for (const MediaStepRecord& r : records) {
        md += "### `" + r.step + "`: `" + cell(r.from) + "` → `" + cell(r.to) + "`\n\n";
        if (r.sync) {
            const media::MediaSyncResult& s = *r.sync;
            md += "| objects listed | outside the filter | copied | already in step | cleaned | refused | deleted | bytes copied |\n";
            md += "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n";
            std::size_t refused = static_cast<std::size_t>(
                std::count_if(s.unstrippable.begin(), s.unstrippable.end(), [](const auto& u) { return !u.copied_anyway; }));
            md += "| " + std::to_string(s.source_objects) + " | " + std::to_string(s.plan.filtered_out) + " | " +
                  std::to_string(s.copied) + " | " + std::to_string(s.plan.unchanged) + " | " + std::to_string(s.cleaned) +
                  " | " + std::to_string(refused) + " | " + std::to_string(s.deleted) + " | " + bytes_text(s.bytes_copied) +
                  " |\n\n";
            if (s.removed_by_kind.empty()) {
                md += s.cleaned ? "The images copied carried no personal metadata.\n\n" : "No image was cleaned in this run.\n\n";
            } else {
                md += "Removed from images (" + bytes_text(s.metadata_bytes_removed) + " of metadata): ";
                std::string kinds;
                for (const auto& [kind, count] : s.removed_by_kind)
                    kinds += (kinds.empty() ? "" : ", ") + kind + " from " + std::to_string(count);
                md += kinds + ".\n\n";
            }
            for (const auto& u : s.unstrippable) {
                md += std::string(u.copied_anyway ? "- copied unchanged, WITH its metadata: `" : "- not copied (cannot be cleaned): `") +
                      cell(u.key) + "` (" + u.reason + ")\n";
            }
            if (!s.unstrippable.empty()) md += "\n";
        }
        if (r.verify) md += verify_markdown(*r.verify);
    }
    return md;
}

} // namespace pgscrub::runbook
