#pragma once
// `scrub` of a custom, directory or tar archive: the output's TOC is the
// input's, with statistics rewritten by the rules and large objects left out
// where the rules drop them, and entries pgscrub does not know refused; each
// table's data goes through the table path (table_scrub.hpp); output in any
// archive format, named only once complete (and verified).

#include "anonymise/keyed_hash.hpp"
#include "dump/archive_io.hpp"
#include "rules/rules_file.hpp"
#include "scrub/leak_verifier.hpp"
#include "scrub/scrub_job.hpp"

#include <chrono>

namespace pgscrub::scrub {

// `started`: when the run began; the report (written before the output is
// named) gives the seconds since.
void scrub_archive(dump::ArchiveReader& reader, const ScrubOptions& options, const rules::RulesFile& rules,
                   const anonymise::KeyedHash& key, LeakVerifier* verifier, ScrubSummary& summary,
                   std::chrono::steady_clock::time_point started);

} // namespace pgscrub::scrub
