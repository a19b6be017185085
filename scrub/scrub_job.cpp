#include "scrub/scrub_job.hpp"

#include "dump/format_detect.hpp"
#include "scrub/archive_scrub.hpp"
#include "scrub/plain_scrub.hpp"

#include <chrono>
#include <cstdio>

namespace pgscrub::scrub {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
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
        scrub_plain(*input.plain, options, rules, key, verifier.get(), summary, start);
        summary.seconds = seconds_since(start);
        return summary;
    }

    scrub_archive(*input.archive, options, rules, key, verifier.get(), summary, start);
    summary.seconds = seconds_since(start);
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
