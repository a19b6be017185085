#include "dump/ddl_parser.hpp"

#include "dump/sql_lexer.hpp"

#include <algorithm>
#include <initializer_list>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace pgscrub::dump {

namespace {

bool is_open_bracket(const SqlToken& t) { return t.is_punctuation('(') || t.is_punctuation('['); }
bool is_close_bracket(const SqlToken& t) { return t.is_punctuation(')') || t.is_punctuation(']'); }

template <typename Keywords>
bool is_one_of(const SqlToken& t, const Keywords& keywords) {
    if (t.kind != SqlTokenKind::Identifier) return false;
    return std::find(std::begin(keywords), std::end(keywords), t.value) != std::end(keywords);
}

// Words that end a column's type or DEFAULT expression in a column definition.
constexpr std::string_view kColumnClauseWords[] = {
    "collate", "compression", "storage",  "generated",  "default",    "not",     "null",
    "constraint", "check",    "primary",  "unique",     "references", "deferrable", "initially",
    "options",
};

constexpr std::string_view kTableConstraintWords[] = {"primary", "unique", "foreign", "check"};

// A read position over tokens [begin, end) of one statement.
class Cursor {
public:
    Cursor(std::string_view text, const std::vector<SqlToken>& tokens, std::size_t begin, std::size_t end)
        : text_(text), tokens_(&tokens), pos_(begin), end_(std::min(end, tokens.size())) {}

    // The same tokens, limited to [begin, end).
    Cursor sub(std::size_t begin, std::size_t end) const { return Cursor(text_, *tokens_, begin, end); }

    bool done() const { return pos_ >= end_; }
    std::size_t position() const { return pos_; }
    std::size_t end() const { return end_; }
    void seek(std::size_t position) { pos_ = std::min(position, end_); }
    const SqlToken* peek(std::size_t ahead = 0) const {
        return pos_ + ahead < end_ ? &(*tokens_)[pos_ + ahead] : nullptr;
    }
    const SqlToken* previous() const { return pos_ > 0 && pos_ <= tokens_->size() ? &(*tokens_)[pos_ - 1] : nullptr; }
    bool peek_keyword(std::string_view keyword, std::size_t ahead = 0) const {
        const SqlToken* t = peek(ahead);
        return t && t->is_keyword(keyword);
    }
    bool peek_punctuation(char c, std::size_t ahead = 0) const {
        const SqlToken* t = peek(ahead);
        return t && t->is_punctuation(c);
    }

    bool accept_keyword(std::string_view keyword) {
        if (!peek_keyword(keyword)) return false;
        ++pos_;
        return true;
    }
    // All of them in a row, or nothing consumed.
    bool accept_keywords(std::initializer_list<std::string_view> keywords) {
        std::size_t ahead = 0;
        for (std::string_view k : keywords)
            if (!peek_keyword(k, ahead++)) return false;
        pos_ += keywords.size();
        return true;
    }
    bool accept_punctuation(char c) {
        if (!peek_punctuation(c)) return false;
        ++pos_;
        return true;
    }

    std::optional<std::string> accept_name() {
        const SqlToken* t = peek();
        if (!t || !t->is_name()) return std::nullopt;
        ++pos_;
        return t->value;
    }

    // name or schema.name (database.schema.name keeps the last two).
    std::optional<QualifiedName> accept_qualified_name(const std::string& default_schema) {
        std::vector<std::string> parts;
        const std::size_t start = pos_;
        for (;;) {
            std::optional<std::string> part = accept_name();
            if (!part) {
                pos_ = start;
                return std::nullopt;
            }
            parts.push_back(std::move(*part));
            if (!peek_punctuation('.')) break;
            ++pos_;
        }
        if (parts.size() == 1) return QualifiedName{default_schema, parts[0]};
        return QualifiedName{parts[parts.size() - 2], parts.back()};
    }

    // "(a, "B", c)": names only; nullopt (nothing consumed) for anything else.
    std::optional<std::vector<std::string>> accept_name_list() {
        const std::size_t start = pos_;
        if (!accept_punctuation('(')) return std::nullopt;
        std::vector<std::string> names;
        for (;;) {
            std::optional<std::string> name = accept_name();
            if (!name) break;
            names.push_back(std::move(*name));
            if (accept_punctuation(')')) return names;
            if (!accept_punctuation(',')) break;
        }
        pos_ = start;
        return std::nullopt;
    }

    // Index just past the bracket that closes the one at `open`, or end().
    std::size_t group_end(std::size_t open) const {
        int depth = 0;
        for (std::size_t i = open; i < end_; ++i) {
            const SqlToken& t = (*tokens_)[i];
            if (is_open_bracket(t)) {
                ++depth;
            } else if (is_close_bracket(t)) {
                if (--depth == 0) return i + 1;
            }
        }
        return end_;
    }

    // Where the inside of the group [open, close) ends: before its closing
    // bracket, or at `close` when the text ended before the group did.
    std::size_t inner_end(std::size_t open, std::size_t close) const {
        int depth = 0;
        for (std::size_t i = open; i < close; ++i) {
            const SqlToken& t = (*tokens_)[i];
            if (is_open_bracket(t)) ++depth;
            if (is_close_bracket(t)) --depth;
        }
        return depth == 0 && close > open + 1 ? close - 1 : close;
    }

    // One token, or a whole bracketed group.
    void skip_item() {
        const SqlToken* t = peek();
        if (!t) return;
        pos_ = is_open_bracket(*t) ? group_end(pos_) : pos_ + 1;
    }

    // [begin, end) ranges between the commas at bracket depth 0 of [begin, end).
    std::vector<std::pair<std::size_t, std::size_t>> split_at_commas(std::size_t begin, std::size_t end) const {
        std::vector<std::pair<std::size_t, std::size_t>> ranges;
        int depth = 0;
        std::size_t start = begin;
        for (std::size_t i = begin; i < end && i < end_; ++i) {
            const SqlToken& t = (*tokens_)[i];
            if (is_open_bracket(t)) {
                ++depth;
            } else if (is_close_bracket(t)) {
                --depth;
            } else if (depth == 0 && t.is_punctuation(',')) {
                ranges.emplace_back(start, i);
                start = i + 1;
            }
        }
        if (start < end) ranges.emplace_back(start, std::min(end, end_));
        return ranges;
    }

    // The source text of tokens [first, last), as written.
    std::string text_between(std::size_t first, std::size_t last) const {
        if (first >= last || last > tokens_->size()) return {};
        const std::size_t from = (*tokens_)[first].offset;
        return std::string(text_.substr(from, (*tokens_)[last - 1].end() - from));
    }

private:
    std::string_view text_;
    const std::vector<SqlToken>* tokens_;
    std::size_t pos_;
    std::size_t end_;
};

// One statement of a TOC entry's DDL, tokenized.
struct Statement {
    const TocEntry* entry = nullptr;
    std::string_view text;
    std::vector<SqlToken> tokens;

    Cursor cursor() const { return Cursor(text, tokens, 0, tokens.size()); }
};

bool is_schema_entry(const TocEntry& entry) {
    if (!entry.desc) return false;
    const std::string& desc = *entry.desc;
    return desc == "TABLE" || desc == "FOREIGN TABLE" || desc == "TABLE ATTACH" || desc == "DEFAULT" ||
           desc == "SEQUENCE" || desc == "CONSTRAINT" || desc == "FK CONSTRAINT" || desc == "INDEX";
}

bool is_table_entry(const TocEntry& entry) {
    return entry.desc && (*entry.desc == "TABLE" || *entry.desc == "FOREIGN TABLE");
}

// Unqualified names in pg_dump DDL are relative to the entry's schema.
std::string default_schema_of(const TocEntry& entry) {
    return entry.namespace_ && !entry.namespace_->empty() ? *entry.namespace_ : std::string("public");
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

class SchemaBuilder {
public:
    explicit SchemaBuilder(const ArchiveModel& archive) : archive_(archive) {}

    void build() {
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

    std::vector<Table> tables;
    std::vector<std::string> skipped;

private:
    enum class Phase { Links, Details };
    enum class ConstraintResult { Read, Ignored, Malformed };

    std::vector<Statement> split_schema_entries() const {
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
    static bool starts_create_of(const Statement& s, std::string_view object) {
        Cursor c = s.cursor();
        if (!c.accept_keyword("create")) return false;
        while (c.accept_keyword("global") || c.accept_keyword("local") || c.accept_keyword("temp") ||
               c.accept_keyword("temporary") || c.accept_keyword("unlogged") || c.accept_keyword("foreign") ||
               c.accept_keyword("unique")) {
        }
        return c.peek_keyword(object);
    }

    static bool starts_alter_table(const Statement& s) {
        Cursor c = s.cursor();
        if (!c.accept_keyword("alter")) return false;
        c.accept_keyword("foreign");
        return c.peek_keyword("table");
    }

    void note_skipped(const Statement& s, std::string_view why) {
        skipped.push_back("TOC entry " + std::to_string(s.entry->dump_id) + " (" + s.entry->describe() +
                          "): " + std::string(why) + ": " + abbreviated(s.text));
    }

    Table* find(const QualifiedName& name) {
        const auto it = index_.find(name);
        return it == index_.end() ? nullptr : &tables[it->second];
    }

    std::size_t add(Table table) {
        const auto it = index_.find(table.name);
        if (it != index_.end()) {
            tables[it->second] = std::move(table);
            return it->second;
        }
        index_.emplace(table.name, tables.size());
        tables.push_back(std::move(table));
        return tables.size() - 1;
    }

    static void add_parent(Table& table, const QualifiedName& parent) {
        if (std::find(table.parents.begin(), table.parents.end(), parent) == table.parents.end())
            table.parents.push_back(parent);
    }

    static Column* find_column(Table& table, std::string_view name) {
        for (Column& c : table.columns)
            if (c.name == name) return &c;
        return nullptr;
    }

    // ---- CREATE TABLE ------------------------------------------------------

    void read_create_table(const Statement& s) {
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

    void read_table_elements(const Statement& s, Table& table, const Cursor& list) {
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
    ConstraintResult read_table_constraint(Table& table, std::string name, Cursor& c) {
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
    bool read_column(Table& table, Cursor& c) {
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
    static void read_generated_clause(Column& column, Cursor& c) {
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
    static void skip_default_expression(Cursor& c) {
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

    // ---- ALTER TABLE -------------------------------------------------------

    void read_alter_table(const Statement& s, Phase phase) {
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
    void read_link_action(const Statement& s, const QualifiedName& table_name, Cursor& action) {
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

    void read_detail_action(const Statement& s, const QualifiedName& table_name, Cursor& action) {
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

    void read_create_index(const Statement& s) {
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

    // ---- TABLE DATA ----------------------------------------------------------

    void read_table_data(const TocEntry& entry) {
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
    void inherit_columns() {
        std::vector<int> state(tables.size(), 0); // 0 unvisited, 1 in progress, 2 done
        for (std::size_t i = 0; i < tables.size(); ++i) inherit_columns_of(i, state);
    }

    void inherit_columns_of(std::size_t index, std::vector<int>& state) {
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
    void take_typed_table_columns_from_data() {
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
    void resolve_foreign_key_targets() {
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

    const ArchiveModel& archive_;
    std::unordered_map<QualifiedName, std::size_t, QualifiedNameHash> index_;
    std::unordered_set<std::size_t> columns_from_parents_;
    std::unordered_set<std::size_t> typed_;
};

} // namespace

SchemaDdl read_schema_ddl(const ArchiveModel& archive) {
    SchemaBuilder builder(archive);
    builder.build();
    return {std::move(builder.tables), std::move(builder.skipped)};
}

} // namespace pgscrub::dump
