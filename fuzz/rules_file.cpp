// The rules loader (YAML, then rules file v1). Any text either loads, with
// every table findable through the index, or fails with positioned
// diagnostics (see rules_diagnostics.hpp).

#include "fuzz/rules_diagnostics.hpp"
#include "rules/rules_file.hpp"

using namespace pgscrub;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string file = "fuzz-rules.yaml";
    rules::RulesFile loaded;
    try {
        loaded = rules::parse_rules(fuzz::as_text(data, size), file);
    } catch (const rules::RulesError& e) {
        fuzz::check_diagnostics(e, file);
        return 0;
    }
    for (const auto& table : loaded.tables)
        PGSCRUB_FUZZ_EXPECT(loaded.rule_for(table.table.schema, table.table.name) == &table);
    return 0;
}
