#include "scrub/output_commit.hpp"

#include "dump/archive_error.hpp"

namespace pgscrub::scrub {

Companions::Companions(const ScrubOptions& options) : options_(options) {
    for (const std::string& path : options.companion_paths) files_.push_back(common::FileOutput::create(path));
}

void Companions::complete(const ScrubSummary& summary) {
    if (files_.empty()) return;
    std::vector<std::string> contents = options_.companion_contents(summary);
    for (std::size_t i = 0; i < files_.size() && i < contents.size(); ++i) {
        files_[i]->write(contents[i]);
        files_[i]->complete();
    }
}

void Companions::commit() {
    for (auto& file : files_) file->commit();
}

namespace {

// Reads the completed output back at `pending` and records the verdict in
// `summary`; true when the output may be given its final name.
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

} // namespace

void name_outputs(const std::string& pending, const std::function<void()>& commit_output, Companions& companions,
                  LeakVerifier* verifier, const ScrubOptions& options, const rules::RulesFile& rules,
                  ScrubSummary& summary, std::chrono::steady_clock::time_point started) {
    bool passed = verify_output(verifier, pending, options, rules, summary);
    summary.output_written = passed;
    summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    companions.complete(summary);
    if (passed) commit_output();
    companions.commit();
}

} // namespace pgscrub::scrub
