#pragma once
// Helpers for the schema model tests: TOC entries written by hand, the TOC of
// a real `pg_dump -Fc` by pg_dump 15 (schema_fixtures.cpp), and lookups that
// fail the test when what they look for is missing.

#include "dump/schema_model.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::test {

using namespace pgscrub::dump;

inline TocEntry ddl_entry(int dump_id, const char* desc, const char* schema, const char* tag, const char* defn) {
    TocEntry entry;
    entry.dump_id = dump_id;
    entry.desc = desc;
    if (schema) entry.namespace_ = schema;
    if (tag) entry.tag = tag;
    entry.defn = defn;
    return entry;
}

inline TocEntry data_entry(int dump_id, const char* schema, const char* tag, const char* copy_stmt,
                           const char* defn = "") {
    TocEntry entry;
    entry.dump_id = dump_id;
    entry.had_dumper = true;
    entry.desc = "TABLE DATA";
    entry.namespace_ = schema;
    entry.tag = tag;
    entry.defn = defn;
    if (copy_stmt) entry.copy_stmt = copy_stmt;
    return entry;
}

inline ArchiveModel archive_of(std::vector<TocEntry> entries) {
    ArchiveModel archive;
    archive.entries = std::move(entries);
    return archive;
}

// TOC entries of a `pg_dump -Fc` by pg_dump 15.20, field for field (desc,
// namespace, tag, defn, copyStmt), in TOC order; unrelated entries left out.
ArchiveModel real_pg15_archive();

// The schema model of real_pg15_archive(), built once.
const SchemaModel& real_model();

inline const Table& table(const SchemaModel& model, std::string schema, std::string name) {
    const Table* found = model.find({std::move(schema), std::move(name)});
    REQUIRE(found);
    return *found;
}

inline const Column& column(const Table& t, std::string_view name) {
    const Column* found = t.column(name);
    REQUIRE(found);
    return *found;
}

inline std::vector<std::string> column_names(const Table& t) {
    std::vector<std::string> names;
    for (const Column& c : t.columns) names.push_back(c.name);
    return names;
}

inline const UniqueKey& key(const Table& t, std::string_view name) {
    const auto it = std::find_if(t.unique_keys.begin(), t.unique_keys.end(),
                                 [&](const UniqueKey& k) { return k.name == name; });
    REQUIRE(it != t.unique_keys.end());
    return *it;
}

using Names = std::vector<std::string>;

} // namespace pgscrub::test
