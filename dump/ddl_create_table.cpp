// CREATE TABLE: the table's name, kind and parents, its column definitions
// and its table constraints (ddl_builder.hpp).

#include "dump/ddl_builder.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::dump::ddl {

namespace {

// Words that end a column's type or DEFAULT expression in a column definition.
constexpr std::string_view kColumnClauseWords[] = {
    "collate", "compression", "storage",  "generated",  "default",    "not",     "null",
    "constraint", "check",    "primary",  "unique",     "references", "deferrable", "initially",
    "options",
};

constexpr std::string_view kTableConstraintWords[] = {"primary", "unique", "foreign", "check"};

} // namespace

void SchemaBuilder::read_create_table(const Statement& s) {
    const std::string schema = default_schema_of(*s.entry);
    Cursor c = s.cursor();
    c.accept_keyword("create");
    bool foreign = false;
    for (;;) {
        if (c.accept_keyword("global") || c.accept_keyword("local") || c.accept_keyword("temp") ||
            c.accept_keyword("temporary") || c.accept_keyword("unlogged"))
            continue;
        if (c.accept_keyword("foreign")) {
            foreign = true;
            continue;
        }
        break;
    }
    c.accept_keyword("table");
    c.accept_keywords({"if", "not", "exists"});
    const std::optional<QualifiedName> parsed_name = c.accept_qualified_name(schema);
    if (!parsed_name) {
        note_skipped(s, "no table name");
        return;
    }

    Table table;
    // The TOC's own namespace and tag are the names as stored; prefer them.
    const TocEntry& entry = *s.entry;
    table.name = (entry.namespace_ && entry.tag) ? QualifiedName{*entry.namespace_, *entry.tag} : *parsed_name;
    table.foreign = foreign;
    table.definition_dump_id = entry.dump_id;

    bool columns_from_parents = false;
    bool typed = false;
    if (c.accept_keyword("of")) { // typed table: the columns come from a composite type
        typed = true;
        c.accept_qualified_name(schema);
    } else if (c.accept_keywords({"partition", "of"})) { // pg_dump 10-13 partitions
        const std::optional<QualifiedName> parent = c.accept_qualified_name(schema);
        if (!parent) {
            note_skipped(s, "no partition parent");
            return;
        }
        add_parent(table, *parent);
        columns_from_parents = true;
    }

    if (c.peek_punctuation('(')) {
        const std::size_t close = c.group_end(c.position());
        read_table_elements(s, table, c.sub(c.position() + 1, c.inner_end(c.position(), close)));
        c.seek(close);
    }

    while (!c.done()) {
        if (c.accept_keyword("inherits") && c.peek_punctuation('(')) {
            const std::size_t close = c.group_end(c.position());
            for (const auto& [begin, end] : c.split_at_commas(c.position() + 1, c.inner_end(c.position(), close))) {
                Cursor name_cursor = c.sub(begin, end);
                if (std::optional<QualifiedName> parent = name_cursor.accept_qualified_name(schema))
                    add_parent(table, *parent);
            }
            columns_from_parents = true;
            c.seek(close);
        } else if (c.accept_keywords({"partition", "by"})) {
            table.partitioned = true;
        } else {
            c.skip_item();
        }
    }

    const std::size_t index = add(std::move(table));
    if (columns_from_parents) columns_from_parents_.insert(index);
    if (typed) typed_.insert(index);
}

void SchemaBuilder::read_table_elements(const Statement& s, Table& table, const Cursor& list) {
    for (const auto& [begin, end] : list.split_at_commas(list.position(), list.end())) {
        Cursor element = list.sub(begin, end);
        if (element.done()) continue;
        std::string constraint_name;
        bool is_constraint = false;
        if (element.accept_keyword("constraint")) {
            constraint_name = element.accept_name().value_or("");
            is_constraint = true;
        } else if (is_one_of(*element.peek(), kTableConstraintWords) ||
                   (element.peek_keyword("exclude") &&
                    (element.peek_punctuation('(', 1) || element.peek_keyword("using", 1)))) {
            is_constraint = true;
        }
        if (is_constraint) {
            if (read_table_constraint(table, std::move(constraint_name), element) == ConstraintResult::Malformed)
                note_skipped(s, "unreadable table constraint");
        } else if (element.peek_keyword("like")) {
            note_skipped(s, "LIKE clause not followed");
        } else if (!read_column(table, element)) {
            note_skipped(s, "unreadable column definition");
        }
    }
}

// PRIMARY KEY / UNIQUE / FOREIGN KEY bodies, shared by CREATE TABLE and
// ALTER TABLE … ADD CONSTRAINT. CHECK and EXCLUDE are of no interest.
SchemaBuilder::ConstraintResult SchemaBuilder::read_table_constraint(Table& table, std::string name, Cursor& c) {
    const std::string schema = table.name.schema;
    if (c.accept_keywords({"primary", "key"})) {
        std::optional<std::vector<std::string>> columns = c.accept_name_list();
        if (!columns) return ConstraintResult::Malformed;
        for (const std::string& column : *columns)
            if (Column* col = find_column(table, column)) col->not_null = true;
        UniqueKey key;
        key.name = std::move(name);
        key.columns = std::move(*columns);
        key.primary_key = true;
        table.unique_keys.push_back(std::move(key));
        return ConstraintResult::Read;
    }
    if (c.accept_keyword("unique")) {
        UniqueKey key;
        key.name = std::move(name);
        if (c.accept_keyword("nulls")) {
            key.nulls_not_distinct = c.accept_keyword("not");
            c.accept_keyword("distinct");
        }
        if (c.peek_keyword("using")) return ConstraintResult::Ignored; // UNIQUE USING INDEX: not in dumps
        std::optional<std::vector<std::string>> columns = c.accept_name_list();
        if (!columns) return ConstraintResult::Malformed;
        key.columns = std::move(*columns);
        table.unique_keys.push_back(std::move(key));
        return ConstraintResult::Read;
    }
    if (c.accept_keywords({"foreign", "key"})) {
        ForeignKey fk;
        fk.name = std::move(name);
        std::optional<std::vector<std::string>> columns = c.accept_name_list();
        if (!columns || !c.accept_keyword("references")) return ConstraintResult::Malformed;
        std::optional<QualifiedName> referenced = c.accept_qualified_name(schema);
        if (!referenced) return ConstraintResult::Malformed;
        fk.columns = std::move(*columns);
        fk.referenced_table = std::move(*referenced);
        if (std::optional<std::vector<std::string>> referenced_columns = c.accept_name_list())
            fk.referenced_columns = std::move(*referenced_columns);
        table.foreign_keys.push_back(std::move(fk));
        return ConstraintResult::Read;
    }
    return ConstraintResult::Ignored;
}

// name [WITH OPTIONS] [type] [COLLATE …] [GENERATED …] [DEFAULT …] [NOT NULL] [column constraints]
bool SchemaBuilder::read_column(Table& table, Cursor& c) {
    std::optional<std::string> name = c.accept_name();
    if (!name) return false;
    Column column;
    column.name = std::move(*name);
    c.accept_keywords({"with", "options"}); // typed tables and pg_dump 10-13 partitions

    // The type runs to the first clause word (one right after a '.' is part
    // of a qualified type name such as public.options).
    const std::size_t type_start = c.position();
    auto type_ends_here = [&] {
        const bool after_dot = c.position() > type_start && c.previous()->is_punctuation('.');
        return is_one_of(*c.peek(), kColumnClauseWords) && !after_dot;
    };
    while (!c.done() && !type_ends_here()) c.skip_item();
    column.type = c.text_between(type_start, c.position());

    std::string constraint_name;
    while (!c.done()) {
        if (c.accept_keyword("collate")) {
            const std::size_t start = c.position();
            c.accept_qualified_name({});
            column.collation = c.text_between(start, c.position());
        } else if (c.accept_keyword("compression") || c.accept_keyword("storage")) {
            c.skip_item();
        } else if (c.accept_keyword("generated")) {
            read_generated_clause(column, c);
        } else if (c.accept_keyword("default")) {
            const std::size_t start = c.position();
            skip_default_expression(c);
            if (c.position() > start) column.default_expr = c.text_between(start, c.position());
        } else if (c.accept_keywords({"not", "null"})) {
            column.not_null = true;
        } else if (c.accept_keyword("constraint")) {
            constraint_name = c.accept_name().value_or("");
            continue; // the name belongs to the next clause
        } else if (c.accept_keywords({"primary", "key"})) {
            column.not_null = true;
            UniqueKey key;
            key.name = constraint_name;
            key.columns = {column.name};
            key.primary_key = true;
            table.unique_keys.push_back(std::move(key));
        } else if (c.accept_keyword("unique")) {
            UniqueKey key;
            key.name = constraint_name;
            key.columns = {column.name};
            if (c.accept_keyword("nulls")) {
                key.nulls_not_distinct = c.accept_keyword("not");
                c.accept_keyword("distinct");
            }
            table.unique_keys.push_back(std::move(key));
        } else if (c.accept_keyword("references")) {
            ForeignKey fk;
            fk.name = constraint_name;
            fk.columns = {column.name};
            if (std::optional<QualifiedName> referenced = c.accept_qualified_name(table.name.schema)) {
                fk.referenced_table = std::move(*referenced);
                if (std::optional<std::vector<std::string>> referenced_columns = c.accept_name_list())
                    fk.referenced_columns = std::move(*referenced_columns);
                table.foreign_keys.push_back(std::move(fk));
            }
        } else {
            c.skip_item(); // NULL, CHECK (…), NO INHERIT, DEFERRABLE, OPTIONS (…), …
        }
        constraint_name.clear();
    }
    table.columns.push_back(std::move(column));
    return true;
}

// After GENERATED: ALWAYS AS (expr) STORED, or {ALWAYS | BY DEFAULT} AS IDENTITY [(…)].
void SchemaBuilder::read_generated_clause(Column& column, Cursor& c) {
    const bool always = c.accept_keyword("always");
    if (!always) c.accept_keywords({"by", "default"});
    c.accept_keyword("as");
    if (c.accept_keyword("identity")) {
        column.identity = true;
        column.identity_always = always;
        if (c.peek_punctuation('(')) c.skip_item();
    } else if (c.peek_punctuation('(')) {
        const std::size_t open = c.position();
        const std::size_t close = c.group_end(open);
        column.generated_expr = c.text_between(open + 1, c.inner_end(open, close));
        c.seek(close);
        if (!c.accept_keyword("stored")) c.accept_keyword("virtual");
    }
}

// pg_get_expr output is fully parenthesised except for CASE, so the
// expression ends at the first column-clause word outside brackets and CASE.
void SchemaBuilder::skip_default_expression(Cursor& c) {
    const std::size_t start = c.position();
    int case_depth = 0;
    while (!c.done()) {
        const SqlToken& t = *c.peek();
        if (t.kind == SqlTokenKind::Identifier) {
            if (t.value == "case") {
                ++case_depth;
            } else if (t.value == "end" && case_depth > 0) {
                --case_depth;
            } else if (case_depth == 0 && c.position() > start && is_one_of(t, kColumnClauseWords)) {
                return;
            }
        }
        c.skip_item();
    }
}

} // namespace pgscrub::dump::ddl
