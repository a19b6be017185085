// The pure parts of the database side (db/): how a command line is masked,
// how an address is rebuilt for another database or a child tool, which
// targets look like production or like the source, the confirmation rules
// that need no connection, side database names, and when an archive needs
// Heroku's heroku_ext schema.

#include "archive_builders.hpp"
#include "common/utc_time.hpp"
#include "db/archive_restore.hpp"
#include "db/connection_string.hpp"
#include "db/database_admin.hpp"
#include "db/guardrails.hpp"
#include "db/pg_tools.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <string>

using namespace pgscrub::db;
using pgscrub::common::ChildCommand;
using pgscrub::common::describe_command;

namespace {

// Sets (or unsets) libpq's environment defaults for one test, restoring them after.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        const char* old = std::getenv(name);
        if (old) old_ = old;
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (old_) ::setenv(name_.c_str(), old_->c_str(), 1);
        else ::unsetenv(name_.c_str());
    }

private:
    std::string name_;
    std::optional<std::string> old_;
};

struct CleanLibpqEnv {
    ScopedEnv host{"PGHOST", nullptr}, port{"PGPORT", nullptr}, database{"PGDATABASE", nullptr}, user{"PGUSER", "app"};
};

DatabaseAddress at(const std::string& text) { return DatabaseAddress::parse(text); }

} // namespace

TEST_CASE("a command line is shown with every password masked", "[restore]") {
    ChildCommand command("pg_dump", "/usr/bin/pg_dump", pgscrub::common::ErrorKind::Database);
    connect_to(command, at("postgresql://app:S3cret-pw@db.example.org:5433/staging?sslmode=require"));
    // The password travels in the environment, not in the arguments.
    for (const std::string& argument : command.arguments) CHECK(argument.find("S3cret-pw") == std::string::npos);
    REQUIRE(command.environment.size() == 1);
    CHECK(command.environment[0].first == "PGPASSWORD");
    CHECK(command.environment[0].second == "S3cret-pw");
    std::string shown = describe_command(command);
    CHECK(shown.find("S3cret-pw") == std::string::npos);
    CHECK(shown.find("PGPASSWORD=***") == 0);
    CHECK(shown.find("--no-password") != std::string::npos);
    CHECK(shown.find("dbname='staging'") != std::string::npos);
    CHECK(shown.find("sslmode='require'") != std::string::npos);

    // An argument that carries a password anyway is masked too.
    command.arguments.push_back("postgresql://u:other-secret@h/db");
    command.arguments.push_back("password='quoted secret'");
    shown = describe_command(command);
    CHECK(shown.find("other-secret") == std::string::npos);
    CHECK(shown.find("quoted secret") == std::string::npos);
}

TEST_CASE("an address is rebuilt for another database with the same server and credentials", "[restore]") {
    DatabaseAddress target = at("postgresql://app:pa'ss@db.example.org:5433/staging?sslmode=require");
    DatabaseAddress maintenance = with_database(target, "postgres");
    CHECK(maintenance.dbname == "postgres");
    CHECK(maintenance.host == "db.example.org");
    CHECK(maintenance.port == "5433");
    CHECK(maintenance.user == "app");
    CHECK(maintenance.has_password);
    CHECK(maintenance.describe().str().find("pa'ss") == std::string::npos);

    // Names with spaces, quotes, backslashes and '=' survive the quoting.
    for (const std::string name : {"my db", "it's", "back\\slash", "a=b", "Ünïcödé"}) {
        CHECK(with_database(at("host=/tmp dbname=x"), name).dbname == name);
    }
    CHECK(build_conninfo({{"host", "/tmp"}, {"dbname", "a b"}}) == "host='/tmp' dbname='a b'");
    CHECK(conninfo_quote("it's \\") == "'it\\'s \\\\'");

    ToolConnection tool = tool_connection(target);
    CHECK(tool.password == "pa'ss");
    CHECK(tool.conninfo.find("password") == std::string::npos);
    CHECK(at(tool.conninfo).dbname == "staging");
}

TEST_CASE("production-like names and hosts", "[restore]") {
    CHECK(looks_production_like("prod"));
    CHECK(looks_production_like("Production"));
    CHECK(looks_production_like("app_PROD_copy"));
    CHECK(looks_production_like("db-prod.example.org"));
    // Conservative: "product" contains it too; such a target needs the explicit allowance.
    CHECK(looks_production_like("products"));
    CHECK_FALSE(looks_production_like("staging"));
    CHECK_FALSE(looks_production_like("pr_od"));
}

TEST_CASE("source and target that could be the same database", "[restore]") {
    CleanLibpqEnv env;
    // Every local spelling is one host.
    CHECK(could_be_same_database(at("postgresql:///app"), at("postgresql://localhost/app")));
    CHECK(could_be_same_database(at("host=/var/run/postgresql dbname=app"), at("postgresql://127.0.0.1:5432/app")));
    CHECK(could_be_same_database(at("postgresql://[::1]/app"), at("dbname=app")));
    CHECK(could_be_same_database(at("postgresql://DB.example.org/app"), at("postgresql://db.example.org:5432/app")));
    // A multi-host list matches when any of its hosts does.
    CHECK(could_be_same_database(at("postgresql://a.example.org,b.example.org/app"), at("postgresql://b.example.org/app")));
    // An empty database name is the user's name.
    CHECK(could_be_same_database(at("postgresql://app@db.example.org"), at("postgresql://db.example.org/app")));

    CHECK_FALSE(could_be_same_database(at("postgresql:///app"), at("postgresql:///app_staging")));
    CHECK_FALSE(could_be_same_database(at("postgresql://localhost:5432/app"), at("postgresql://localhost:5433/app")));
    CHECK_FALSE(could_be_same_database(at("postgresql://db1.example.org/app"), at("postgresql://db2.example.org/app")));

    SECTION("an empty port is PGPORT") {
        ScopedEnv port("PGPORT", "5433");
        CHECK(could_be_same_database(at("postgresql:///app"), at("postgresql://localhost:5433/app")));
        CHECK_FALSE(could_be_same_database(at("postgresql:///app"), at("postgresql://localhost:5432/app")));
    }
}

TEST_CASE("the refusals that need no connection", "[restore]") {
    CleanLibpqEnv env;
    DatabaseAddress staging = at("postgresql://app:pw-1234@db.example.org/staging");
    TargetGuardrails g;

    g.confirm = "";
    CHECK_THROWS_WITH(check_target_offline(staging, g), Catch::Contains("without a confirmation"));
    g.confirm = "stagin";
    CHECK_THROWS_WITH(check_target_offline(staging, g), Catch::Contains("is not its database name \"staging\""));
    g.confirm = "staging";
    CHECK_NOTHROW(check_target_offline(staging, g));

    g.source = at("postgresql://app@DB.example.org:5432/staging");
    CHECK_THROWS_WITH(check_target_offline(staging, g), Catch::Contains("could be the source database"));
    g.source = at("postgresql://app@prod-db.example.org/staging");
    CHECK_NOTHROW(check_target_offline(staging, g));

    DatabaseAddress prod = at("postgresql://app:pw-1234@db.example.org/app_production");
    TargetGuardrails p;
    p.confirm = "app_production";
    CHECK_THROWS_WITH(check_target_offline(prod, p), Catch::Contains("looks like production"));
    CHECK_THROWS_AS(check_target_offline(prod, p), GuardrailRefusal);
    p.allow_production_like_target = true;
    CHECK_NOTHROW(check_target_offline(prod, p));
    CHECK_THROWS_WITH(check_target_offline(at("postgresql://u:pw-1234@prod.internal/staging"), g), Catch::Contains("looks like production"));

    // No refusal ever shows the password.
    for (const std::string confirm : {"", "x", "staging"}) {
        TargetGuardrails q;
        q.confirm = confirm;
        q.source = at("postgresql://app:pw-1234@db.example.org/staging");
        try {
            check_target_offline(staging, q);
        } catch (const GuardrailRefusal& e) {
            CHECK(std::string(e.what()).find("pw-1234") == std::string::npos);
            CHECK(std::string(e.what()).find('\n') == std::string::npos);
        }
    }
}

TEST_CASE("database names beside a target fit PostgreSQL's 63 bytes", "[restore]") {
    CHECK(side_database_name("staging", "old", "20261124_070000") == "staging_pgscrub_old_20261124_070000");
    std::string long_name(80, 'a');
    std::string side = side_database_name(long_name, "new", "20261124_070000");
    CHECK(side.size() == 63);
    CHECK(side.substr(side.size() - 28) == "_pgscrub_new_20261124_070000");
    // Never cut inside a UTF-8 character ("é" is 2 bytes).
    std::string accented;
    for (int i = 0; i < 40; ++i) accented += "é";
    std::string cut = side_database_name(accented, "old", "20261124_070000");
    CHECK(cut.size() <= 63);
    CHECK(cut.substr(0, cut.size() - 28).size() % 2 == 0);
    CHECK(pgscrub::common::compact_utc_stamp().size() == 15);
}

TEST_CASE("an archive needs heroku_ext when it refers to it without creating it", "[restore]") {
    using pgscrub::dump::ArchiveModel;
    using pgscrub::dump::TocEntry;
    auto entry = [](std::string desc, std::string tag, std::string defn, std::optional<std::string> ns = std::nullopt) {
        TocEntry e;
        e.desc = desc;
        e.tag = tag;
        e.defn = defn;
        e.namespace_ = ns;
        return e;
    };
    ArchiveModel plain;
    plain.entries.push_back(entry("EXTENSION", "citext", "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA public;\n"));
    CHECK_FALSE(archive_needs_heroku_ext(plain));

    ArchiveModel heroku;
    heroku.entries.push_back(entry("EXTENSION", "citext", "CREATE EXTENSION IF NOT EXISTS citext WITH SCHEMA heroku_ext;\n"));
    heroku.entries.push_back(entry("TABLE", "users", "CREATE TABLE public.users (email heroku_ext.citext);\n", "public"));
    CHECK(archive_needs_heroku_ext(heroku));

    ArchiveModel creates = heroku;
    creates.entries.insert(creates.entries.begin(), entry("SCHEMA", "heroku_ext", "CREATE SCHEMA heroku_ext;\n"));
    CHECK_FALSE(archive_needs_heroku_ext(creates));
}

TEST_CASE("pg_restore's command line: no owners, no grants, stop at the first error", "[restore]") {
    pgscrub::test::TempDir bin;
    pgscrub::test::write_file(bin / "pg_restore", "#!/bin/sh\n");
    std::filesystem::permissions(bin / "pg_restore", std::filesystem::perms::owner_all);
    PgTools tools(bin.path() + "/");
    DatabaseAddress target = at("postgresql://app:pw-1234@db.example.org/staging");

    ChildCommand plain = pg_restore_command("in.dump", target, RestoreOptions{}, tools);
    CHECK(plain.program == bin / "pg_restore");
    CHECK(describe_command(plain) == "PGPASSWORD=*** " + bin / "pg_restore" +
                                         " --exit-on-error --no-owner --no-acl --no-password"
                                         " --dbname \"user='app' dbname='staging' host='db.example.org'\" in.dump");
    RestoreOptions all;
    all.jobs = 4;
    all.clean = true;
    all.keep_owner = true;
    all.keep_acl = true;
    ChildCommand full = pg_restore_command("", target, all, tools);
    CHECK(full.input == ChildCommand::Input::Pipe);
    std::string shown = describe_command(full);
    CHECK(shown.find("--no-owner") == std::string::npos);
    CHECK(shown.find("--no-acl") == std::string::npos);
    CHECK(shown.find("--clean --if-exists --jobs=4") != std::string::npos);
    // The clean phase's errors are judged one by one instead (RestoreOptions::clean).
    CHECK(shown.find("--exit-on-error") == std::string::npos);

    RestoreOptions both;
    both.jobs = 2;
    both.single_transaction = true;
    CHECK_THROWS_WITH(pg_restore_command("in.dump", target, both, tools), Catch::Contains("one transaction"));
    CHECK_THROWS_WITH(PgTools(bin.path()).path("pg_dump"), Catch::Contains("no executable pg_dump in " + bin.path()));
}
