// Schema model (dump/schema_model.hpp): qualified names, tables and their
// columns and types, and which table a TABLE DATA entry loads.

#include "schema_fixtures.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <unordered_set>
#include <vector>

using namespace pgscrub::dump;
using namespace pgscrub::test;

TEST_CASE("QualifiedName: display, comparison, hashing", "[schema_model]") {
    const QualifiedName crm{"CRM", "Newsletter Signup"};
    CHECK(crm.display() == "\"CRM\".\"Newsletter Signup\"");
    CHECK(QualifiedName{"public", "users"}.display() == "public.users");
    CHECK(QualifiedName{"public", "order"}.display() == "public.\"order\"");
    CHECK(QualifiedName{"", "t"}.display() == "t");
    CHECK(QualifiedName{"a", "b"} < QualifiedName{"a", "c"});
    CHECK(QualifiedName{"a", "z"} < QualifiedName{"b", "a"});
    CHECK(QualifiedName{"a", "b"} == QualifiedName{"a", "b"});
    std::unordered_set<QualifiedName> set{crm, {"CRM", "Newsletter Signup"}, {"crm", "Newsletter Signup"}};
    CHECK(set.size() == 2);
}

TEST_CASE("Schema model: mixed-case quoted names with spaces, in a second schema", "[schema_model]") {
    const SchemaModel& model = real_model();
    CHECK(model.skipped_ddl().empty());
    CHECK_FALSE(model.find({"crm", "Newsletter Signup"}));

    const Table& signup = table(model, "CRM", "Newsletter Signup");
    CHECK(signup.definition_dump_id == 218);
    CHECK(signup.data_dump_id == 3570);
    CHECK(column_names(signup) ==
          Names{"ID", "Email Address", "Full Name", "consent", "signed_up", "cc_emails", "m", "j", "tags"});
    CHECK(signup.copy_columns == column_names(signup));
    CHECK(column(signup, "Full Name").collation == "pg_catalog.\"C\"");
    CHECK(column(signup, "consent").type == "boolean");
    CHECK(column(signup, "consent").not_null);
    CHECK(column(signup, "consent").default_expr == "false");
    CHECK(column(signup, "signed_up").type == "timestamp with time zone");
    CHECK(column(signup, "signed_up").default_expr == "now()");
    CHECK(column(signup, "m").type == "public.mood");
    CHECK(column(signup, "j").type == "jsonb");
    CHECK(key(signup, "Newsletter Signup_Email Address_key").columns == Names{"Email Address"});
    CHECK_FALSE(key(signup, "Newsletter Signup_Email Address_key").primary_key);
    CHECK(key(signup, "Newsletter Signup_pkey").primary_key);

    const Table& log = table(model, "CRM", "Signup Log");
    REQUIRE(log.foreign_keys.size() == 1);
    CHECK(log.foreign_keys[0].name == "Signup Log_signup_id_fkey");
    CHECK(log.foreign_keys[0].columns == Names{"signup_id"});
    CHECK(log.foreign_keys[0].referenced_table == QualifiedName{"CRM", "Newsletter Signup"});
    CHECK(log.foreign_keys[0].referenced_columns == Names{"ID"});
    CHECK(column(log, "at").type == "timestamp without time zone");

    const Table& weird = table(model, "public", "Weird Name");
    CHECK(column_names(weird) == Names{"ID", "Col A", "b", "x\"y", "order"});
    CHECK(weird.copy_columns == column_names(weird));
    CHECK(column(weird, "x\"y").type == "character varying(150)");
    CHECK(column(weird, "Col A").default_expr == "'x;y'::text");
    CHECK(column(weird, "Col A").not_null);
}

TEST_CASE("Schema model: identity and serial columns", "[schema_model]") {
    const SchemaModel& model = real_model();
    const Column& id = column(table(model, "CRM", "Newsletter Signup"), "ID");
    CHECK(id.identity);
    CHECK(id.identity_always);
    CHECK(id.not_null);
    CHECK_FALSE(id.default_expr);

    const Column& d = column(table(model, "public", "comp"), "d");
    CHECK(d.identity);
    CHECK_FALSE(d.identity_always); // BY DEFAULT

    const Column& serial = column(table(model, "public", "Weird Name"), "ID");
    CHECK_FALSE(serial.identity);
    CHECK(serial.default_expr == "nextval('public.\"Weird Name_ID_seq\"'::regclass)");
    CHECK(column(table(model, "public", "ref"), "id").default_expr == "nextval('public.ref_id_seq'::regclass)");
}

TEST_CASE("Schema model: generated columns are not in the COPY data", "[schema_model]") {
    const Table& gen = table(real_model(), "public", "gen");
    CHECK(column_names(gen) == Names{"id", "w", "h", "area", "note"});
    CHECK(column(gen, "area").generated_expr == "(w * h)");
    CHECK_FALSE(column(gen, "area").default_expr);
    CHECK(column(gen, "note").default_expr == "'it''s; (not)'::text");
    CHECK(gen.copy_columns == Names{"id", "w", "h", "note"});
}

TEST_CASE("Schema model: array, parameterised and multi-word types", "[schema_model]") {
    const Table& arr = table(real_model(), "public", "arr");
    CHECK(column(arr, "a").type == "integer[]");
    CHECK(column(arr, "b").type == "text[]");
    CHECK(column(arr, "c").type == "timestamp(3) without time zone");
    CHECK(column(arr, "d").type == "double precision");
    CHECK(column(arr, "e").type == "bit varying(5)");
    CHECK(column(arr, "f").type == "\"char\"");
    CHECK(column(arr, "g").type == "interval day to second");
    CHECK(column(table(real_model(), "CRM", "Newsletter Signup"), "tags").type == "character varying(20)[]");
    CHECK(column(table(real_model(), "CRM", "Newsletter Signup"), "cc_emails").type == "text[]");

    const Table& coll = table(real_model(), "public", "coll");
    CHECK(column(coll, "t").default_expr == "'a'::text");
    CHECK(column(coll, "t").not_null);
    CHECK(column(coll, "t").collation == "pg_catalog.\"C\"");
    CHECK(column(coll, "v").type == "text[]");
}

TEST_CASE("Schema model: a zero-column table", "[schema_model]") {
    const Table& empty = table(real_model(), "public", "empty0");
    CHECK(empty.columns.empty());
    CHECK(empty.copy_columns.empty());
    CHECK(empty.data_dump_id == 3582);
    CHECK(real_model().table_for_data(3582) == &empty);
}

TEST_CASE("Schema model: table_for_data", "[schema_model]") {
    const SchemaModel& model = real_model();
    const Table* weird = model.table_for_data(3568);
    REQUIRE(weird);
    CHECK(weird->name == QualifiedName{"public", "Weird Name"});
    CHECK_FALSE(model.table_for_data(216)); // the TABLE entry, not its data
    CHECK_FALSE(model.table_for_data(99999));
}

TEST_CASE("Schema model: a data-only dump still lists its tables", "[schema_model]") {
    const SchemaModel model = SchemaModel::from_archive(archive_of({
        ddl_entry(1, "ENCODING", nullptr, "ENCODING", "SET client_encoding = 'UTF8';\n"),
        data_entry(2, "public", "gen", "COPY public.gen (id, w, h, note) FROM stdin;\n"),
        data_entry(3, "public", "ins", nullptr), // --inserts: no copyStmt
    }));
    const Table& gen = table(model, "public", "gen");
    CHECK_FALSE(gen.definition_dump_id);
    CHECK(column_names(gen) == Names{"id", "w", "h", "note"});
    CHECK(column(gen, "w").type.empty());
    CHECK(model.table_for_data(3) == &table(model, "public", "ins"));
    CHECK(table(model, "public", "ins").copy_columns.empty());
}
