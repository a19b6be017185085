#pragma once
// The contract of every YAML file pgscrub reads (rules, run files): a bad
// file is a RulesError whose every diagnostic names the file, a line and a
// column, and says something.

#include "fuzz/fuzz_support.hpp"
#include "rules/rules_error.hpp"

namespace pgscrub::fuzz {

inline void check_diagnostics(const rules::RulesError& error, const std::string& file) {
    PGSCRUB_FUZZ_EXPECT(!error.diagnostics().empty());
    for (const auto& diagnostic : error.diagnostics()) {
        if (diagnostic.where.line < 1 || diagnostic.where.column < 1 || diagnostic.message.find('\n') != std::string::npos)
            std::fprintf(stderr, "bad diagnostic: %s\n", diagnostic.format().c_str());
        PGSCRUB_FUZZ_EXPECT(diagnostic.where.file == file);
        PGSCRUB_FUZZ_EXPECT(diagnostic.where.line >= 1);
        PGSCRUB_FUZZ_EXPECT(diagnostic.where.column >= 1);
        PGSCRUB_FUZZ_EXPECT(!diagnostic.message.empty());
        PGSCRUB_FUZZ_EXPECT(diagnostic.message.find('\n') == std::string::npos);
    }
}

} // namespace pgscrub::fuzz
