// What a media sync copies and deletes, from two listings: missing keys,
// changed sources, edits on the target (also of the same size), filters and
// presets, and a second run that copies nothing.

#include "media/sync_plan.hpp"

#include "common/error.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub::media;

namespace {

ListedObject source_object(std::string key, std::uint64_t size, std::string etag) {
    return ListedObject{std::move(key), size, std::move(etag), std::nullopt};
}

// A target object as pgscrub leaves it after copying `source`.
ListedObject copied(const ListedObject& source, std::string own_fingerprint) {
    ListedObject object{source.key, source.size, own_fingerprint, ListedObject::Record{source.fingerprint, source.size, own_fingerprint}};
    return object;
}

std::vector<std::string> copied_keys(const SyncPlan& plan) {
    std::vector<std::string> keys;
    for (const auto& c : plan.copies) keys.push_back(c.key);
    return keys;
}

} // namespace

TEST_CASE("media sync: missing keys are copied, and a second run copies nothing", "[media]") {
    std::vector<ListedObject> source{source_object("original_images/b.jpg", 20, "\"e2\""),
                                     source_object("original_images/a.jpg", 10, "\"e1\"")};
    SyncPlan first = plan_sync(source, {}, KeyFilter{}, false);
    CHECK(copied_keys(first) == std::vector<std::string>{"original_images/a.jpg", "original_images/b.jpg"});
    CHECK(first.bytes_to_copy == 30);
    CHECK(std::string(first.copies[0].why) == "missing");

    std::vector<ListedObject> target{copied(source[0], "t2"), copied(source[1], "t1")};
    SyncPlan second = plan_sync(source, target, KeyFilter{}, false);
    CHECK(second.copies.empty());
    CHECK(second.unchanged == 2);
}

TEST_CASE("media sync: a changed source copies again, even at the same size", "[media]") {
    ListedObject before = source_object("documents/x.pdf", 100, "\"old\"");
    ListedObject after = source_object("documents/x.pdf", 100, "\"new\"");
    SyncPlan plan = plan_sync({after}, {copied(before, "t")}, KeyFilter{}, false);
    REQUIRE(plan.copies.size() == 1);
    CHECK(std::string(plan.copies[0].why) == "source changed");
}

TEST_CASE("media sync: an edit on the target of the same size is noticed and reverted", "[media]") {
    // aws s3 sync compares sizes and times only: a staging edit of the same
    // size survives every later sync. pgscrub compares fingerprints.
    ListedObject source = source_object("original_images/p.png", 50, "\"s\"");
    ListedObject target = copied(source, "size 50 mtime 1");
    target.fingerprint = "size 50 mtime 2";
    SyncPlan plan = plan_sync({source}, {target}, KeyFilter{}, false);
    REQUIRE(plan.copies.size() == 1);
    CHECK(std::string(plan.copies[0].why) == "target changed");
}

TEST_CASE("media sync: an object pgscrub did not copy is replaced", "[media]") {
    ListedObject source = source_object("images/r.jpg", 5, "\"s\"");
    ListedObject foreign{"images/r.jpg", 5, "\"s\"", std::nullopt};
    SyncPlan plan = plan_sync({source}, {foreign}, KeyFilter{}, false);
    REQUIRE(plan.copies.size() == 1);
    CHECK(std::string(plan.copies[0].why) == "not copied by pgscrub");
}

TEST_CASE("media sync: --delete removes target keys the source lacks, inside the filter only", "[media]") {
    ListedObject kept = source_object("original_images/a.jpg", 1, "\"a\"");
    std::vector<ListedObject> target{copied(kept, "t"), {"original_images/gone.jpg", 1, "t", std::nullopt},
                                     {"images/rendition.jpg", 1, "t", std::nullopt}};
    KeyFilter originals = preset_filter("wagtail-originals");
    SyncPlan with_delete = plan_sync({kept}, target, originals, true);
    CHECK(with_delete.deletions == std::vector<std::string>{"original_images/gone.jpg"});
    SyncPlan without = plan_sync({kept}, target, originals, false);
    CHECK(without.deletions.empty());
}

TEST_CASE("media sync: include and exclude prefixes, and the Wagtail presets", "[media]") {
    KeyFilter filter{{"original_images/", "documents/"}, {"documents/private/"}};
    CHECK(filter.matches("original_images/a.jpg"));
    CHECK(filter.matches("documents/a.pdf"));
    CHECK_FALSE(filter.matches("documents/private/a.pdf"));
    CHECK_FALSE(filter.matches("images/a.fill-100x100.jpg"));
    CHECK(KeyFilter{}.matches("anything"));

    KeyFilter originals = preset_filter("wagtail-originals");
    CHECK(originals.matches("original_images/x.jpg"));
    CHECK_FALSE(originals.matches("images/x.jpg"));
    CHECK_FALSE(originals.matches("documents/x.pdf"));
    CHECK(preset_filter("wagtail-all").matches("images/x.jpg"));

    std::vector<ListedObject> source{source_object("original_images/a.jpg", 1, "a"), source_object("images/a.jpg", 1, "b")};
    SyncPlan plan = plan_sync(source, {}, originals, false);
    CHECK(copied_keys(plan) == std::vector<std::string>{"original_images/a.jpg"});
    CHECK(plan.filtered_out == 1);
}

TEST_CASE("media sync: an unknown preset is a usage error naming the presets", "[media][errors]") {
    try {
        preset_filter("wagtail-everything");
        FAIL("no error");
    } catch (const pgscrub::common::Error& error) {
        CHECK(error.kind() == pgscrub::common::ErrorKind::Usage);
        CHECK_THAT(error.what(), Catch::Contains("wagtail-originals") && Catch::Contains("wagtail-all"));
    }
}
