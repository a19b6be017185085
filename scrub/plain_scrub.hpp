#pragma once
// `scrub` of a plain SQL script (pg_dump -Fp) into a script: every byte
// outside COPY data is passed on as it is, except the statements that may
// carry values (SELECT, INSERT, whatever names a large object), which are
// held until whole and then rewritten (statistics), passed, dropped or
// refused; each COPY block goes through the table path (table_scrub.hpp)
// under the schema learnt from the statements before it.

#include "anonymise/keyed_hash.hpp"
#include "common/byte_stream.hpp"
#include "rules/rules_file.hpp"
#include "scrub/leak_verifier.hpp"
#include "scrub/scrub_job.hpp"

#include <chrono>

namespace pgscrub::scrub {

// `started`: when the run began; the report (written before the output is
// named) gives the seconds since.
void scrub_plain(common::InputStream& in, const ScrubOptions& options, const rules::RulesFile& rules,
                 const anonymise::KeyedHash& key, LeakVerifier* verifier, ScrubSummary& summary,
                   std::chrono::steady_clock::time_point started);

} // namespace pgscrub::scrub
