// Database addresses: URLs and conninfo strings as libpq reads them, shown
// with their passwords masked.

#include "db/database_address.hpp"
#include "dump/archive_error.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace pgscrub;

TEST_CASE("DatabaseAddress: URLs and conninfo parsed by libpq, passwords masked", "[db]") {
    auto url = db::DatabaseAddress::parse("postgresql://app:s3cr3t%40x@db.internal:6432/staging?sslmode=require");
    CHECK(url.host == "db.internal");
    CHECK(url.port == "6432");
    CHECK(url.dbname == "staging");
    CHECK(url.user == "app");
    CHECK(url.has_password);
    CHECK(url.describe().str() == "postgresql://app:***@db.internal:6432/staging?sslmode=require");
    auto info = db::DatabaseAddress::parse("host=/run/pg dbname=prod password='a b\\'c' user=x");
    CHECK(info.dbname == "prod");
    CHECK(info.describe().str().find("a b") == std::string::npos);
    CHECK(common::mask_secrets("postgres://u:pw@h/d?password=also").str() == "postgres://u:***@h/d?password=***");
    CHECK_THROWS_WITH(db::DatabaseAddress::parse("host=x password=hunter2 nonsense"),
                      !Catch::Contains("hunter2") && Catch::Contains("invalid database address"));
}
