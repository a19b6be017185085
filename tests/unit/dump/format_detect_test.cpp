// Input format detection: which reader open_input picks for a custom, tar,
// directory or plain input, and what it refuses.

#include "archive_format_helpers.hpp"
#include "dump/directory_format.hpp"
#include "dump/format_detect.hpp"

#include <catch2/catch.hpp>

#include <filesystem>

using namespace pgscrub::test;
namespace fs = std::filesystem;

TEST_CASE("open_input detects custom, tar, directory and plain inputs", "[format_detect]") {
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, Compression::None);
    write_file(tmp / "a.dump", build_custom(a, 4096, true).bytes);
    write_tar_from_custom(a, tmp / "a.tar", true);
    {
        auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
        auto writer = make_directory_writer(tmp / "a.dir", output_spec(ArchiveFormat::Directory, Compression::None));
        copy_archive(*reader, *writer, true);
    }
    const std::string sql = "--\n-- PostgreSQL database dump\n--\n\nSET statement_timeout = 0;\n";
    write_file(tmp / "a.sql", sql);

    OpenedInput custom = open_input(tmp / "a.dump");
    CHECK(custom.format == ArchiveFormat::Custom);
    REQUIRE(custom.archive);
    CHECK(custom.archive->model().entries.size() == a.model.entries.size());
    check_same_data(*custom.archive, a);

    OpenedInput tar = open_input(tmp / "a.tar");
    CHECK(tar.format == ArchiveFormat::Tar);
    REQUIRE(tar.archive);
    check_same_data(*tar.archive, a);

    OpenedInput dir = open_input(tmp / "a.dir");
    CHECK(dir.format == ArchiveFormat::Directory);
    REQUIRE(dir.archive);
    check_same_data(*dir.archive, a);

    OpenedInput plain = open_input(tmp / "a.sql");
    CHECK(plain.format == ArchiveFormat::Plain);
    CHECK_FALSE(plain.archive);
    REQUIRE(plain.plain);
    std::string text(sql.size() + 10, '\0');
    text.resize(plain.plain->read_some(text.data(), text.size()));
    CHECK(text == sql); // positioned at its start
}

TEST_CASE("open_input refuses empty files, garbage and missing paths", "[format_detect][errors]") {
    TempDir tmp;
    write_file(tmp / "empty", "");
    const auto empty = catch_archive_error([&] { open_input(tmp / "empty"); });
    CHECK_THAT(empty.what(), Catch::Contains("empty"));
    CHECK(empty.location().file == tmp / "empty");

    write_file(tmp / "garbage", random_bytes(2000));
    const auto garbage = catch_archive_error([&] { open_input(tmp / "garbage"); });
    CHECK_THAT(garbage.what(), Catch::Contains("not a pg_dump archive") && Catch::Contains("custom") &&
                                   Catch::Contains("tar") && Catch::Contains("directory") && Catch::Contains("plain"));
    CHECK_THAT(garbage.describe(), Catch::StartsWith(tmp / "garbage"));

    write_file(tmp / "text", "hello, this is not SQL\n");
    CHECK_THROWS_WITH(open_input(tmp / "text"), Catch::Contains("not a pg_dump archive"));

    write_file(tmp / "short.dump", "PGDMP\x01");
    CHECK_THROWS_WITH(open_input(tmp / "short.dump"), Catch::Contains("unexpected end of file"));

    CHECK_THROWS_AS(open_input(tmp / "missing"), pgscrub::common::Error);

    fs::create_directory(tmp / "dir");
    CHECK_THROWS_WITH(open_input(tmp / "dir"), Catch::Contains("toc.dat"));
}
