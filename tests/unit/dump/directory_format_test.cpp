// Directory format reader and writer (docs/archive-format.md §5) over small
// synthetic archives built byte by byte.

#include "archive_format_helpers.hpp"
#include "dump/directory_format.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

using namespace pgscrub::test;
namespace fs = std::filesystem;

TEST_CASE("Directory writer and reader: files, suffixes and data for every compression", "[directory]") {
    const Compression compression = GENERATE(Compression::None, Compression::Gzip, Compression::Lz4, Compression::Zstd);
    const bool prefer_stored = GENERATE(true, false);
    const int threads = GENERATE(1, 3);
    INFO(compression_name(compression) << ", " << threads << " threads");
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, compression, 3000);
    auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
    const std::string dir = tmp / "out";
    OutputSpec spec = output_spec(ArchiveFormat::Directory, compression);
    spec.threads = threads;
    auto writer = make_directory_writer(dir, spec);
    copy_archive(*reader, *writer, prefer_stored);

    const std::string suffix = directory_suffix(directory_file_encoding(compression));
    CHECK(files_in(dir) == std::set<std::string>{"toc.dat", "3364.dat" + suffix, "3369.dat" + suffix,
                                                  "blob_16411.dat" + suffix, "blob_3000000000.dat" + suffix,
                                                  "blob_16500.dat" + suffix, "blobs_3371.toc"});
    CHECK(read_file(dir + "/blobs_3371.toc") == "16411 blob_16411.dat\n3000000000 blob_3000000000.dat\n16500 blob_16500.dat\n");
    if (compression == Compression::Gzip) CHECK(read_file(dir + "/3364.dat.gz").substr(0, 2) == "\x1f\x8b");
    if (compression == Compression::None) CHECK(read_file(dir + "/3364.dat") == a.table_data.at(3364));

    // toc.dat: format byte 3, the algorithm, and file names without suffix.
    const std::string toc = read_file(dir + "/toc.dat");
    CHECK(toc[10] == 3);
    CHECK(toc[11] == static_cast<char>(compression));
    for (const TocEntry& e : toc_of(toc, TocFlavour::Filenames)) {
        INFO("entry " << e.dump_id);
        const std::string expected = !e.had_dumper ? "" : e.is_blobs() ? "blobs_3371.toc" : std::to_string(e.dump_id) + ".dat";
        CHECK(e.filename == std::optional<std::string>(expected));
    }

    auto back = open_directory_reader(dir);
    CHECK(back->format() == ArchiveFormat::Directory);
    CHECK(back->name() == dir);
    CHECK(back->model().header.compression == compression);
    check_same_data(*back, a);
}

TEST_CASE("Directory writer: archives before 1.16 list large objects in blobs.toc", "[directory]") {
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::Gzip);
    auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
    auto writer = make_directory_writer(tmp / "out", output_spec(ArchiveFormat::Directory, Compression::Gzip));
    copy_archive(*reader, *writer, true);
    CHECK(files_in(tmp / "out").count("blobs.toc") == 1);
    CHECK(toc_of(read_file(tmp / "out/toc.dat"), TocFlavour::Filenames)[5].filename == std::optional<std::string>("blobs.toc"));
    check_same_data(*open_directory_reader(tmp / "out"), a);
}

TEST_CASE("Directory reader: finds each data file by suffix, whatever the header says", "[directory]") {
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, Compression::None, 300);
    {
        auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
        auto writer = make_directory_writer(tmp / "d", output_spec(ArchiveFormat::Directory, Compression::None));
        copy_archive(*reader, *writer, true);
    }
    const auto recompress = [&](const std::string& name, PayloadEncoding encoding) {
        const std::string plain = read_file(tmp / ("d/" + name));
        fs::remove(tmp / ("d/" + name));
        write_file(tmp / ("d/" + name + directory_suffix(encoding)), compress_all(encoding, plain));
    };
    recompress("3364.dat", PayloadEncoding::GzipFile);
    recompress("3369.dat", PayloadEncoding::Lz4Frame);
    recompress("blob_16411.dat", PayloadEncoding::ZstdFrame);

    auto reader = open_directory_reader(tmp / "d");
    RecordingVisitor visitor;
    reader->read_data(visitor);
    CHECK(visitor.tables == a.table_data);
    CHECK(visitor.blobs == a.blobs);
    CHECK(visitor.encodings.at(3364) == PayloadEncoding::GzipFile);
    CHECK(visitor.encodings.at(3369) == PayloadEncoding::Lz4Frame);
}

TEST_CASE("Directory writer: a stored pass-through copies data files byte for byte", "[directory]") {
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, Compression::Zstd, 1000);
    {
        auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
        auto writer = make_directory_writer(tmp / "one", output_spec(ArchiveFormat::Directory, Compression::Zstd));
        copy_archive(*reader, *writer, false);
    }
    auto reader = open_directory_reader(tmp / "one");
    auto writer = make_directory_writer(tmp / "two", output_spec(ArchiveFormat::Directory, Compression::Zstd));
    copy_archive(*reader, *writer, true);
    REQUIRE(files_in(tmp / "one") == files_in(tmp / "two"));
    for (const std::string& name : files_in(tmp / "one")) {
        INFO(name);
        CHECK(read_file(tmp / ("one/" + name)) == read_file(tmp / ("two/" + name)));
    }
}

TEST_CASE("Directory reader: a missing data file or toc.dat is an error naming the file", "[directory][errors]") {
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::Gzip);
    {
        auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
        auto writer = make_directory_writer(tmp / "d", output_spec(ArchiveFormat::Directory, Compression::Gzip));
        copy_archive(*reader, *writer, false);
    }
    SECTION("table data") {
        fs::remove(tmp / "d/3369.dat.gz");
        auto reader = open_directory_reader(tmp / "d");
        const auto error = catch_archive_error([&] {
            RecordingVisitor visitor;
            reader->read_data(visitor);
        });
        CHECK_THAT(error.what(), Catch::Contains("3369.dat"));
        CHECK_THAT(error.location().file, Catch::Contains(tmp / "d/3369.dat"));
        CHECK_THAT(error.describe(), Catch::Contains("TOC entry 3369 (TABLE DATA public.empty0)"));
    }
    SECTION("a large object") {
        fs::remove(tmp / "d/blob_3000000000.dat.gz");
        auto reader = open_directory_reader(tmp / "d");
        const auto error = catch_archive_error([&] {
            RecordingVisitor visitor;
            reader->read_data(visitor);
        });
        CHECK_THAT(error.describe(), Catch::Contains("blob_3000000000.dat"));
    }
    SECTION("the large-object list") {
        fs::remove(tmp / "d/blobs.toc");
        auto reader = open_directory_reader(tmp / "d");
        const auto error = catch_archive_error([&] {
            RecordingVisitor visitor;
            reader->read_data(visitor);
        });
        CHECK_THAT(error.describe(), Catch::Contains("blobs.toc"));
    }
    SECTION("toc.dat") {
        fs::remove(tmp / "d/toc.dat");
        CHECK_THROWS_WITH(open_directory_reader(tmp / "d"), Catch::Contains("toc.dat"));
    }
}

TEST_CASE("Directory writer: an existing non-empty output is refused; an empty directory is used", "[directory][errors]") {
    TempDir tmp;
    const OutputSpec spec = output_spec(ArchiveFormat::Directory, Compression::None);
    fs::create_directory(tmp / "full");
    write_file(tmp / "full/keep.txt", "precious");
    CHECK_THROWS_WITH(make_directory_writer(tmp / "full", spec), Catch::Contains("not empty"));
    CHECK(read_file(tmp / "full/keep.txt") == "precious");

    write_file(tmp / "file", "x");
    CHECK_THROWS_AS(make_directory_writer(tmp / "file", spec), ArchiveError);
    CHECK(read_file(tmp / "file") == "x");

    CHECK_THROWS_AS(make_directory_writer("-", spec), ArchiveError);

    fs::create_directory(tmp / "empty");
    const SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::None);
    auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
    auto writer = make_directory_writer(tmp / "empty", spec);
    copy_archive(*reader, *writer, true);
    check_same_data(*open_directory_reader(tmp / "empty"), a);
}

TEST_CASE("Directory writer: a writer destroyed before finish() leaves nothing behind", "[directory][errors]") {
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, Compression::Gzip);
    {
        auto writer = make_directory_writer(tmp / "out", output_spec(ArchiveFormat::Directory, Compression::Gzip));
        writer->begin(a.model);
        ByteSink& sink = writer->begin_table_data(a.model.entries[2]);
        sink.write("1\tpartial\n");
        writer->end_table_data();
        // ... and the run fails here.
    }
    CHECK_FALSE(fs::exists(tmp / "out"));
    CHECK(files_in(tmp.path()).empty());
}

TEST_CASE("regression: directory writer accepts an output path with a trailing slash", "[directory][regression]") {
    // `pgscrub -o outdir/` (shell completion adds the slash): the temporary
    // directory is named path + ".pgscrub-partial-PID", which for "outdir/"
    // lands inside "outdir/" itself.
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::None);
    auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
    REQUIRE_NOTHROW([&] {
        auto writer = make_directory_writer(tmp / "out/", output_spec(ArchiveFormat::Directory, Compression::None));
        copy_archive(*reader, *writer, true);
    }());
    CHECK(files_in(tmp.path()) == std::set<std::string>{"out"});
    check_same_data(*open_directory_reader(tmp / "out"), a);
}
