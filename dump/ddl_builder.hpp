#pragma once
// The DDL reader's state and its parts (read_schema_ddl in ddl_parser.hpp is
// the manual of what it reads); internal to dump/.
//
// One SchemaBuilder reads one archive, in passes that follow from what each
// statement refers to: CREATE TABLE first (every table known), then the
// ALTER TABLE actions that link tables (ATTACH PARTITION, INHERIT), so that
// inherited columns can be merged; then what refers to columns (defaults,
// NOT NULL, constraints, unique indexes); then the TABLE DATA entries' COPY
// column lists; last the resolutions across tables (typed tables' columns,
// foreign keys to a primary key). Its member functions live by job:
//   ddl_parser.cpp          the passes, the table index, TABLE DATA, cross-table resolution
//   ddl_create_table.cpp    CREATE TABLE: columns and table constraints
//   ddl_alter_and_index.cpp ALTER TABLE actions and CREATE UNIQUE INDEX
// A statement that cannot be read is skipped and noted in `skipped`, never
// an error: pg_dump's DDL is richer than what pgscrub needs of it.

#include "dump/archive_model.hpp"
#include "dump/ddl_cursor.hpp"
#include "dump/schema_model.hpp"

#include <cstddef>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace pgscrub::dump::ddl {

// One statement of a TOC entry's DDL, tokenized.
struct Statement {
    const TocEntry* entry = nullptr;
    std::string_view text;
    std::vector<SqlToken> tokens;

    Cursor cursor() const { return Cursor(text, tokens, 0, tokens.size()); }
};

// Unqualified names in pg_dump DDL are relative to the entry's schema.
std::string default_schema_of(const TocEntry& entry);

class SchemaBuilder {
public:
    explicit SchemaBuilder(const ArchiveModel& archive) : archive_(archive) {}

    void build();

    std::vector<Table> tables;
    std::vector<std::string> skipped;

private:
    enum class Phase { Links, Details };
    enum class ConstraintResult { Read, Ignored, Malformed };

    // Statements and the table index (ddl_parser.cpp).
    std::vector<Statement> split_schema_entries() const;
    static bool starts_create_of(const Statement& s, std::string_view object);
    static bool starts_alter_table(const Statement& s);
    void note_skipped(const Statement& s, std::string_view why);
    Table* find(const QualifiedName& name);
    std::size_t add(Table table);
    static void add_parent(Table& table, const QualifiedName& parent);
    static Column* find_column(Table& table, std::string_view name);

    // CREATE TABLE (ddl_create_table.cpp).
    void read_create_table(const Statement& s);
    void read_table_elements(const Statement& s, Table& table, const Cursor& list);
    ConstraintResult read_table_constraint(Table& table, std::string name, Cursor& c);
    bool read_column(Table& table, Cursor& c);
    static void read_generated_clause(Column& column, Cursor& c);
    static void skip_default_expression(Cursor& c);

    // ALTER TABLE and CREATE UNIQUE INDEX (ddl_alter_and_index.cpp).
    void read_alter_table(const Statement& s, Phase phase);
    void read_link_action(const Statement& s, const QualifiedName& table_name, Cursor& action);
    void read_detail_action(const Statement& s, const QualifiedName& table_name, Cursor& action);
    void read_create_index(const Statement& s);

    // TABLE DATA and what is resolved across tables (ddl_parser.cpp).
    void read_table_data(const TocEntry& entry);
    void inherit_columns();
    void inherit_columns_of(std::size_t index, std::vector<int>& state);
    void take_typed_table_columns_from_data();
    void resolve_foreign_key_targets();

    const ArchiveModel& archive_;
    std::unordered_map<QualifiedName, std::size_t, QualifiedNameHash> index_;
    std::unordered_set<std::size_t> columns_from_parents_;
    std::unordered_set<std::size_t> typed_;
};

} // namespace pgscrub::dump::ddl
