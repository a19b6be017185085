// A local directory as a media store: listing, the manifest of what pgscrub
// copied, writes that appear whole or not at all, and keys that would leave
// the directory.

#include "media/local_store.hpp"

#include "common/error.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

using namespace pgscrub::media;
namespace fs = std::filesystem;

namespace {

struct TempDir {
    TempDir() {
        char pattern[] = "/tmp/pgscrub-media-XXXXXX";
        path = ::mkdtemp(pattern);
    }
    ~TempDir() { fs::remove_all(path); }
    std::string path;
};

void put(LocalStore& store, const std::string& key, const std::string& bytes, const std::string& etag) {
    LocalStore::Writer writer = store.write(key, etag, bytes.size());
    writer.sink().write(bytes);
    writer.commit();
}

} // namespace

TEST_CASE("local media store: what pgscrub wrote is recorded, and a second sync copies nothing", "[media]") {
    TempDir dir;
    std::vector<ListedObject> source{{"original_images/a.jpg", 3, "\"ea\"", std::nullopt},
                                     {"original_images/sub/b.png", 2, "\"eb\"", std::nullopt}};
    {
        LocalStore store(dir.path);
        SyncPlan plan = plan_sync(source, store.list(), KeyFilter{}, false);
        REQUIRE(plan.copies.size() == 2);
        put(store, "original_images/a.jpg", "abc", "\"ea\"");
        put(store, "original_images/sub/b.png", "xy", "\"eb\"");
        store.save_manifest();
    }
    LocalStore reopened(dir.path);
    std::vector<ListedObject> listed = reopened.list();
    REQUIRE(listed.size() == 2); // the manifest itself is not listed
    CHECK(listed[0].key == "original_images/a.jpg");
    REQUIRE(listed[0].recorded);
    CHECK(listed[0].recorded->source_etag == "\"ea\"");
    CHECK(plan_sync(source, listed, KeyFilter{}, false).copies.empty());
}

TEST_CASE("local media store: a file edited since pgscrub wrote it copies again, at the same size too", "[media]") {
    TempDir dir;
    LocalStore store(dir.path);
    put(store, "documents/d.pdf", "1234", "\"e\"");
    store.save_manifest();
    // Same size, new content and modification time.
    {
        std::ofstream edit(dir.path + "/documents/d.pdf", std::ios::binary | std::ios::trunc);
        edit << "5678";
    }
    fs::last_write_time(dir.path + "/documents/d.pdf", fs::last_write_time(dir.path + "/documents/d.pdf") + std::chrono::seconds(5));
    std::vector<ListedObject> source{{"documents/d.pdf", 4, "\"e\"", std::nullopt}};
    SyncPlan plan = plan_sync(source, LocalStore(dir.path).list(), KeyFilter{}, false);
    REQUIRE(plan.copies.size() == 1);
    CHECK(std::string(plan.copies[0].why) == "target changed");
}

TEST_CASE("local media store: an uncommitted write leaves nothing under the key", "[media]") {
    TempDir dir;
    LocalStore store(dir.path);
    {
        LocalStore::Writer writer = store.write("original_images/half.jpg", "\"e\"", 10);
        writer.sink().write("12345");
    } // a run cut short
    CHECK(store.list().empty());
    CHECK_FALSE(fs::exists(dir.path + "/original_images/half.jpg"));
}

TEST_CASE("local media store: keys that would not name a file inside the directory are refused", "[media][errors]") {
    for (const char* bad : {"", "/etc/passwd", "../outside", "a/../../outside", "a//b", "a/./b", "a\\b", ".pgscrub-media.json"}) {
        INFO(bad);
        CHECK(store_key_problem(bad).has_value());
    }
    for (const char* good : {"original_images/a b+c=d%20.jpg", "documents/ünïcode.pdf", "a/.hidden", "x..y/z"}) {
        INFO(good);
        CHECK_FALSE(store_key_problem(good).has_value());
    }
    TempDir dir;
    LocalStore store(dir.path);
    CHECK_THROWS_AS(store.write("../escape.jpg", "\"e\"", 1), pgscrub::common::Error);
    CHECK_FALSE(fs::exists(fs::path(dir.path).parent_path() / "escape.jpg"));
}

TEST_CASE("local media store: --delete removes the file and its record", "[media]") {
    TempDir dir;
    LocalStore store(dir.path);
    put(store, "images/r.jpg", "r", "\"e\"");
    store.remove("images/r.jpg");
    store.save_manifest();
    CHECK(LocalStore(dir.path).list().empty());
}

TEST_CASE("local media store: a manifest that is not pgscrub's is an input error naming the file", "[media][errors]") {
    TempDir dir;
    {
        std::ofstream out(dir.path + "/.pgscrub-media.json");
        out << "{\"version\": 7}";
    }
    try {
        LocalStore store(dir.path);
        FAIL("no error");
    } catch (const pgscrub::common::Error& error) {
        CHECK(error.kind() == pgscrub::common::ErrorKind::Input);
        CHECK(error.location().file == dir.path + "/.pgscrub-media.json");
        CHECK_THAT(error.what(), Catch::Contains("remove the file"));
    }
}
