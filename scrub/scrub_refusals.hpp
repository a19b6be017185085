#pragma once
// What `scrub` refuses whatever the dump's format, and how it says so: data
// the transforms would damage, statistics it cannot read, large objects the
// rules say nothing about. Each refusal names where and how to go on.

#include "dump/archive_error.hpp"
#include "dump/statistics_sql.hpp"
#include "rules/rules_file.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace pgscrub::scrub {

// Transforms read and write UTF-8: throws ArchiveError for data in another
// encoding ("" and SQL_ASCII pass). `input` names the dump.
void require_utf8(const std::string& encoding, const std::string& input);

// Statistics pgscrub could not read are never passed on: the message says
// where, and how to go on without them, but never quotes the SQL (it holds
// column values).
[[noreturn]] void refuse_statistics(const dump::StatisticsSqlError& error, dump::ErrorLocation where);

// What the rules say about the dump's large objects; a dump that has some
// and rules that do not say stop the run (RulesError) under
// unlisted_tables: fail. `count` is nullopt where it is not known up front
// (a plain script).
rules::LargeObjects large_object_policy(const rules::RulesFile& rules, std::optional<std::uint64_t> count);

} // namespace pgscrub::scrub
