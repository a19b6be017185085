#pragma once
// Reading a schema out of pg_dump's DDL: the CREATE TABLE, ALTER TABLE
// (constraints, defaults, identity, ATTACH PARTITION, INHERIT) and CREATE
// INDEX statements of an archive's TOC entries, and its TABLE DATA entries'
// COPY column lists. What it cannot parse it skips, naming the TOC entry.
// SchemaModel (schema_model.hpp) is what callers use; this is how it is read.
// The reader itself, its passes and where each statement is read: ddl_builder.hpp.

#include "dump/archive_model.hpp"
#include "dump/schema_model.hpp"

#include <string>
#include <vector>

namespace pgscrub::dump {

struct SchemaDdl {
    std::vector<Table> tables;        // in the order their CREATE TABLE came
    std::vector<std::string> skipped; // one line per statement that could not be read
};

SchemaDdl read_schema_ddl(const ArchiveModel& archive);

} // namespace pgscrub::dump
