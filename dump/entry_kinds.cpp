#include "dump/entry_kinds.hpp"

#include <array>

namespace pgscrub::dump {

namespace {

using C = EntryContent;

// From pg_dump.c of 13.16, 15.18 and 18.6 (every ArchiveEntry call) and
// pg_backup_archiver.c; see docs/archive-format.md §3.2 (the kinds that hold
// data) and docs/formats.md (every kind, for users).
constexpr std::array kKinds = {
    EntryKind{"ENCODING", "11-18", C::Session, "SET client_encoding"},
    EntryKind{"STDSTRINGS", "11-18", C::Session, "SET standard_conforming_strings"},
    EntryKind{"SEARCHPATH", "11-18", C::Session, "set_config('search_path', ...)"},
    EntryKind{"DATABASE", "11-18", C::Definition, "CREATE DATABASE"},
    EntryKind{"DATABASE PROPERTIES", "11-18", C::Definition, "ALTER DATABASE ... SET"},
    EntryKind{"SCHEMA", "11-18", C::Definition, "CREATE SCHEMA"},
    EntryKind{"EXTENSION", "11-18", C::Definition, "CREATE EXTENSION"},
    EntryKind{"TYPE", "11-18", C::Definition, "CREATE TYPE (enum labels, composite fields)"},
    EntryKind{"SHELL TYPE", "11-18", C::Definition, "CREATE TYPE name"},
    EntryKind{"DOMAIN", "11-18", C::Definition, "CREATE DOMAIN"},
    EntryKind{"PROCEDURAL LANGUAGE", "11-18", C::Definition, "CREATE LANGUAGE"},
    EntryKind{"CAST", "11-18", C::Definition, "CREATE CAST"},
    EntryKind{"TRANSFORM", "11-18", C::Definition, "CREATE TRANSFORM"},
    EntryKind{"FUNCTION", "11-18", C::Definition, "CREATE FUNCTION (its body may hold literals)"},
    EntryKind{"PROCEDURE", "11-18", C::Definition, "CREATE PROCEDURE"},
    EntryKind{"AGGREGATE", "11-18", C::Definition, "CREATE AGGREGATE"},
    EntryKind{"OPERATOR", "11-18", C::Definition, "CREATE OPERATOR"},
    EntryKind{"OPERATOR CLASS", "11-18", C::Definition, "CREATE OPERATOR CLASS"},
    EntryKind{"OPERATOR FAMILY", "11-18", C::Definition, "CREATE OPERATOR FAMILY"},
    EntryKind{"ACCESS METHOD", "11-18", C::Definition, "CREATE ACCESS METHOD"},
    EntryKind{"COLLATION", "11-18", C::Definition, "CREATE COLLATION"},
    EntryKind{"CONVERSION", "11-18", C::Definition, "CREATE CONVERSION"},
    EntryKind{"TEXT SEARCH PARSER", "11-18", C::Definition, "CREATE TEXT SEARCH PARSER"},
    EntryKind{"TEXT SEARCH TEMPLATE", "11-18", C::Definition, "CREATE TEXT SEARCH TEMPLATE"},
    EntryKind{"TEXT SEARCH DICTIONARY", "11-18", C::Definition, "CREATE TEXT SEARCH DICTIONARY"},
    EntryKind{"TEXT SEARCH CONFIGURATION", "11-18", C::Definition, "CREATE TEXT SEARCH CONFIGURATION"},
    EntryKind{"FOREIGN DATA WRAPPER", "11-18", C::Definition, "CREATE FOREIGN DATA WRAPPER"},
    EntryKind{"SERVER", "11-18", C::Definition, "CREATE SERVER (options may name hosts)"},
    EntryKind{"USER MAPPING", "11-18", C::Definition, "CREATE USER MAPPING (options may hold a password)"},
    EntryKind{"TABLE", "11-18", C::Definition, "CREATE TABLE"},
    EntryKind{"VIEW", "11-18", C::Definition, "CREATE VIEW (its query may hold literals)"},
    EntryKind{"MATERIALIZED VIEW", "11-18", C::Definition, "CREATE MATERIALIZED VIEW ... WITH NO DATA"},
    EntryKind{"FOREIGN TABLE", "11-18", C::Definition, "CREATE FOREIGN TABLE"},
    EntryKind{"SEQUENCE", "11-18", C::Definition, "CREATE SEQUENCE"},
    EntryKind{"SEQUENCE OWNED BY", "11-18", C::Definition, "ALTER SEQUENCE ... OWNED BY"},
    EntryKind{"DEFAULT", "11-18", C::Definition, "ALTER TABLE ... SET DEFAULT (an expression)"},
    EntryKind{"TABLE ATTACH", "14-18", C::Definition, "ALTER TABLE ... ATTACH PARTITION"},
    EntryKind{"CONSTRAINT", "11-18", C::Definition, "ALTER TABLE ... ADD CONSTRAINT"},
    EntryKind{"CHECK CONSTRAINT", "11-18", C::Definition, "ALTER TABLE ... ADD CONSTRAINT ... CHECK"},
    EntryKind{"FK CONSTRAINT", "11-18", C::Definition, "ALTER TABLE ... ADD CONSTRAINT ... FOREIGN KEY"},
    EntryKind{"INDEX", "11-18", C::Definition, "CREATE INDEX"},
    EntryKind{"INDEX ATTACH", "11-18", C::Definition, "ALTER INDEX ... ATTACH PARTITION"},
    EntryKind{"STATISTICS", "11-18", C::Definition, "CREATE STATISTICS (extended statistics objects, no data)"},
    EntryKind{"TRIGGER", "11-18", C::Definition, "CREATE TRIGGER"},
    EntryKind{"EVENT TRIGGER", "11-18", C::Definition, "CREATE EVENT TRIGGER"},
    EntryKind{"RULE", "11-18", C::Definition, "CREATE RULE"},
    EntryKind{"POLICY", "11-18", C::Definition, "CREATE POLICY (an expression)"},
    EntryKind{"ROW SECURITY", "11-18", C::Definition, "ALTER TABLE ... ENABLE ROW LEVEL SECURITY"},
    EntryKind{"PUBLICATION", "11-18", C::Definition, "CREATE PUBLICATION"},
    EntryKind{"PUBLICATION TABLE", "11-18", C::Definition, "ALTER PUBLICATION ... ADD TABLE (a row filter)"},
    EntryKind{"PUBLICATION TABLES IN SCHEMA", "15-18", C::Definition, "ALTER PUBLICATION ... ADD TABLES IN SCHEMA"},
    EntryKind{"SUBSCRIPTION", "11-18", C::Definition, "CREATE SUBSCRIPTION (its connection string may hold a password)"},
    EntryKind{"DEFAULT ACL", "11-18", C::Definition, "ALTER DEFAULT PRIVILEGES"},
    EntryKind{"ACL", "11-18", C::Definition, "GRANT and REVOKE"},
    EntryKind{"COMMENT", "11-18", C::ObjectText, "COMMENT ON: text a person wrote about an object"},
    EntryKind{"SECURITY LABEL", "11-18", C::ObjectText, "SECURITY LABEL: a label's text"},
    EntryKind{"TABLE DATA", "11-18", C::TableRows, "the table's rows (COPY data, or INSERTs with --inserts)"},
    EntryKind{"BLOB", "11-16", C::LargeObjects, "lo_create of one large object"},
    EntryKind{"BLOB METADATA", "17-18", C::LargeObjects, "the OIDs of a group of large objects"},
    EntryKind{"BLOBS", "11-18", C::LargeObjects, "the bytes of large objects: any file a user uploaded"},
    EntryKind{"STATISTICS DATA", "18", C::Statistics,
              "planner statistics: most common values, histogram bounds and elements are column values"},
    EntryKind{"SEQUENCE SET", "11-18", C::SequenceValue, "setval: one number"},
    EntryKind{"MATERIALIZED VIEW DATA", "11-18", C::Refresh, "REFRESH MATERIALIZED VIEW: recomputed from the restored rows"},
};

} // namespace

std::span<const EntryKind> entry_kinds() { return kKinds; }

const EntryKind* find_entry_kind(std::string_view desc) {
    for (const EntryKind& kind : kKinds) {
        if (kind.desc == desc) return &kind;
    }
    return nullptr;
}

bool carries_row_values(EntryContent content) {
    return content == EntryContent::TableRows || content == EntryContent::LargeObjects ||
           content == EntryContent::Statistics;
}

} // namespace pgscrub::dump
