#include "common/version.hpp"
#include "runbook/runbook_run.hpp"

#include <cstdio>

namespace pgscrub::runbook {

namespace {

std::string seconds_text(double s) {
    char text[32];
    if (s < 60) std::snprintf(text, sizeof text, "%.1f s", s);
    else std::snprintf(text, sizeof text, "%d min %02d s", static_cast<int>(s) / 60, static_cast<int>(s) % 60);
    return text;
}

// A Markdown table cell: pipes and newlines would break the table.
std::string cell(std::string text) {
    std::string out;
    for (char c : text) {
        if (c == '|') out += "\\|";
        else if (c == '\n') out += ' ';
        else out += c;
    }
    return out;
}

} // namespace

std::string run_report_markdown(const RunFile& run, const RunRecord& record) {
    std::string md;
    bool ok = record.failed_step.empty();
    md += "# pgscrub run: " + record.target + "\n\n";
    md += ok ? "**Result: completed.**" : "**Result: FAILED at step `" + record.failed_step + "`.**";
    md += "\n\n";
    md += "| | |\n| --- | --- |\n";
    md += "| run file | `" + cell(record.run_file) + "` |\n";
    md += "| started | " + record.started_at + " (UTC) |\n";
    md += "| duration | " + seconds_text(record.seconds) + " |\n";
    md += "| source | `" + cell(record.source) + "` |\n";
    md += "| target | `" + cell(record.target) + "` |\n";
    md += "| rules | `" + cell(run.rules_path) + "` (sha256 `" + record.rules_sha256 + "`) |\n";
    md += "| backup of the target | " + (record.backup_path.empty() ? std::string("none taken") : "`" + cell(record.backup_path) + "`") + " |\n";
    md += "| pgscrub | " + std::string(version_string()) + " |\n\n";

    if (!ok) {
        md += "## What failed\n\n" + record.failure + "\n\n";
        md += "Resume once the cause is fixed with:\n\n    pgscrub run " + record.run_file + " --from " + record.failed_step + "\n\n";
        const RunStep* restore = run.step(RunStep::Kind::Restore);
        bool restored = false;
        for (const StepRecord& s : record.steps)
            if (s.name == "restore" && !s.failed && !s.skipped && s.seconds > 0) restored = true;
        if (!restored && restore && restore->strategy == RunStep::Strategy::Swap) {
            md += "The restore strategy is `swap`: the target database was not replaced and is as it was before the run.\n\n";
        }
    }

    md += "## Steps\n\n| step | took | what it did |\n| --- | ---: | --- |\n";
    for (const StepRecord& s : record.steps) {
        std::string status = s.skipped ? " (skipped: before --from)" : s.failed ? " **(failed)**" : "";
        md += "| " + s.name + status + " | " + (s.skipped ? "—" : seconds_text(s.seconds)) + " | " + cell(s.detail) + " |\n";
    }
    md += "\n";

    if (record.scrub) {
        const scrub::ScrubSummary& scrub = *record.scrub;
        md += "## Tables\n\n| table | action | rows | values changed |\n| --- | --- | ---: | ---: |\n";
        for (const scrub::TableOutcome& t : scrub.tables) {
            std::uint64_t changed = 0;
            for (const auto& c : t.columns) changed += c.values_changed;
            md += "| " + cell(t.name) + " | " + rules::action_name(t.action) + " | " + (t.rows ? std::to_string(*t.rows) : std::string("—")) + " | " +
                  std::to_string(changed) + " |\n";
        }
        md += "\n";
        std::string truncated;
        for (const scrub::TableOutcome& t : scrub.tables)
            if (t.action == rules::TableAction::Truncate) truncated += (truncated.empty() ? "" : ", ") + ("`" + t.name + "`");
        md += "Truncated (the tables exist, their rows were not copied): " + (truncated.empty() ? std::string("none") : truncated) + ".\n\n";
    }

    md += media_report_markdown(record.media);

    md += "## Accounts only the target had\n\n";
    if (record.target_only_accounts.empty()) {
        md += "None found (" + record.accounts_spec + ").\n\n";
    } else {
        md += "These " + std::to_string(record.target_only_accounts.size()) + " accounts (" + record.accounts_spec +
              ") existed on the target but not in the source; recreate them if they are still needed:\n\n";
        for (const std::string& a : record.target_only_accounts) md += "- " + a + "\n";
        md += "\n";
    }

    md += "## Note for stakeholders\n\n";
    if (ok) {
        md += "> The " + record.target + " database was reset on " + record.started_at.substr(0, 10) +
              " from a copy of production with personal data replaced by pgscrub (rules sha256 " +
              record.rules_sha256.substr(0, 12) + "). Accounts and content created only on it since the last reset are gone";
        md += record.target_only_accounts.empty() ? "." : "; " + std::to_string(record.target_only_accounts.size()) + " accounts need recreating.";
        md += " Please log in again; contact the team if anything you need is missing.\n";
    } else {
        md += "> The planned reset of " + record.target + " did not complete (step " + record.failed_step +
              "); it will be retried. No action is needed from you.\n";
    }
    return md;
}

} // namespace pgscrub::runbook
