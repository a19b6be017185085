#pragma once
// Nothing gets its final name unless everything the run writes is complete
// (and, with --verify, read back clean): the scrub's output, its report and
// the report's page are written under temporary names and named together.

#include "scrub/leak_verifier.hpp"
#include "scrub/scrub_job.hpp"

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pgscrub::scrub {

// The report and its page (ScrubOptions::companion_paths), opened under
// temporary names when constructed, so that a missing or denied directory
// fails before anything is written.
class Companions {
public:
    explicit Companions(const ScrubOptions& options);
    // Writes and completes every companion (still under temporary names).
    void complete(const ScrubSummary& summary);
    void commit();

private:
    const ScrubOptions& options_;
    std::vector<std::unique_ptr<common::FileOutput>> files_;
};

// Once the output is complete under its temporary name `pending` ("" for a
// pipe or device): reads it back with `verifier` (--verify; nullptr: no
// check) and records the verdict, writes the companions, then gives the
// output its name (`commit_output`) only if it passed, and the companions
// theirs. A report that cannot be written stops the output too.
// `started`: when the run began, for the report's seconds.
void name_outputs(const std::string& pending, const std::function<void()>& commit_output, Companions& companions,
                  LeakVerifier* verifier, const ScrubOptions& options, const rules::RulesFile& rules,
                  ScrubSummary& summary, std::chrono::steady_clock::time_point started);

} // namespace pgscrub::scrub
