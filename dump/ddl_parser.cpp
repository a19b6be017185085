#include "dump/ddl_parser.hpp"

#include "dump/ddl_builder.hpp"
#include "dump/sql_lexer.hpp"

#include <algorithm>
#include <optional>
#include <utility>

namespace pgscrub::dump {

namespace ddl {

namespace {

bool is_schema_entry(const TocEntry& entry) {
    if (!entry.desc) return false;
    const std::string& desc = *entry.desc;
    return desc == "TABLE" || desc == "FOREIGN TABLE" || desc == "TABLE ATTACH" || desc == "DEFAULT" ||
           desc == "SEQUENCE" || desc == "CONSTRAINT" || desc == "FK CONSTRAINT" || desc == "INDEX";
}

bool is_table_entry(const TocEntry& entry) {
    return entry.desc && (*entry.desc == "TABLE" || *entry.desc == "FOREIGN TABLE");
}

std::string abbreviated(std::string_view text) {
    std::string flat;
    for (char c : text) {
        if (flat.size() >= 100) {
            flat += "…";
            break;
        }
        const bool space = c == '\n' || c == '\t' || c == '\r' || c == ' ';
        if (space && (flat.empty() || flat.back() == ' ')) continue;
        flat += space ? ' ' : c;
    }
    while (!flat.empty() && flat.back() == ' ') flat.pop_back();
    return flat;
}

} // namespace

// Unqualified names in pg_dump DDL are relative to the entry's schema.
std::string default_schema_of(const TocEntry& entry) {
    return entry.namespace_ && !entry.namespace_->empty() ? *entry.namespace_ : std::string("public");
}

void SchemaBuilder::build() {
    std::vector<Statement> statements = split_schema_entries();

    // Tables first, then the links between them (so inherited columns are
    // known), then everything that refers to columns.
    for (const Statement& s : statements)
        if (is_table_entry(*s.entry) && starts_create_of(s, "table")) read_create_table(s);
    for (const Statement& s : statements)
        if (starts_alter_table(s)) read_alter_table(s, Phase::Links);
    inherit_columns();
    for (const Statement& s : statements) {
        if (starts_alter_table(s)) {
            read_alter_table(s, Phase::Details);
        } else if (starts_create_of(s, "index")) {
            read_create_index(s);
        }
    }
    for (const TocEntry& entry : archive_.entries)
        if (entry.desc && *entry.desc == "TABLE DATA") read_table_data(entry);
    take_typed_table_columns_from_data();
    resolve_foreign_key_targets();
}

std::vector<Statement> SchemaBuilder::split_schema_entries() const {
    std::vector<Statement> statements;
    for (const TocEntry& entry : archive_.entries) {
        if (!is_schema_entry(entry) || !entry.defn) continue;
        for (std::string_view text : split_sql_statements(*entry.defn)) {
            Statement s{&entry, text, tokenize_sql(text)};
            if (!s.tokens.empty()) statements.push_back(std::move(s));
        }
    }
    return statements;
}

// CREATE [modifiers] <object> …, e.g. CREATE UNLOGGED TABLE, CREATE UNIQUE INDEX.
bool SchemaBuilder::starts_create_of(const Statement& s, std::string_view object) {
    Cursor c = s.cursor();
    if (!c.accept_keyword("create")) return false;
    while (c.accept_keyword("global") || c.accept_keyword("local") || c.accept_keyword("temp") ||
           c.accept_keyword("temporary") || c.accept_keyword("unlogged") || c.accept_keyword("foreign") ||
           c.accept_keyword("unique")) {
    }
    return c.peek_keyword(object);
}

bool SchemaBuilder::starts_alter_table(const Statement& s) {
    Cursor c = s.cursor();
    if (!c.accept_keyword("alter")) return false;
    c.accept_keyword("foreign");
    return c.peek_keyword("table");
}

void SchemaBuilder::note_skipped(const Statement& s, std::string_view why) {
    skipped.push_back("TOC entry " + std::to_string(s.entry->dump_id) + " (" + s.entry->describe() +
                      "): " + std::string(why) + ": " + abbreviated(s.text));
}

Table* SchemaBuilder::find(const QualifiedName& name) {
    const auto it = index_.find(name);
    return it == index_.end() ? nullptr : &tables[it->second];
}

std::size_t SchemaBuilder::add(Table table) {
    const auto it = index_.find(table.name);
    if (it != index_.end()) {
        tables[it->second] = std::move(table);
        return it->second;
    }
    index_.emplace(table.name, tables.size());
    tables.push_back(std::move(table));
    return tables.size() - 1;
}

void SchemaBuilder::add_parent(Table& table, const QualifiedName& parent) {
    if (std::find(table.parents.begin(), table.parents.end(), parent) == table.parents.end())
        table.parents.push_back(parent);
}

Column* SchemaBuilder::find_column(Table& table, std::string_view name) {
    for (Column& c : table.columns)
        if (c.name == name) return &c;
    return nullptr;
}

// ---- TABLE DATA ----------------------------------------------------------

void SchemaBuilder::read_table_data(const TocEntry& entry) {
    if (!entry.tag) return;
    const QualifiedName name{entry.namespace_.value_or(""), *entry.tag};
    Table* table = find(name);
    if (!table) { // a data-only dump: the table is known from its data alone
        Table stub;
        stub.name = name;
        table = &tables[add(std::move(stub))];
    }
    table->data_dump_id = entry.dump_id;
    if (!entry.copy_stmt) return; // --inserts: the data is SQL
    const std::optional<CopyStatement> copy = parse_copy_statement(*entry.copy_stmt);
    if (!copy) {
        skipped.push_back("TOC entry " + std::to_string(entry.dump_id) + " (" + entry.describe() +
                          "): unreadable copyStmt: " + abbreviated(*entry.copy_stmt));
        return;
    }
    table->copy_columns = copy->columns;
    const QualifiedName copy_target{copy->schema.empty() ? name.schema : copy->schema, copy->table};
    if (copy_target != name) table->load_via = copy_target;
    if (!table->definition_dump_id && table->columns.empty()) {
        for (const std::string& column_name : copy->columns) {
            Column column;
            column.name = column_name;
            table->columns.push_back(std::move(column));
        }
    }
}

// ---- Cross-table resolution ----------------------------------------------

// Tables defined with INHERITS or PARTITION OF list only their own
// columns; the parents' come first, merged by name, as PostgreSQL does.
void SchemaBuilder::inherit_columns() {
    std::vector<int> state(tables.size(), 0); // 0 unvisited, 1 in progress, 2 done
    for (std::size_t i = 0; i < tables.size(); ++i) inherit_columns_of(i, state);
}

void SchemaBuilder::inherit_columns_of(std::size_t index, std::vector<int>& state) {
    if (state[index] != 0) return; // done, or a cycle
    state[index] = 1;
    if (columns_from_parents_.contains(index)) {
        std::vector<Column> merged;
        for (const QualifiedName& parent_name : tables[index].parents) {
            const auto parent = index_.find(parent_name);
            if (parent == index_.end()) continue;
            inherit_columns_of(parent->second, state);
            for (const Column& inherited : tables[parent->second].columns) {
                auto same = std::find_if(merged.begin(), merged.end(),
                                         [&](const Column& c) { return c.name == inherited.name; });
                if (same != merged.end()) {
                    same->not_null = same->not_null || inherited.not_null;
                    continue;
                }
                Column copy = inherited;
                copy.inherited = true;
                copy.identity = false; // identity is not inherited
                copy.identity_always = false;
                merged.push_back(std::move(copy));
            }
        }
        for (Column& local : tables[index].columns) {
            auto same = std::find_if(merged.begin(), merged.end(),
                                     [&](const Column& c) { return c.name == local.name; });
            if (same == merged.end()) {
                merged.push_back(std::move(local));
                continue;
            }
            // Declared again locally (merged column) or only given options.
            if (!local.type.empty()) {
                same->type = local.type;
                same->inherited = false;
            }
            same->not_null = same->not_null || local.not_null;
            if (local.default_expr) same->default_expr = local.default_expr;
            if (local.generated_expr) same->generated_expr = local.generated_expr;
            if (local.collation) same->collation = local.collation;
            if (local.identity) {
                same->identity = true;
                same->identity_always = local.identity_always;
            }
        }
        tables[index].columns = std::move(merged);
    }
    state[index] = 2;
}

// A typed table's DDL names only columns with options; its data's column
// list gives them all, in order.
void SchemaBuilder::take_typed_table_columns_from_data() {
    for (const std::size_t index : typed_) {
        Table& table = tables[index];
        if (table.copy_columns.empty()) continue;
        std::vector<Column> columns;
        for (const std::string& name : table.copy_columns) {
            if (const Column* declared = table.column(name)) {
                columns.push_back(*declared);
            } else {
                Column column;
                column.name = name;
                columns.push_back(std::move(column));
            }
        }
        for (const Column& declared : table.columns)
            if (std::find(table.copy_columns.begin(), table.copy_columns.end(), declared.name) ==
                table.copy_columns.end())
                columns.push_back(declared);
        table.columns = std::move(columns);
    }
}

// REFERENCES t without a column list means t's primary key.
void SchemaBuilder::resolve_foreign_key_targets() {
    for (Table& table : tables) {
        for (ForeignKey& fk : table.foreign_keys) {
            if (!fk.referenced_columns.empty()) continue;
            const Table* referenced = find(fk.referenced_table);
            if (!referenced) continue;
            for (const UniqueKey& key : referenced->unique_keys)
                if (key.primary_key) fk.referenced_columns = key.columns;
        }
    }
}

} // namespace ddl

SchemaDdl read_schema_ddl(const ArchiveModel& archive) {
    ddl::SchemaBuilder builder(archive);
    builder.build();
    return {std::move(builder.tables), std::move(builder.skipped)};
}

} // namespace pgscrub::dump
