#pragma once
// The tables of a dump, their columns, keys and inheritance, read from the
// DDL in the archive's TOC (TABLE, TABLE ATTACH, DEFAULT, SEQUENCE,
// CONSTRAINT, FK CONSTRAINT, INDEX entries) and tied to their TABLE DATA.
//
// Names are exact (as stored in the catalog, unquoted); the rest is
// best-effort: DDL this parser does not understand is skipped and noted,
// never fatal, so an unusual dump still gets a model of what could be read.

#include "dump/archive_model.hpp"

#include <compare>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace pgscrub::dump {

struct QualifiedName {
    std::string schema; // empty only when nothing said which schema
    std::string name;

    // As SQL must spell it: public."Weird Name", "CRM"."Newsletter Signup".
    std::string display() const;

    friend bool operator==(const QualifiedName&, const QualifiedName&) = default;
    friend std::strong_ordering operator<=>(const QualifiedName&, const QualifiedName&) = default;
};

struct QualifiedNameHash {
    std::size_t operator()(const QualifiedName& name) const noexcept;
};

struct Column {
    std::string name;
    std::string type; // as written in the DDL, e.g. "character varying(150)"; empty when the DDL did not say
    bool not_null = false;
    std::optional<std::string> default_expr;   // e.g. "nextval('public.t_id_seq'::regclass)"
    std::optional<std::string> generated_expr; // GENERATED ALWAYS AS (expr) STORED: computed, never in COPY data
    bool identity = false;
    bool identity_always = false; // GENERATED ALWAYS AS IDENTITY (not BY DEFAULT)
    std::optional<std::string> collation; // as written, e.g. pg_catalog."C"
    bool inherited = false; // comes from a parent's definition, not declared by this table
};

// A set of columns whose values must stay unique: PRIMARY KEY, UNIQUE, or a
// unique index.
struct UniqueKey {
    std::string name; // constraint or index name; empty for an unnamed inline constraint
    std::vector<std::string> columns;     // plain key columns (INCLUDE columns are not part of the key)
    std::vector<std::string> expressions; // key expressions of an expression index, as written
    bool primary_key = false;
    bool from_index = false;            // CREATE UNIQUE INDEX rather than a constraint
    bool partial_or_expression = false; // unique only under a WHERE predicate, or over expressions
    bool nulls_not_distinct = false;    // NULLS NOT DISTINCT: NULLs collide too
    std::optional<std::string> predicate; // a partial index's WHERE condition, as written
};

struct ForeignKey {
    std::string name;
    std::vector<std::string> columns;
    QualifiedName referenced_table;
    std::vector<std::string> referenced_columns; // the referenced primary key when the DDL names none
};

struct Table {
    QualifiedName name;
    std::vector<Column> columns; // in attribute order; inherited columns included
    std::vector<UniqueKey> unique_keys;
    std::vector<ForeignKey> foreign_keys; // declared on this table (a partition also obeys its parents')
    std::vector<QualifiedName> parents;   // INHERITS list, or the partition parent
    bool partitioned = false;             // PARTITION BY: holds no rows itself
    bool foreign = false;                 // CREATE FOREIGN TABLE
    std::optional<int> definition_dump_id; // the TABLE entry; nullopt when known only from data (data-only dump)
    std::optional<int> data_dump_id;       // the TABLE DATA entry
    // Columns of the TABLE DATA copyStmt, the fields of every data row, in
    // order (generated columns are never there). Empty for --inserts dumps.
    std::vector<std::string> copy_columns;
    // Set when the copyStmt names another table (--load-via-partition-root).
    std::optional<QualifiedName> load_via;

    const Column* column(std::string_view column_name) const;
};

class SchemaModel {
public:
    static SchemaModel from_archive(const ArchiveModel& archive);
    // Tables described some other way (a live database's catalog).
    static SchemaModel from_tables(std::vector<Table> tables);

    const std::vector<Table>& tables() const { return tables_; }
    const Table* find(const QualifiedName& name) const;
    // The table whose TABLE DATA entry has this dump id.
    const Table* table_for_data(int dump_id) const;

    // Tables whose parents include `name` (partitions and inheritance children).
    std::vector<const Table*> children_of(const QualifiedName& name) const;
    // Children, their children and so on, parents before children.
    std::vector<const Table*> descendants_of(const QualifiedName& name) const;
    // Follows the first parent up to a table without parents; `name` itself
    // when it has none.
    QualifiedName root_of(const QualifiedName& name) const;

    // DDL that was skipped because it could not be parsed, one line each,
    // naming the TOC entry.
    const std::vector<std::string>& skipped_ddl() const { return skipped_ddl_; }

private:
    std::vector<Table> tables_;
    std::unordered_map<QualifiedName, std::size_t, QualifiedNameHash> by_name_;
    std::unordered_map<int, std::size_t> by_data_dump_id_;
    std::unordered_map<QualifiedName, std::vector<std::size_t>, QualifiedNameHash> children_;
    std::vector<std::string> skipped_ddl_;
};

} // namespace pgscrub::dump

template <>
struct std::hash<pgscrub::dump::QualifiedName> {
    std::size_t operator()(const pgscrub::dump::QualifiedName& name) const noexcept {
        return pgscrub::dump::QualifiedNameHash{}(name);
    }
};
