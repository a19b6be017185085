#pragma once
// Every kind of TOC entry pg_dump 11-18 writes, and whether it can carry the
// values of table rows.
//
// A proof that no personal value survives must see every channel a value can
// travel by. So pgscrub knows each entry kind by name: those that carry rows
// (table data, large objects, statistics) are rewritten or governed by a
// rule, those that carry none pass through, and a kind it does not know stops
// the run instead of passing through (scrub --allow-entry overrides, per
// kind). docs/formats.md lists this table; a unit test keeps the two equal.

#include <span>
#include <string_view>

namespace pgscrub::dump {

enum class EntryContent {
    Session,       // ENCODING, STDSTRINGS, SEARCHPATH: settings for the restore session
    Definition,    // DDL: names, types, expressions written by developers, no rows
    ObjectText,    // COMMENT, SECURITY LABEL: text people wrote about objects
    TableRows,     // TABLE DATA: rewritten by the rules
    LargeObjects,  // BLOB, BLOBS, BLOB METADATA: governed by large_objects
    Statistics,    // STATISTICS DATA: rewritten by the rules
    SequenceValue, // SEQUENCE SET: one number
    Refresh,       // MATERIALIZED VIEW DATA: REFRESH, recomputed from the restored rows
};

struct EntryKind {
    std::string_view desc;     // as pg_dump writes it
    std::string_view versions; // pg_dump versions that write it
    EntryContent content;
    std::string_view carries;  // what its SQL or data holds, in a few words
};

// Known kinds in the order docs/formats.md lists them.
std::span<const EntryKind> entry_kinds();
// nullptr for a kind pgscrub does not know.
const EntryKind* find_entry_kind(std::string_view desc);
// True when entries of this content hold values of table rows.
bool carries_row_values(EntryContent content);

} // namespace pgscrub::dump
