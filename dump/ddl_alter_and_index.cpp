// ALTER TABLE (links between tables, column details, added constraints) and
// CREATE UNIQUE INDEX, read after CREATE TABLE (ddl_builder.hpp).

#include "dump/ddl_builder.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pgscrub::dump::ddl {

// ---- ALTER TABLE -------------------------------------------------------

void SchemaBuilder::read_alter_table(const Statement& s, Phase phase) {
    Cursor c = s.cursor();
    c.accept_keyword("alter");
    c.accept_keyword("foreign");
    c.accept_keyword("table");
    c.accept_keywords({"if", "exists"});
    c.accept_keyword("only");
    const std::string schema = default_schema_of(*s.entry);
    const std::optional<QualifiedName> name = c.accept_qualified_name(schema);
    if (!name) {
        if (phase == Phase::Details) note_skipped(s, "no table name");
        return;
    }
    for (const auto& [begin, end] : c.split_at_commas(c.position(), c.end())) {
        Cursor action = c.sub(begin, end);
        if (phase == Phase::Links) {
            read_link_action(s, *name, action);
        } else {
            read_detail_action(s, *name, action);
        }
    }
}

// ATTACH PARTITION child …, INHERIT parent (binary-upgrade dumps).
void SchemaBuilder::read_link_action(const Statement& s, const QualifiedName& table_name, Cursor& action) {
    if (action.accept_keywords({"attach", "partition"})) {
        const std::optional<QualifiedName> child_name = action.accept_qualified_name(table_name.schema);
        Table* child = child_name ? find(*child_name) : nullptr;
        if (!child) {
            note_skipped(s, "partition of an unknown table");
            return;
        }
        add_parent(*child, table_name);
    } else if (action.accept_keyword("inherit")) {
        const std::optional<QualifiedName> parent = action.accept_qualified_name(table_name.schema);
        Table* table = find(table_name);
        if (parent && table) add_parent(*table, *parent);
    }
}

void SchemaBuilder::read_detail_action(const Statement& s, const QualifiedName& table_name, Cursor& action) {
    if (action.peek_keyword("attach") || action.peek_keyword("inherit")) return; // read in Phase::Links
    Table* table = find(table_name);
    if (!table) return; // a view's column default, a table left out of the dump
    if (action.accept_keyword("alter")) {
        action.accept_keyword("column");
        const std::optional<std::string> column_name = action.accept_name();
        Column* column = column_name ? find_column(*table, *column_name) : nullptr;
        if (!column) {
            note_skipped(s, "unknown column");
            return;
        }
        if (action.accept_keywords({"set", "default"})) {
            column->default_expr = action.text_between(action.position(), action.end());
        } else if (action.accept_keywords({"set", "not", "null"})) {
            column->not_null = true;
        } else if (action.accept_keywords({"drop", "not", "null"})) {
            column->not_null = false;
        } else if (action.accept_keywords({"drop", "default"})) {
            column->default_expr.reset();
        } else if (action.accept_keywords({"add", "generated"})) {
            read_generated_clause(*column, action);
        }
    } else if (action.accept_keyword("add")) {
        std::string constraint_name;
        if (action.accept_keyword("constraint")) constraint_name = action.accept_name().value_or("");
        if (read_table_constraint(*table, std::move(constraint_name), action) == ConstraintResult::Malformed)
            note_skipped(s, "unreadable constraint");
    }
}

// ---- CREATE UNIQUE INDEX -------------------------------------------------

void SchemaBuilder::read_create_index(const Statement& s) {
    Cursor c = s.cursor();
    c.accept_keyword("create");
    if (!c.accept_keyword("unique")) return; // only unique indexes constrain data
    c.accept_keyword("index");
    c.accept_keyword("concurrently");
    c.accept_keywords({"if", "not", "exists"});
    UniqueKey key;
    key.from_index = true;
    if (!c.peek_keyword("on")) {
        if (std::optional<QualifiedName> index_name = c.accept_qualified_name({})) key.name = index_name->name;
    }
    if (!c.accept_keyword("on")) {
        note_skipped(s, "no ON clause");
        return;
    }
    c.accept_keyword("only");
    const std::optional<QualifiedName> table_name = c.accept_qualified_name(default_schema_of(*s.entry));
    if (!table_name) {
        note_skipped(s, "no table name");
        return;
    }
    Table* table = find(*table_name);
    if (!table) return; // e.g. a materialized view's index
    if (c.accept_keyword("using")) c.accept_name();
    if (!c.peek_punctuation('(')) {
        note_skipped(s, "no key list");
        return;
    }
    const std::size_t close = c.group_end(c.position());
    for (const auto& [begin, end] : c.split_at_commas(c.position() + 1, c.inner_end(c.position(), close))) {
        Cursor element = c.sub(begin, end);
        const SqlToken* first = element.peek();
        if (!first) continue;
        // A bare column, possibly with COLLATE, opclass, ASC/DESC, NULLS …;
        // a function call or parenthesised expression otherwise.
        if (first->is_name() && !element.peek_punctuation('(', 1)) {
            key.columns.push_back(first->value);
        } else {
            key.expressions.push_back(element.text_between(begin, end));
            key.partial_or_expression = true;
        }
    }
    c.seek(close);
    while (!c.done()) {
        if (c.accept_keyword("where")) {
            key.partial_or_expression = true;
            key.predicate = c.text_between(c.position(), c.end());
            break;
        }
        if (c.accept_keywords({"nulls", "not", "distinct"})) {
            key.nulls_not_distinct = true;
        } else {
            c.skip_item(); // INCLUDE (…), WITH (…), TABLESPACE x
        }
    }
    table->unique_keys.push_back(std::move(key));
}

} // namespace pgscrub::dump::ddl
