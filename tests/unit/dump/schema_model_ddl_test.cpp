// Schema model (dump/schema_model.hpp): hand-written and unusual statements,
// DDL it cannot read, and damaged DDL.

#include "schema_fixtures.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

using namespace pgscrub::dump;
using namespace pgscrub::test;

TEST_CASE("Schema model: hand-written and unusual DDL", "[schema_model]") {
    const SchemaModel model = SchemaModel::from_archive(archive_of({
        ddl_entry(1, "TABLE", "public", "a", R"sql(CREATE UNLOGGED TABLE IF NOT EXISTS a (
    id bigint PRIMARY KEY,
    code text CONSTRAINT a_code_key UNIQUE NOT NULL,
    b_id integer REFERENCES b,
    kind text DEFAULT CASE WHEN true THEN NULL::text ELSE 'x'::text END NOT NULL,
    amount numeric(12,2) DEFAULT 0 CHECK (amount >= 0),
    UNIQUE NULLS NOT DISTINCT (kind, amount),
    FOREIGN KEY (b_id, code) REFERENCES other.c (x, y) MATCH FULL
) WITH (fillfactor='70');
ALTER TABLE ONLY public.a ALTER COLUMN amount SET STATISTICS 100;
)sql"),
        ddl_entry(2, "TABLE", "public", "b", "CREATE TABLE public.b (id integer NOT NULL);\n"),
        ddl_entry(3, "CONSTRAINT", "public", "b b_pkey",
                  "ALTER TABLE ONLY public.b\n    ADD CONSTRAINT b_pkey PRIMARY KEY (id);\n"),
        ddl_entry(4, "TABLE", "public", "typed", R"sql(CREATE TABLE public.typed OF public.pair (
    a DEFAULT 3 NOT NULL
);
)sql"),
        data_entry(5, "public", "typed", "COPY public.typed (a, b) FROM stdin;\n"),
        ddl_entry(6, "FOREIGN TABLE", "public", "ft", R"sql(CREATE FOREIGN TABLE public.ft (
    id integer OPTIONS (column_name 'ID') NOT NULL,
    st public.storage
)
SERVER srv
OPTIONS (table_name 'remote');
)sql"),
    }));
    CHECK(model.skipped_ddl().empty());

    const Table& a = table(model, "public", "a");
    CHECK(column_names(a) == Names{"id", "code", "b_id", "kind", "amount"});
    CHECK(column(a, "id").not_null);
    CHECK(column(a, "code").not_null);
    CHECK(column(a, "kind").default_expr == "CASE WHEN true THEN NULL::text ELSE 'x'::text END");
    CHECK(column(a, "kind").not_null);
    CHECK(column(a, "amount").type == "numeric(12,2)");
    CHECK(column(a, "amount").default_expr == "0");
    REQUIRE(a.unique_keys.size() == 3);
    CHECK(a.unique_keys[0].primary_key);
    CHECK(a.unique_keys[0].columns == Names{"id"});
    CHECK(a.unique_keys[1].name == "a_code_key");
    CHECK(a.unique_keys[2].nulls_not_distinct);
    CHECK(a.unique_keys[2].columns == Names{"kind", "amount"});
    REQUIRE(a.foreign_keys.size() == 2);
    CHECK(a.foreign_keys[0].referenced_table == QualifiedName{"public", "b"});
    CHECK(a.foreign_keys[0].referenced_columns == Names{"id"}); // b's primary key
    CHECK(a.foreign_keys[1].referenced_table == QualifiedName{"other", "c"});
    CHECK(a.foreign_keys[1].referenced_columns == Names{"x", "y"});

    const Table& typed = table(model, "public", "typed");
    CHECK(column_names(typed) == Names{"a", "b"});
    CHECK(column(typed, "a").default_expr == "3");
    CHECK(column(typed, "a").not_null);

    const Table& ft = table(model, "public", "ft");
    CHECK(ft.foreign);
    CHECK(column(ft, "id").type == "integer");
    CHECK(column(ft, "id").not_null);
    CHECK(column(ft, "st").type == "public.storage"); // a clause word as a qualified type name
}

TEST_CASE("Schema model: DDL it cannot read is skipped and noted, never fatal", "[schema_model]") {
    const SchemaModel model = SchemaModel::from_archive(archive_of({
        ddl_entry(1, "TABLE", "public", "ok", "CREATE TABLE public.ok (id integer);\n"),
        ddl_entry(2, "TABLE", "public", "broken", "CREATE TABLE (;\n"),
        ddl_entry(3, "TABLE", "public", "odd", "CREATE TABLE public.odd (LIKE public.ok, x integer, (;\n"),
        ddl_entry(4, "CONSTRAINT", "public", "ok k", "ALTER TABLE ONLY public.ok ADD CONSTRAINT k PRIMARY KEY id;\n"),
        ddl_entry(5, "DEFAULT", "public", "ok id", "ALTER TABLE ONLY public.ok ALTER COLUMN nope SET DEFAULT 1;\n"),
        ddl_entry(6, "FK CONSTRAINT", "public", "gone f", "ALTER TABLE ONLY public.gone ADD CONSTRAINT f FOREIGN KEY (a) REFERENCES public.ok(id);\n"),
        ddl_entry(7, "INDEX", "public", "i", "CREATE UNIQUE INDEX i ON public.gone USING btree (a);\n"),
        ddl_entry(8, "TABLE ATTACH", "public", "x", "ALTER TABLE ONLY public.ok ATTACH PARTITION public.gone FOR VALUES IN (1);\n"),
        ddl_entry(9, "TABLE", "public", "quotes", "CREATE TABLE public.quotes (a text DEFAULT 'unterminated\n"),
        ddl_entry(10, "INDEX", "public", "j", "CREATE UNIQUE INDEX"),
        ddl_entry(11, "TABLE", "public", "empty", ""),
        data_entry(12, "public", "ok", "COPY public.ok (id FROM stdin;\n"),
    }));
    const Table& ok = table(model, "public", "ok");
    CHECK(column_names(ok) == Names{"id"});
    CHECK(ok.unique_keys.empty());
    CHECK(ok.data_dump_id == 12);
    CHECK(ok.copy_columns.empty());
    CHECK(table(model, "public", "odd").column("x"));
    // Unknown tables (a view's DEFAULT, a materialized view's index) are not
    // parse failures and are not noted.
    const std::vector<std::string>& notes = model.skipped_ddl();
    CHECK(notes.size() == 8); // entries 2, 3 (twice), 4, 5, 8, 10 and the copyStmt of 12
    for (const std::string& note : notes) CHECK(note.starts_with("TOC entry "));
    CHECK(std::any_of(notes.begin(), notes.end(), [](const std::string& note) {
        return note.starts_with("TOC entry 4 (CONSTRAINT public.ok k): unreadable constraint: ALTER TABLE ONLY");
    }));
}

TEST_CASE("Schema model: random damage to real DDL never crashes", "[schema_model]") {
    const ArchiveModel original = real_pg15_archive();
    std::uint32_t seed = 12345;
    auto next = [&seed] { return seed = seed * 1664525u + 1013904223u; };
    for (int round = 0; round < 300; ++round) {
        ArchiveModel damaged = original;
        for (TocEntry& entry : damaged.entries) {
            if (!entry.defn || entry.defn->empty()) continue;
            std::string& text = *entry.defn;
            const std::size_t cut = next() % text.size();
            switch (next() % 3) {
            case 0: text.resize(cut); break;
            case 1: text.erase(cut, 1 + next() % 8); break;
            default: text.insert(cut, 1, "();'\"$,"[next() % 7]); break;
            }
        }
        const SchemaModel model = SchemaModel::from_archive(damaged);
        CHECK(model.tables().size() <= original.entries.size());
    }
}
