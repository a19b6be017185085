#include "scrub/scrub_refusals.hpp"

#include "common/url_parts.hpp"
#include "rules/rules_error.hpp"

namespace pgscrub::scrub {

void require_utf8(const std::string& encoding, const std::string& input) {
    if (encoding.empty() || encoding == "UTF8" || encoding == "SQL_ASCII") return;
    throw dump::ArchiveError("the dump's data is in encoding " + encoding +
                                 "; pgscrub transforms UTF-8 data only — dump it again with pg_dump -E UTF8",
                             dump::ErrorLocation{common::describe_url(input), {}, {}, {}});
}

[[noreturn]] void refuse_statistics(const dump::StatisticsSqlError& error, dump::ErrorLocation where) {
    throw dump::ArchiveError(std::string(error.what()) + " (at byte " + std::to_string(error.offset()) +
                                 " of its SQL); pgscrub does not pass on statistics it cannot read — rerun with "
                                 "--drop-statistics to leave all statistics out (run ANALYZE after the restore)",
                             std::move(where));
}

rules::LargeObjects large_object_policy(const rules::RulesFile& rules, std::optional<std::uint64_t> count) {
    if (rules.large_objects != rules::LargeObjects::Unset) return rules.large_objects;
    switch (rules.unlisted_tables) {
    case rules::UnlistedTables::Keep: return rules::LargeObjects::Keep;
    case rules::UnlistedTables::Truncate: return rules::LargeObjects::Drop;
    case rules::UnlistedTables::Fail: break;
    }
    if (count == 0) return rules::LargeObjects::Keep;
    std::string how_many = count ? std::to_string(*count) + " large object" + (*count == 1 ? "" : "s") : "large objects";
    throw rules::RulesError({rules::Diagnostic{
        rules.large_objects_where,
        "the dump holds " + how_many +
            " (uploaded files of any kind) and the rules do not say what happens to them — add large_objects: drop, "
            "or large_objects: keep once a reviewer has checked them (pgscrub scan lists what they hold)"}});
}

} // namespace pgscrub::scrub
