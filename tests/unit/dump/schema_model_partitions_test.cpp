// Schema model (dump/schema_model.hpp): partitions, however pg_dump wrote
// them, inheritance, and data loaded via the partition root.

#include "schema_fixtures.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace pgscrub::dump;
using namespace pgscrub::test;

namespace {

std::vector<std::string> names_of(const std::vector<const Table*>& tables) {
    std::vector<std::string> names;
    for (const Table* t : tables) names.push_back(t->name.display());
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace

TEST_CASE("Schema model: partitions attached with TABLE ATTACH", "[schema_model]") {
    const SchemaModel& model = real_model();
    const Table& meas = table(model, "public", "meas");
    CHECK(meas.partitioned);
    CHECK_FALSE(meas.data_dump_id);
    CHECK(meas.parents.empty());
    CHECK(names_of(model.children_of(meas.name)) == Names{"public.meas_2024", "public.meas_2025", "public.meas_def"});
    CHECK(names_of(model.descendants_of(meas.name)) == names_of(model.children_of(meas.name)));

    const Table& p2024 = table(model, "public", "meas_2024");
    CHECK_FALSE(p2024.partitioned);
    CHECK(p2024.parents == std::vector<QualifiedName>{{"public", "meas"}});
    CHECK(model.root_of(p2024.name) == meas.name);
    CHECK(model.root_of(meas.name) == meas.name);
    CHECK(p2024.data_dump_id == 3579);
    CHECK(p2024.copy_columns == Names{"id", "logdate", "v"});
    CHECK(key(p2024, "meas_2024_pkey").columns == Names{"id", "logdate"});
    CHECK_FALSE(p2024.load_via);

    CHECK(table(model, "public", "hp").partitioned);
    CHECK(model.root_of({"public", "hp0"}) == QualifiedName{"public", "hp"});
}

TEST_CASE("Schema model: inheritance brings the parents' columns first", "[schema_model]") {
    const SchemaModel& model = real_model();
    const Table& child = table(model, "public", "child");
    CHECK(child.parents == std::vector<QualifiedName>{{"public", "parent"}, {"public", "parent2"}});
    CHECK_FALSE(child.partitioned);
    CHECK(column_names(child) == Names{"id", "name", "other", "extra"});
    CHECK(child.copy_columns == column_names(child));
    CHECK(column(child, "name").inherited);
    CHECK(column(child, "name").type == "text");
    CHECK_FALSE(column(child, "extra").inherited);
    CHECK(model.root_of(child.name) == QualifiedName{"public", "parent"});
    CHECK(names_of(model.children_of({"public", "parent2"})) == Names{"public.child"});

    // ch2 declares b again: merged at the inherited position, NOT NULL kept.
    const Table& ch2 = table(model, "public", "ch2");
    CHECK(column_names(ch2) == Names{"a", "b", "c"});
    CHECK(column(ch2, "b").not_null);
    CHECK_FALSE(column(ch2, "b").inherited);
    CHECK(ch2.copy_columns == column_names(ch2));
}

TEST_CASE("Schema model: pg_dump 10-13 partitions written as PARTITION OF", "[schema_model]") {
    // The form pg_dump used before 14 (dumpTableSchema: PARTITION OF, local
    // column options only, then the bound).
    const SchemaModel model = SchemaModel::from_archive(archive_of({
        ddl_entry(10, "TABLE", "public", "meas", R"sql(CREATE TABLE public.meas (
    id integer NOT NULL,
    logdate date NOT NULL,
    v integer
)
PARTITION BY RANGE (logdate);
)sql"),
        ddl_entry(11, "TABLE", "public", "meas_2024", R"sql(CREATE TABLE public.meas_2024 PARTITION OF public.meas
FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
)sql"),
        ddl_entry(12, "TABLE", "public", "meas_2025", R"sql(CREATE TABLE public.meas_2025 PARTITION OF public.meas (
    v WITH OPTIONS DEFAULT 0 NOT NULL,
    CONSTRAINT v_pos CHECK ((v > 0))
)
FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')
PARTITION BY LIST (v);
)sql"),
        ddl_entry(13, "TABLE", "public", "meas_2025_1", R"sql(CREATE TABLE public.meas_2025_1 PARTITION OF public.meas_2025
FOR VALUES IN (1);
)sql"),
        data_entry(20, "public", "meas_2024", "COPY public.meas_2024 (id, logdate, v) FROM stdin;\n"),
        data_entry(21, "public", "meas_2025_1", "COPY public.meas_2025_1 (id, logdate, v) FROM stdin;\n"),
    }));
    CHECK(model.skipped_ddl().empty());

    const Table& p2024 = table(model, "public", "meas_2024");
    CHECK(p2024.parents == std::vector<QualifiedName>{{"public", "meas"}});
    CHECK(column_names(p2024) == Names{"id", "logdate", "v"});
    CHECK(column(p2024, "logdate").type == "date");
    CHECK(column(p2024, "logdate").not_null);
    CHECK(column(p2024, "logdate").inherited);

    const Table& p2025 = table(model, "public", "meas_2025");
    CHECK(p2025.partitioned);
    CHECK(column(p2025, "v").type == "integer");
    CHECK(column(p2025, "v").default_expr == "0");
    CHECK(column(p2025, "v").not_null);

    const Table& leaf = table(model, "public", "meas_2025_1");
    CHECK(column_names(leaf) == Names{"id", "logdate", "v"});
    CHECK(column(leaf, "v").not_null);
    CHECK(model.root_of(leaf.name) == QualifiedName{"public", "meas"});
    CHECK(names_of(model.descendants_of({"public", "meas"})) ==
          Names{"public.meas_2024", "public.meas_2025", "public.meas_2025_1"});
}

TEST_CASE("Schema model: --load-via-partition-root data", "[schema_model]") {
    ArchiveModel archive = real_pg15_archive();
    for (TocEntry& entry : archive.entries) {
        if (entry.dump_id == 3579) { // as pg_dump 15 --load-via-partition-root writes it
            entry.defn = "-- load via partition root public.meas";
            entry.copy_stmt = "COPY public.meas (id, logdate, v) FROM stdin;\n";
        }
    }
    const SchemaModel model = SchemaModel::from_archive(archive);
    const Table* leaf = model.table_for_data(3579);
    REQUIRE(leaf);
    CHECK(leaf->name == QualifiedName{"public", "meas_2024"});
    CHECK(leaf->load_via == QualifiedName{"public", "meas"});
    CHECK(leaf->copy_columns == Names{"id", "logdate", "v"});
}
