// The run-file loader (`pgscrub run`). Any text either loads into a run with
// a source and a target, or fails with positioned diagnostics.

#include "fuzz/rules_diagnostics.hpp"
#include "runbook/runbook_file.hpp"

using namespace pgscrub;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string file = "fuzz-run.yaml";
    runbook::RunFile run;
    try {
        run = runbook::parse_run_file(fuzz::as_text(data, size), file, "20261207T000000Z");
    } catch (const rules::RulesError& e) {
        fuzz::check_diagnostics(e, file);
        return 0;
    }
    PGSCRUB_FUZZ_EXPECT(run.source_dump.empty() != run.source_database.empty());
    for (const auto& step : run.steps) PGSCRUB_FUZZ_EXPECT(!step.name().empty());
    return 0;
}
