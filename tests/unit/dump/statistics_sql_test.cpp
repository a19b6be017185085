#include "dump/entry_kinds.hpp"
#include "dump/statistics_sql.hpp"
#include "rules/rules_file.hpp"
#include "scrub/statistics_scrub.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <iterator>
#include <string>
#include <string_view>

using namespace pgscrub;
using dump::QualifiedName;

namespace {

// As pg_dump 18.6 wrote it for the Wagtail-like test site (names changed).
constexpr std::string_view kUsersStatistics = R"sql(SELECT * FROM pg_catalog.pg_restore_relation_stats(
	'version', '180004'::integer,
	'schemaname', 'public',
	'relname', 'users',
	'relpages', '2'::integer,
	'reltuples', '9'::real,
	'relallvisible', '0'::integer,
	'relallfrozen', '0'::integer
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '180004'::integer,
	'schemaname', 'public',
	'relname', 'users',
	'attname', 'email',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '22'::integer,
	'n_distinct', '-1'::real,
	'histogram_bounds', '{ann@example.org,"Margaret O''Neill <mo@example.net>"}'::text,
	'correlation', '0.25714287'::real,
	'most_common_elems', '{a,b}'::text,
	'most_common_elem_freqs', '{0.2,0.2,0.2,0.2}'::real[]
);
SELECT * FROM pg_catalog.pg_restore_attribute_stats(
	'version', '180004'::integer,
	'schemaname', 'public',
	'relname', 'users',
	'attname', 'id',
	'inherited', 'f'::boolean,
	'null_frac', '0'::real,
	'avg_width', '4'::integer,
	'n_distinct', '-1'::real,
	'histogram_bounds', '{1,2,3}'::text,
	'correlation', '1'::real
);
)sql";

dump::Table table(std::string schema, std::string name, std::vector<std::string> columns) {
    dump::Table t;
    t.name = {std::move(schema), std::move(name)};
    for (std::string& c : columns) {
        dump::Column column;
        column.name = c;
        t.columns.push_back(column);
        t.copy_columns.push_back(std::move(c));
    }
    return t;
}

// users: email faked, id and name kept; sessions truncated; events is a
// partitioned parent whose rule fakes ip in its partition events_1.
struct Fixture {
    Fixture() {
        std::vector<dump::Table> tables;
        tables.push_back(table("public", "users", {"id", "email", "name"}));
        tables.push_back(table("public", "sessions", {"key", "data"}));
        dump::Table events = table("public", "events", {"id", "ip"});
        events.partitioned = true;
        events.copy_columns.clear();
        tables.push_back(events);
        dump::Table part = table("public", "events_1", {"id", "ip"});
        part.parents.push_back({"public", "events"});
        tables.push_back(part);
        schema = dump::SchemaModel::from_tables(std::move(tables));
        for (std::string_view sql : {"CREATE INDEX users_lower_email ON public.users USING btree (lower((email)::text));",
                                     "CREATE INDEX users_upper_name ON public.users USING btree (upper(name));",
                                     "CREATE UNIQUE INDEX users_row ON ONLY public.users USING btree (md5((users.*)::text));"}) {
            auto index = scrub::parse_index_definition(sql);
            REQUIRE(index);
            indexes[index->index] = *index;
        }
    }
    rules::RulesFile rules = rules::parse_rules(R"(version: 1
unlisted_tables: fail
unlisted_columns: fail
tables:
  users:
    keep: [id, name]
    columns:
      email: fake_email
  sessions: truncate
  events:
    keep: [id]
    columns:
      ip: fake_ip
)",
                                                "r.yaml");
    dump::SchemaModel schema;
    scrub::IndexDefinitions indexes;
    scrub::StatisticsPolicy policy{rules, schema, indexes};
};

std::string attribute_call(std::string_view relname, std::string_view column_argument, bool inherited = false) {
    return std::string("SELECT * FROM pg_catalog.pg_restore_attribute_stats(\n\t'version', '180004'::integer,\n"
                       "\t'schemaname', 'public',\n\t'relname', '") +
           std::string(relname) + "',\n\t" + std::string(column_argument) + ",\n\t'inherited', '" +
           (inherited ? "t" : "f") + "'::boolean,\n\t'null_frac', '0'::real,\n"
           "\t'most_common_vals', '{secret@example.org}'::text,\n\t'most_common_freqs', '{0.5}'::real[]\n);\n";
}

} // namespace

TEST_CASE("Statistics SQL: parses pg_dump 18's calls and writes them back byte for byte", "[statistics]") {
    std::vector<dump::StatisticsCall> calls = dump::parse_statistics_sql(kUsersStatistics);
    REQUIRE(calls.size() == 3);
    CHECK(calls[0].kind == dump::StatisticsCall::Kind::Relation);
    CHECK(calls[1].kind == dump::StatisticsCall::Kind::Attribute);
    CHECK(calls[1].describe() == "public.users.email");
    // The literal's content, '' undone; the SQL as written, cast and all.
    REQUIRE(calls[1].find("histogram_bounds"));
    CHECK(calls[1].find("histogram_bounds")->value == "{ann@example.org,\"Margaret O'Neill <mo@example.net>\"}");
    CHECK(calls[1].find("most_common_elem_freqs")->sql == "'{0.2,0.2,0.2,0.2}'::real[]");
    CHECK(calls[0].find("reltuples")->sql == "'9'::real");
    CHECK(dump::format_statistics_sql(calls) == kUsersStatistics);
}

TEST_CASE("Statistics SQL: E'' strings, two-word types, expression columns", "[statistics]") {
    auto calls = dump::parse_statistics_sql(
        "SELECT * FROM pg_catalog.pg_restore_attribute_stats('schemaname', E'p\\'s', 'relname', 'i', "
        "'attnum', '2'::smallint, 'null_frac', '0.5'::double precision);");
    REQUIRE(calls.size() == 1);
    CHECK(calls[0].find("schemaname")->value == "p's");
    CHECK(calls[0].find("null_frac")->sql == "'0.5'::double precision");
    CHECK(calls[0].describe() == "p's.i expression #2");
}

TEST_CASE("Statistics SQL: anything else is refused, never passed on", "[statistics]") {
    for (std::string_view bad : {
             "",
             "SELECT pg_catalog.setval('public.s', 1, true);",
             "SELECT * FROM pg_catalog.pg_restore_attribute_stats('schemaname', 'public', 'relname', 't', 'x', 1);",
             "SELECT * FROM pg_catalog.pg_restore_attribute_stats('schemaname', 'public', 'relname', 't', 'x');",
             "SELECT * FROM pg_catalog.pg_restore_attribute_stats('schemaname', 'public', 'relname', 't', 'x', $$v$$);",
             "SELECT * FROM pg_catalog.pg_restore_attribute_stats('schemaname', 'public', 'relname', 't', 'x', 'v' || 'w');",
             "SELECT * FROM pg_catalog.pg_restore_attribute_stats('relname', 't');",
             "SELECT * FROM pg_catalog.pg_restore_relation_stats('schemaname', 'public', 'relname', 't'); DELETE FROM t;",
             "SELECT * FROM pg_catalog.pg_restore_relation_stats('schemaname', 'public', 'relname', 't')",
             "SELECT * FROM pg_catalog.pg_restore_relation_stats('schemaname', 'public', 'relname', 'unterminated);",
         }) {
        CAPTURE(bad);
        CHECK_THROWS_AS(dump::parse_statistics_sql(bad), dump::StatisticsSqlError);
    }
}

TEST_CASE("Statistics SQL: every truncation of real statistics parses whole or is refused", "[statistics]") {
    // Cut anywhere, the text is either still complete calls or an error: never a crash, never a partial call.
    for (std::size_t cut = 0; cut < kUsersStatistics.size(); ++cut) {
        std::string_view part = kUsersStatistics.substr(0, cut);
        try {
            auto calls = dump::parse_statistics_sql(part);
            CHECK(dump::format_statistics_sql(calls).size() <= part.size() + 1);
        } catch (const dump::StatisticsSqlError& e) {
            CHECK(e.offset() <= part.size());
        }
    }
}

TEST_CASE("Statistics SQL: is_statistics_sql tells a plain script's statistics statements", "[statistics]") {
    CHECK(dump::is_statistics_sql("SELECT * FROM pg_catalog.pg_restore_relation_stats(\n"));
    CHECK(dump::is_statistics_sql("  SELECT * FROM pg_catalog.pg_restore_attribute_stats("));
    CHECK_FALSE(dump::is_statistics_sql("SELECT pg_catalog.setval('public.s', 1, true);"));
    CHECK_FALSE(dump::is_statistics_sql("CREATE TABLE pg_restore_relation_stats (a int);"));
}

TEST_CASE("Statistics scrub: a faked column keeps only what is not a value", "[statistics]") {
    Fixture f;
    scrub::StatisticsTally tally;
    std::string out = scrub::scrub_statistics_sql(kUsersStatistics, f.policy, tally);
    CHECK(out.find("example") == std::string::npos);
    CHECK(out.find("most_common_elem") == std::string::npos);
    // The kept id column keeps its histogram; the faked e-mail its null fraction and width.
    CHECK(out.find("'histogram_bounds', '{1,2,3}'::text") != std::string::npos);
    CHECK(out.find("'avg_width', '22'::integer") != std::string::npos);
    CHECK(out.find("'reltuples', '9'::real") != std::string::npos);
    CHECK(tally.entries == 1);
    CHECK(tally.entries_changed == 1);
    CHECK(tally.attribute_calls == 2);
    CHECK(tally.attribute_calls_stripped == 1);
    CHECK(tally.value_arguments_removed == 3);
    CHECK(tally.relations_emptied == 0);
}

TEST_CASE("Statistics scrub: kept statistics come back unchanged, byte for byte", "[statistics]") {
    Fixture f;
    scrub::StatisticsTally tally;
    std::string kept = attribute_call("users", "'attname', 'name'");
    CHECK(scrub::scrub_statistics_sql(kept, f.policy, tally) == kept);
    CHECK(tally.entries_changed == 0);
}

TEST_CASE("Statistics scrub: a truncated table says 0 rows and loses its column statistics", "[statistics]") {
    Fixture f;
    scrub::StatisticsTally tally;
    std::string sql = "SELECT * FROM pg_catalog.pg_restore_relation_stats(\n\t'version', '180004'::integer,\n"
                      "\t'schemaname', 'public',\n\t'relname', 'sessions',\n\t'relpages', '7'::integer,\n"
                      "\t'reltuples', '120'::real,\n\t'relallvisible', '3'::integer\n);\n" +
                      attribute_call("sessions", "'attname', 'data'");
    std::string out = scrub::scrub_statistics_sql(sql, f.policy, tally);
    CHECK(out == "SELECT * FROM pg_catalog.pg_restore_relation_stats(\n\t'version', '180004'::integer,\n"
                 "\t'schemaname', 'public',\n\t'relname', 'sessions',\n\t'relpages', '0'::integer,\n"
                 "\t'reltuples', '0'::real,\n\t'relallvisible', '0'::integer\n);\n");
    CHECK(tally.relations_emptied == 1);
    CHECK(tally.attribute_calls_removed == 1);
}

TEST_CASE("Statistics scrub: a partitioned parent follows its partitions", "[statistics]") {
    Fixture f;
    scrub::StatisticsTally tally;
    // ip is faked in the partition: the parent's inherited statistics lose their values.
    std::string out = scrub::scrub_statistics_sql(attribute_call("events", "'attname', 'ip'", true), f.policy, tally);
    CHECK(out.find("secret") == std::string::npos);
    std::string id = attribute_call("events", "'attname', 'id'", true);
    CHECK(scrub::scrub_statistics_sql(id, f.policy, tally) == id);
}

TEST_CASE("Statistics scrub: expression indexes follow the columns they name", "[statistics]") {
    Fixture f;
    scrub::StatisticsTally tally;
    std::string on_email = attribute_call("users_lower_email", "'attnum', '1'::smallint");
    CHECK(scrub::scrub_statistics_sql(on_email, f.policy, tally).find("secret") == std::string::npos);
    std::string on_name = attribute_call("users_upper_name", "'attnum', '1'::smallint");
    CHECK(scrub::scrub_statistics_sql(on_name, f.policy, tally) == on_name);
    // The whole row: every column counts.
    std::string on_row = attribute_call("users_row", "'attnum', '1'::smallint");
    CHECK(scrub::scrub_statistics_sql(on_row, f.policy, tally).find("secret") == std::string::npos);
}

TEST_CASE("Statistics scrub: what the rules do not describe keeps no values", "[statistics]") {
    Fixture f;
    scrub::StatisticsTally tally;
    // A materialized view, an index pgscrub never saw, a future argument.
    for (std::string_view relname : {"user_emails_mv", "unknown_index"}) {
        std::string out = scrub::scrub_statistics_sql(attribute_call(relname, "'attname', 'email'"), f.policy, tally);
        CHECK(out.find("secret") == std::string::npos);
        CHECK(out.find("'null_frac', '0'::real") != std::string::npos);
    }
    std::string future = "SELECT * FROM pg_catalog.pg_restore_relation_stats('schemaname', 'public', 'relname', 'users', "
                         "'relpages', '1'::integer, 'sample_rows', '{ann@example.org}'::text);";
    CHECK(scrub::scrub_statistics_sql(future, f.policy, tally).find("ann@") == std::string::npos);
}

TEST_CASE("Entry kinds: every kind pgscrub knows is documented in docs/formats.md", "[statistics]") {
    std::ifstream docs(std::string(PGSCRUB_SOURCE_DIR) + "/docs/formats.md");
    REQUIRE(docs);
    std::string text((std::istreambuf_iterator<char>(docs)), std::istreambuf_iterator<char>());
    for (const dump::EntryKind& kind : dump::entry_kinds()) {
        CAPTURE(kind.desc);
        CHECK(text.find("`" + std::string(kind.desc) + "`") != std::string::npos);
    }
    CHECK(dump::find_entry_kind("STATISTICS DATA"));
    CHECK(dump::carries_row_values(dump::find_entry_kind("STATISTICS DATA")->content));
    CHECK_FALSE(dump::carries_row_values(dump::find_entry_kind("SEQUENCE SET")->content));
    CHECK_FALSE(dump::find_entry_kind("pg_largeobject")); // --binary-upgrade only: refused unless allowed
}

TEST_CASE("Statistics scrub: generated and unnamed columns keep values only where the rules keep their sources", "[statistics]") {
    // Regression (review): a generated column (no rule may name it) and a
    // column no rule names counted as kept, so lower(email)'s histogram
    // passed on the addresses the rules replace.
    std::vector<dump::Table> tables;
    dump::Table users = table("public", "users", {"id", "email", "name"});
    dump::Column lowered;
    lowered.name = "email_lower";
    lowered.generated_expr = "lower((email)::text)";
    users.columns.push_back(lowered);
    dump::Column initial;
    initial.name = "initial";
    initial.generated_expr = "\"left\"(name, 1)";
    users.columns.push_back(initial);
    tables.push_back(users);
    tables.push_back(table("public", "unruled", {"note"})); // no data in this dump, no rule
    dump::SchemaModel schema = dump::SchemaModel::from_tables(std::move(tables));
    scrub::IndexDefinitions no_indexes;
    rules::RulesFile rules = rules::parse_rules(
        "version: 1\nunlisted_tables: fail\nunlisted_columns: fail\ntables:\n  users:\n    keep: [id, name]\n"
        "    columns:\n      email: fake_email\n",
        "r.yaml");
    scrub::StatisticsPolicy policy(rules, schema, no_indexes);
    using Fate = scrub::StatisticsPolicy::ColumnFate;
    CHECK(policy.column({"public", "users"}, std::string("email_lower"), false) == Fate::StripValues);
    CHECK(policy.column({"public", "users"}, std::string("initial"), false) == Fate::Keep);
    CHECK(policy.column({"public", "unruled"}, std::string("note"), false) == Fate::StripValues);
    rules::RulesFile keep_unnamed = rules::parse_rules("version: 1\nunlisted_tables: keep\ntables: {}\n", "k.yaml");
    scrub::StatisticsPolicy lenient(keep_unnamed, schema, no_indexes);
    CHECK(lenient.column({"public", "unruled"}, std::string("note"), false) == Fate::Keep);
}

TEST_CASE("Statistics scrub: an inherited flag other than 't' or 'f' is refused", "[statistics]") {
    Fixture f;
    scrub::StatisticsTally tally;
    std::string odd = attribute_call("events", "'attname', 'ip'");
    odd.replace(odd.find("'f'::boolean"), 3, "'on'");
    CHECK_THROWS_AS(scrub::scrub_statistics_sql(odd, f.policy, tally), dump::StatisticsSqlError);
}
