#pragma once
// The report of a scrub run for the compliance reviewer (`scrub --report`):
// JSON (report_version 1, documented in docs/report.md) and, rendered from
// it, one self-contained HTML page. Neither holds a personal value: scan
// examples are masked, verify survivors are named by column only.

#include "rules/rules_file.hpp"
#include "scrub/scrub_job.hpp"

#include <string>

namespace pgscrub::report {

struct ReportContext {
    std::string input;
    std::string output;
    std::string generated_at; // ISO 8601 UTC; now when empty
};

std::string scrub_report_json(const scrub::ScrubSummary& summary, const rules::RulesFile& rules, const ReportContext& context);

// Where the HTML goes beside FILE.json: FILE.html (or FILE.html appended).
std::string html_report_path(const std::string& json_path);

} // namespace pgscrub::report
