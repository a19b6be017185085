// The backup manifest (FILE.manifest.json beside a backup): its keys, their
// order and its layout are what docs/commands.md shows and what scripts read.

#include "common/version.hpp"
#include "db/database_address.hpp"
#include "db/database_dump.hpp"

#include <catch2/catch.hpp>

#include <string>

using namespace pgscrub;

TEST_CASE("backup manifest: fixed keys in a fixed order, indented, password masked", "[db][backup]") {
    db::BackupResult backup;
    backup.path = "/srv/backups/staging-20261124.dump";
    backup.size = 52428800;
    backup.sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    backup.database = "sta\"ging\\é";
    backup.server_version = "15.5 (Debian 15.5-0+deb12u1)";
    backup.pg_dump_version = "pg_dump (PostgreSQL) 15.5 (Debian 15.5-0+deb12u1)";
    backup.created_at = "2026-11-24T07:00:00Z";
    backup.seconds = 3.2144;
    const auto source = db::DatabaseAddress::parse("postgresql://app:s3cret@db.example.org:5432/staging");
    CHECK(db::backup_manifest_json(backup, source) ==
          "{\n"
          "  \"file\": \"staging-20261124.dump\",\n"
          "  \"format\": \"custom\",\n"
          "  \"size\": 52428800,\n"
          "  \"sha256\": \"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\n"
          "  \"database\": \"sta\\\"ging\\\\é\",\n"
          "  \"host\": \"db.example.org\",\n"
          "  \"port\": \"5432\",\n"
          "  \"address\": \"postgresql://app:***@db.example.org:5432/staging\",\n"
          "  \"server_version\": \"15.5 (Debian 15.5-0+deb12u1)\",\n"
          "  \"pg_dump_version\": \"pg_dump (PostgreSQL) 15.5 (Debian 15.5-0+deb12u1)\",\n"
          "  \"created_at\": \"2026-11-24T07:00:00Z\",\n"
          "  \"seconds\": 3.214,\n"
          "  \"pgscrub_version\": \"" +
              std::string(version_string()) +
              "\"\n"
              "}\n");

    // A socket address has no host: the manifest says so rather than "".
    backup.path = "plain-name.dump";
    const std::string local = db::backup_manifest_json(backup, db::DatabaseAddress::parse("postgresql:///staging"));
    CHECK(local.find("  \"file\": \"plain-name.dump\",\n") != std::string::npos);
    CHECK(local.find("  \"host\": \"(local socket)\",\n") != std::string::npos);
}
