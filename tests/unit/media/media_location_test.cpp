// Media locations (s3://bucket/prefix or a directory) and the guardrails
// that need no network: a target apart from its source, and no
// production-looking bucket unless allowed.

#include "media/media_location.hpp"

#include "db/guardrails.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub::media;
using pgscrub::db::GuardrailRefusal;

TEST_CASE("media locations: S3 prefixes and local directories", "[media]") {
    MediaLocation s3 = parse_location("s3://media.example.org/site/media");
    CHECK(s3.kind == MediaLocation::Kind::S3);
    CHECK(s3.bucket == "media.example.org"); // dots: path-style addressing keeps TLS working
    CHECK(s3.prefix == "site/media/");
    CHECK(s3.key_of("original_images/a.jpg") == "site/media/original_images/a.jpg");
    CHECK(s3.shown() == "s3://media.example.org/site/media/");
    CHECK(parse_location("s3://bucket").prefix.empty());
    CHECK(parse_location("s3://bucket/").prefix.empty());

    MediaLocation local = parse_location("/srv/media/./x/../y/");
    CHECK(local.kind == MediaLocation::Kind::Local);
    CHECK(local.directory == "/srv/media/y");
    CHECK(parse_location("relative/dir").directory.starts_with("/"));
}

TEST_CASE("media locations: what is not one is a usage error", "[media][errors]") {
    for (const char* bad : {"", "s3://", "s3://Bucket/x", "s3://ab", "s3://-bucket", "s3://a..b/x", "s3://bucket//x",
                            "https://example.org/media", "gs://bucket"}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_location(bad), pgscrub::common::Error);
    }
}

TEST_CASE("media guardrails: a target equal to, inside or containing its source is refused", "[media][guardrails]") {
    auto refused = [](const char* from, const char* to) {
        try {
            check_media_target(parse_location(from), parse_location(to), false);
            return false;
        } catch (const GuardrailRefusal&) {
            return true;
        }
    };
    CHECK(refused("s3://live-media/", "s3://live-media/"));
    CHECK(refused("s3://live-media/site/", "s3://live-media/site/copy/"));
    CHECK(refused("s3://live-media/site/copy/", "s3://live-media/site/"));
    CHECK(refused("s3://live-media/", "s3://live-media/staging/"));
    CHECK(refused("/srv/media", "/srv/media/copy"));
    CHECK(refused("/srv/media/copy", "/srv/media"));
    CHECK(refused("/srv/media", "/srv/media/"));

    CHECK_FALSE(refused("s3://live-media/site/", "s3://live-media/site2/"));
    CHECK_FALSE(refused("s3://live-media/", "s3://staging-media/"));
    CHECK_FALSE(refused("/srv/media", "/srv/media2"));
    CHECK_FALSE(refused("s3://live-media/", "/srv/media"));
}

TEST_CASE("media guardrails: a production-looking target bucket needs allowing", "[media][guardrails]") {
    MediaLocation source = parse_location("s3://staging-media/");
    MediaLocation target = parse_location("s3://www-prod-media/");
    CHECK_THROWS_AS(check_media_target(source, target, false), GuardrailRefusal);
    CHECK_NOTHROW(check_media_target(source, target, true));
    // A production source is the normal case.
    CHECK_NOTHROW(check_media_target(target, source, false));
}
