#pragma once
// `pgscrub inspect`: what an archive holds — header, TOC, and per table its
// columns, types, stored and decoded sizes and row counts.

#include <string>

namespace pgscrub::scrub {

struct InspectOptions {
    std::string input = "-";
    bool json = false;
};

// Streams the whole archive once (to count rows) and returns the report text.
std::string run_inspect(const InspectOptions& options);

} // namespace pgscrub::scrub
