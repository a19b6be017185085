// Redis addresses as a runbook gives them: every form Django and Heroku
// settings use, and a one-line error with the URL masked for the rest.

#include "dump/archive_error.hpp"
#include "runbook/site_checks.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub;
using pgscrub::runbook::parse_redis_url;
using pgscrub::runbook::RedisAddress;

namespace {

std::string error_of(const std::string& url) {
    try {
        parse_redis_url(url);
    } catch (const common::Error& e) {
        return e.describe();
    }
    FAIL("no error for " << url);
    return "";
}

} // namespace

TEST_CASE("parse_redis_url reads host, port, database and credentials", "[site_checks]") {
    RedisAddress a = parse_redis_url("redis://127.0.0.1:6380/3");
    CHECK(a.host == "127.0.0.1");
    CHECK(a.port == 6380);
    CHECK(a.database == 3);
    CHECK_FALSE(a.has_password);
    CHECK(a.shown.str() == "redis://127.0.0.1:6380/3");

    a = parse_redis_url("redis://:pw%40x%2Fy@cache.internal/0");
    CHECK(a.user.empty());
    CHECK(a.has_password);
    CHECK(a.password == "pw@x/y");
    CHECK(a.port == 6379);
    CHECK(a.shown.str() == "redis://***@cache.internal/0");

    a = parse_redis_url("redis://default:s3cret@cache/1");
    CHECK(a.user == "default");
    CHECK(a.password == "s3cret");

    // Old Heroku Redis: user "h", a password, a port of its own.
    a = parse_redis_url("redis://h:p4ss@ec2-1-2-3-4.compute-1.amazonaws.com:12345");
    CHECK(a.user == "h");
    CHECK(a.port == 12345);
    CHECK(a.database == 0);

    a = parse_redis_url("redis://[::1]:6379/1");
    CHECK(a.host == "::1");
    CHECK(a.database == 1);

    a = parse_redis_url("redis://localhost?db=2&socket_timeout=5");
    CHECK(a.database == 2);

    a = parse_redis_url("redis://");
    CHECK(a.host == "localhost");
    CHECK(a.port == 6379);
    CHECK(a.database == 0);

    a = parse_redis_url("REDIS://user@host/"); // a user without a password sends no AUTH
    CHECK_FALSE(a.has_password);
    CHECK(a.database == 0);
}

TEST_CASE("parse_redis_url refuses what it cannot use, masking the URL", "[site_checks][errors]") {
    // rediss:// (TLS) parses like redis://; its errors are masked the same way.
    runbook::RedisAddress tls = runbook::parse_redis_url("rediss://:s3cr3t@cache.example:6380/2");
    CHECK(tls.tls);
    CHECK(tls.host == "cache.example");
    CHECK(tls.port == 6380);
    CHECK(tls.database == 2);
    CHECK(tls.password == "s3cr3t");
    CHECK_FALSE(runbook::parse_redis_url("redis://cache.example/0").tls);
    std::string e = error_of("rediss://:s3cr3t@cache.example:6380/x");
    CHECK_THAT(e, Catch::StartsWith("rediss://***@cache.example:6380/x: "));
    CHECK(e.find("s3cr3t") == std::string::npos);

    CHECK_THAT(error_of("redis://:s3cr3t@host/cache"), Catch::Contains("the database is not a number"));
    CHECK(error_of("redis://:s3cr3t@host/cache").find("s3cr3t") == std::string::npos);
    CHECK_THAT(error_of("redis://host:99999/0"), Catch::Contains("not a TCP port"));
    CHECK_THAT(error_of("redis://host:0/0"), Catch::Contains("not a TCP port"));
    CHECK_THAT(error_of("redis://host/1?db=2"), Catch::Contains("twice"));
    CHECK_THAT(error_of("redis://host/-1"), Catch::Contains("not a number"));
    CHECK_THAT(error_of("unix:///run/redis.sock"), Catch::Contains("not supported"));
    CHECK_THAT(error_of("http://host/"), Catch::Contains("not a Redis URL"));
    CHECK_THAT(error_of("cache:6379"), Catch::Contains("not a Redis URL"));
    // A raw '/' in the password: the URL cannot be split, and nothing of it is shown.
    e = error_of("redis://:se/cr3t@host/0");
    CHECK_THAT(e, Catch::StartsWith("redis://***: "));
    CHECK(e.find("cr3t") == std::string::npos);
    e = error_of("redis://:p@ss/w0rd-s3cr3t@host:6379/1"); // "ss" looks like the host, the rest like the path
    CHECK_THAT(e, Catch::StartsWith("redis://***: not a Redis URL"));
    CHECK_THAT(e, Catch::Contains("percent-encode"));
    CHECK(e.find("s3cr3t") == std::string::npos);
}
