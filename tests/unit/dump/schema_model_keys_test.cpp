// Schema model (dump/schema_model.hpp): primary keys, unique constraints,
// unique indexes and foreign keys.

#include "schema_fixtures.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace pgscrub::dump;
using namespace pgscrub::test;

TEST_CASE("Schema model: composite keys, unique constraints and unique indexes", "[schema_model]") {
    const Table& comp = table(real_model(), "public", "comp");
    const UniqueKey& pk = key(comp, "comp_pkey");
    CHECK(pk.primary_key);
    CHECK_FALSE(pk.from_index);
    CHECK(pk.columns == Names{"a", "b"});

    const UniqueKey& nulls = key(comp, "uq_nn");
    CHECK(nulls.columns == Names{"b", "c"});
    CHECK(nulls.nulls_not_distinct);
    CHECK_FALSE(nulls.partial_or_expression);

    const UniqueKey& partial = key(comp, "comp_partial");
    CHECK(partial.from_index);
    CHECK(partial.partial_or_expression);
    CHECK(partial.columns == Names{"b"});
    CHECK(partial.predicate == "(a > 0)");

    const UniqueKey& expression = key(comp, "comp_expr");
    CHECK(expression.partial_or_expression);
    CHECK(expression.columns == Names{"a"});
    CHECK(expression.expressions == Names{"lower(b)"});
    CHECK_FALSE(expression.predicate);

    CHECK(std::none_of(comp.unique_keys.begin(), comp.unique_keys.end(),
                       [](const UniqueKey& k) { return k.name == "comp_plain"; })); // not unique

    const Table& uidx = table(real_model(), "public", "uidx");
    CHECK(key(uidx, "Uidx Id").columns == Names{"id"}); // INCLUDE (email) is not part of the key
    CHECK_FALSE(key(uidx, "Uidx Id").partial_or_expression);
    CHECK(key(uidx, "uidx_email").predicate == "(NOT deleted)");
    CHECK(key(uidx, "uidx_nnd").nulls_not_distinct);
}

TEST_CASE("Schema model: foreign keys", "[schema_model]") {
    const SchemaModel& model = real_model();
    const Table& ref = table(model, "public", "ref");
    REQUIRE(ref.foreign_keys.size() == 1);
    const ForeignKey& fk = ref.foreign_keys[0];
    CHECK(fk.name == "ref_a_b_fkey");
    CHECK(fk.columns == Names{"a", "b"});
    CHECK(fk.referenced_table == QualifiedName{"public", "comp"});
    CHECK(fk.referenced_columns == Names{"a", "b"});

    const Table& fkmulti = table(model, "public", "fkmulti");
    REQUIRE(fkmulti.foreign_keys.size() == 3);
    CHECK(fkmulti.foreign_keys[0].name == "Weird FK");
    CHECK(fkmulti.foreign_keys[0].referenced_table == QualifiedName{"public", "Weird Name"});
    CHECK(fkmulti.foreign_keys[0].referenced_columns == Names{"ID"});

    // ALTER TABLE public.meas (no ONLY) on a partitioned table.
    const Table& meas = table(model, "public", "meas");
    REQUIRE(meas.foreign_keys.size() == 1);
    CHECK(meas.foreign_keys[0].referenced_table == QualifiedName{"public", "fkmulti"});
}
