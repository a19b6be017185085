#pragma once
// A live database's tables, read from its catalog into the same schema model
// the dump readers build, so rules bind to a database exactly as to its dump
// (partitions and inheritance children included).

#include "db/database_address.hpp"
#include "dump/schema_model.hpp"

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace pgscrub::db {

// A connection to a live database, for reading: its catalog, then table
// rows, all in one repeatable-read, read-only snapshot (as pg_dump reads),
// so rows that reference each other are seen consistently.
class LiveDatabase {
public:
    // Connects; throws dump::ArchiveError (exit 3) naming the database
    // (password masked) and libpq's reason.
    explicit LiveDatabase(const DatabaseAddress& address);
    ~LiveDatabase();
    LiveDatabase(const LiveDatabase&) = delete;
    LiveDatabase& operator=(const LiveDatabase&) = delete;

    // Ordinary tables, partitions and partitioned parents outside the system
    // schemas, with columns (types as format_type prints them), NOT NULL,
    // generated and identity markers and parents. copy_columns: the columns
    // COPY ... TO STDOUT writes, in order. data_dump_id numbers the tables
    // that hold rows from 1.
    dump::SchemaModel read_catalog();

    // COPY "schema"."table" TO STDOUT, calling `on_row` with each row of COPY
    // text (no newline).
    void copy_rows(const dump::QualifiedName& table, const std::function<void(const std::string&)>& on_row);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    DatabaseAddress address_;
};

} // namespace pgscrub::db
