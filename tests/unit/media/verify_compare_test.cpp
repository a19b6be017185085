// The pure decisions of media verify: which ETags are MD5s, how contents are
// compared with as few downloads as are sound, which keys are compared,
// missing or only in the target, and --expect's TABLE.COLUMN.

#include "media/verify_compare.hpp"

#include "common/error.hpp"
#include "net/content_md5.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub::media;

namespace {

ListedObject object(std::string key, std::uint64_t size = 1) {
    return ListedObject{std::move(key), size, "\"e\"", std::nullopt};
}

std::vector<std::string> keys(const std::vector<const ListedObject*>& objects) {
    std::vector<std::string> out;
    for (const ListedObject* o : objects) out.push_back(o->key);
    return out;
}

// A side whose real MD5 is `actual`, counting how often it is computed (a
// download or a file read).
struct Side {
    std::string actual;
    int reads = 0;
    ContentDigest digest(std::optional<std::string> claimed) {
        return ContentDigest(std::move(claimed), [this] {
            ++reads;
            return actual;
        });
    }
};

const std::string kA = "0123456789abcdef0123456789abcdef";
const std::string kB = "fedcba9876543210fedcba9876543210";

} // namespace

TEST_CASE("media verify: a single-part ETag is an MD5, a multipart or malformed one is not", "[media]") {
    CHECK(md5_of_etag("\"9B2CF535F27731C974343645A3985328\"") == "9b2cf535f27731c974343645a3985328");
    CHECK(md5_of_etag("9b2cf535f27731c974343645a3985328") == "9b2cf535f27731c974343645a3985328");
    CHECK_FALSE(md5_of_etag("\"d41d8cd98f00b204e9800998ecf8427e-2\""));
    CHECK_FALSE(md5_of_etag("W/\"9b2cf535f27731c974343645a3985328\""));
    CHECK_FALSE(md5_of_etag("\"9b2cf535f27731c974343645a398532\""));
    CHECK_FALSE(md5_of_etag("\"9b2cf535f27731c974343645a398532g\""));
    CHECK_FALSE(md5_of_etag(""));
    // A local file's fingerprint (size:mtime) never passes for one.
    CHECK_FALSE(md5_of_etag("1234:1700000000.123456789"));
}

TEST_CASE("media verify: MD5 agrees with the published test vectors", "[media]") {
    CHECK(pgscrub::net::md5_hex("") == "d41d8cd98f00b204e9800998ecf8427e");
    CHECK(pgscrub::net::md5_hex("The quick brown fox jumps over the lazy dog") == "9e107d9d372bb6826bd81d3542a419d6");
    pgscrub::net::Md5 pieces;
    pieces.update("The quick brown fox ");
    pieces.update("jumps over the lazy dog");
    CHECK(pieces.finish_hex() == "9e107d9d372bb6826bd81d3542a419d6");
}

TEST_CASE("media verify: equal ETags on both sides match without reading either", "[media]") {
    Side source{kA}, target{kA};
    ContentDigest s = source.digest(kA), t = target.digest(kA);
    CHECK(same_content(s, t));
    CHECK(source.reads == 0);
    CHECK(target.reads == 0);
}

TEST_CASE("media verify: a local file against an ETag reads only the file", "[media]") {
    Side local{kA}, bucket{kA};
    ContentDigest s = local.digest(std::nullopt), t = bucket.digest(kA);
    CHECK(same_content(s, t));
    CHECK(local.reads == 1);
    CHECK(bucket.reads == 0);
}

TEST_CASE("media verify: a difference is never taken from an ETag alone", "[media]") {
    SECTION("an SSE-KMS ETag is not the MD5: the download shows the bytes are equal") {
        Side source{kA}, target{kA};
        ContentDigest s = source.digest(kA), t = target.digest(kB);
        CHECK(same_content(s, t));
        CHECK(target.reads == 1);
    }
    SECTION("really different bytes: both sides are read, once each") {
        Side source{kA}, target{kB};
        ContentDigest s = source.digest(kA), t = target.digest(kB);
        CHECK_FALSE(same_content(s, t));
        CHECK(source.reads == 1);
        CHECK(target.reads == 1);
    }
    SECTION("a cleaned image's MD5 against the target's ETag") {
        Side target{kA};
        ContentDigest claimed_other = target.digest(kB);
        CHECK(holds_content(claimed_other, kA));
        CHECK(target.reads == 1);
        ContentDigest matching = target.digest(kA);
        CHECK(holds_content(matching, kA));
        CHECK(target.reads == 1);
    }
}

TEST_CASE("media verify: keys are compared, missing or only in the target, inside the filter", "[media]") {
    std::vector<ListedObject> source{object("original_images/b.jpg"), object("original_images/a.jpg"),
                                     object("documents/x.pdf"), object("original_images/c.jpg")};
    std::vector<ListedObject> target{object("original_images/a.jpg"), object("original_images/z.jpg"),
                                     object("documents/own.pdf"), object("original_images/b.jpg")};
    VerifyPlan all = plan_verify(source, target, KeyFilter{});
    REQUIRE(all.both.size() == 2);
    CHECK(all.both[0].source->key == "original_images/a.jpg");
    CHECK(all.both[0].target->key == "original_images/a.jpg");
    CHECK(keys(all.missing) == std::vector<std::string>{"documents/x.pdf", "original_images/c.jpg"});
    CHECK(keys(all.extra) == std::vector<std::string>{"documents/own.pdf", "original_images/z.jpg"});
    CHECK(all.outside_filter == 0);

    VerifyPlan originals = plan_verify(source, target, preset_filter("wagtail-originals"));
    CHECK(keys(originals.missing) == std::vector<std::string>{"original_images/c.jpg"});
    CHECK(keys(originals.extra) == std::vector<std::string>{"original_images/z.jpg"});
    CHECK(originals.outside_filter == 1);
}

TEST_CASE("media verify: --expect takes TABLE.COLUMN or SCHEMA.TABLE.COLUMN", "[media]") {
    ExpectedColumn plain = parse_expected_column("wagtailimages_image.file");
    CHECK(plain.table == "wagtailimages_image");
    CHECK(plain.column == "file");
    ExpectedColumn schema = parse_expected_column("cms.wagtaildocs_document.file");
    CHECK(schema.table == "cms.wagtaildocs_document");
    CHECK(schema.column == "file");
    for (const char* bad : {"file", ".file", "table.", "a..b", ""}) {
        INFO(bad);
        CHECK_THROWS_AS(parse_expected_column(bad), pgscrub::common::Error);
    }
}

TEST_CASE("media verify: keys a column names that the target lacks, empty values and repeats left out", "[media]") {
    std::vector<ListedObject> target{object("documents/a.pdf"), object("original_images/p.jpg")};
    std::vector<std::string> values{"original_images/p.jpg", "", "original_images/gone.jpg", "documents/a.pdf",
                                    "original_images/gone.jpg"};
    CHECK(keys_not_in(values, target) == std::vector<std::string>{"original_images/gone.jpg"});
    CHECK(keys_not_in({}, target).empty());
}
