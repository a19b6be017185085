#pragma once
// Nothing gets its final name unless everything the run writes is complete
// (and, with --verify, read back clean): the scrub's output, its report and
// the report's page are written under temporary names and named together.

#include "scrub/leak_verifier.hpp"
#include "scrub/scrub_job.hpp"

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

// Reads the completed output back at `pending` and records the verdict in
// `summary`; true when the output may be given its final name.
bool verify_output(LeakVerifier* verifier, const std::string& pending, const ScrubOptions& options,
                   const rules::RulesFile& rules, ScrubSummary& summary);

} // namespace pgscrub::scrub
