// Custom format reader and writer (docs/archive-format.md §4) over small
// synthetic archives built byte by byte.

#include "archive_format_helpers.hpp"
#include "dump/custom_format.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <set>
#include <thread>
#include <unistd.h>

using namespace pgscrub::test;

namespace {

// An archive version with a compression it can hold.
struct Flavour {
    ArchiveVersion version;
    Compression compression;
};

std::string flavour_name(const Flavour& f) {
    return f.version.to_string() + " " + compression_name(f.compression);
}

// Every data entry of a custom archive has flag 2 and an offset at its block's
// type byte, followed by its dump id; other entries have flag 3.
void check_offsets_point_at_blocks(const std::string& bytes) {
    MemoryInput in("out.dump", bytes);
    const ArchiveHeader h = read_header(in);
    const std::vector<TocEntry> entries = read_toc(in, h, TocFlavour::Offsets);
    for (const TocEntry& e : entries) {
        INFO("entry " << e.dump_id);
        if (!e.had_dumper) {
            CHECK(e.offset.flag == OffsetFlag::NoData);
            continue;
        }
        REQUIRE(e.offset.flag == OffsetFlag::Set);
        REQUIRE(e.offset.position + 1 + h.int_size <= bytes.size());
        const auto at = static_cast<std::size_t>(e.offset.position);
        CHECK(bytes[at] == (e.is_blobs() ? 3 : 1));
        CHECK(bytes.substr(at + 1, 1u + h.int_size) == std::string(encode_int(e.dump_id, h.int_size).view()));
    }
}

// Runs `f` with standard output redirected into a pipe; returns what it wrote.
// No Catch assertions may run inside `f` (the reporter writes to stdout).
template <typename F>
std::string capture_stdout(F&& f) {
    std::cout.flush();
    std::fflush(stdout);
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe failed");
    const int saved = ::dup(STDOUT_FILENO);
    ::dup2(fds[1], STDOUT_FILENO);
    ::close(fds[1]);
    std::string captured;
    std::thread drain([&] {
        char buffer[65536];
        for (ssize_t n; (n = ::read(fds[0], buffer, sizeof buffer)) > 0;) captured.append(buffer, static_cast<std::size_t>(n));
    });
    std::exception_ptr failure;
    try {
        f();
    } catch (...) {
        failure = std::current_exception();
    }
    ::dup2(saved, STDOUT_FILENO); // closes the pipe's last write end: the drain sees EOF
    ::close(saved);
    drain.join();
    ::close(fds[0]);
    if (failure) std::rethrow_exception(failure);
    return captured;
}

} // namespace

TEST_CASE("Custom reader: entries, COPY text and large objects for every compression and buffer size", "[custom]") {
    const Flavour flavour = GENERATE(Flavour{{1, 14, 0}, Compression::None}, Flavour{{1, 14, 0}, Compression::Gzip},
                                     Flavour{{1, 16, 0}, Compression::Lz4}, Flavour{{1, 16, 0}, Compression::Zstd});
    const std::size_t max_read = GENERATE(1, 7, 4096, 65536);
    const bool offsets = GENERATE(true, false);
    INFO(flavour_name(flavour) << ", max_read " << max_read << (offsets ? ", offsets set" : ", offsets not set"));

    // ~300 KB of COPY text: the stored stream crosses the 256 KiB input buffer.
    const SampleArchive a = sample_archive(flavour.version, flavour.compression, 5000);
    const CustomBuild build = build_custom(a, 4093, offsets);
    auto reader = custom_from_memory(build.bytes, max_read);

    CHECK(reader->format() == ArchiveFormat::Custom);
    CHECK(reader->name() == "in.dump");
    const ArchiveModel& model = reader->model();
    CHECK(model.header.version.value() == flavour.version.value());
    CHECK(model.header.compression == flavour.compression);
    REQUIRE(model.entries.size() == a.model.entries.size());
    for (std::size_t i = 0; i < model.entries.size(); ++i) {
        const TocEntry& e = model.entries[i];
        CHECK(describe_entry(e) == describe_entry(a.model.entries[i]));
        if (!e.had_dumper) CHECK(e.offset.flag == OffsetFlag::NoData);
        else if (!offsets) CHECK(e.offset.flag == OffsetFlag::NotSet);
        else {
            CHECK(e.offset.flag == OffsetFlag::Set);
            CHECK(e.offset.position == build.block_offsets.at(e.dump_id));
        }
    }

    RecordingVisitor visitor;
    reader->read_data(visitor);
    CHECK(visitor.events == expected_events(a));
    CHECK(visitor.tables == a.table_data);
    CHECK(visitor.blobs == a.blobs);
    for (const auto& [id, encoding] : visitor.encodings) CHECK(encoding == custom_block_encoding(flavour.compression));
}

TEST_CASE("Custom reader: any chunking, down to 1-byte chunks, decodes the same", "[custom]") {
    const std::size_t chunk = GENERATE(1, 7, 4096, 65536);
    const SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::Gzip, 20);
    auto reader = custom_from_memory(build_custom(a, chunk, false).bytes, 7);
    check_same_data(*reader, a);
}

TEST_CASE("Custom reader: a stored copy announces each chunk as stored", "[custom]") {
    class ChunkRecorder final : public ChunkAwareSink {
    public:
        void announce_chunk(std::uint64_t size) override { chunks.push_back(static_cast<std::size_t>(size)); }
        void write(std::string_view bytes) override { data.append(bytes); }
        std::vector<std::size_t> chunks;
        std::string data;
    };
    class StoredVisitor final : public RecordingVisitor {
    public:
        void table_data(const TocEntry& entry, Payload& payload) override {
            ChunkRecorder recorder;
            payload.copy_stored(recorder);
            chunks[entry.dump_id] = recorder.chunks;
            stored[entry.dump_id] = recorder.data;
            stored_bytes[entry.dump_id] = payload.stored_bytes_read();
        }
        std::map<int, std::vector<std::size_t>> chunks;
        std::map<int, std::string> stored;
        std::map<int, std::uint64_t> stored_bytes;
    };
    const SampleArchive a = sample_archive(ArchiveVersion{1, 15, 0}, Compression::Zstd, 3000);
    const CustomBuild build = build_custom(a, 1000, true);
    auto reader = custom_from_memory(build.bytes, 4096);
    StoredVisitor visitor;
    reader->read_data(visitor);
    for (const auto& [id, text] : a.table_data) {
        INFO("entry " << id);
        CHECK(visitor.chunks[id] == build.chunk_sizes.at(id));
        CHECK(visitor.stored[id] == compress_all(PayloadEncoding::ZstdFrame, text));
        CHECK(visitor.stored_bytes[id] == visitor.stored[id].size());
    }
}

TEST_CASE("Custom reader: blocks a visitor does not read are skipped", "[custom]") {
    const std::size_t max_read = GENERATE(1, 4096);
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, Compression::Gzip, 500);
    auto reader = custom_from_memory(build_custom(a, 333, false).bytes, max_read);
    RecordingVisitor visitor(RecordingVisitor::Mode::Ignore);
    reader->read_data(visitor);
    CHECK(visitor.events == expected_events(a));
}

TEST_CASE("Custom writer: a stored pass-through of an archive with offsets is byte-identical", "[custom][writer]") {
    const Flavour flavour = GENERATE(Flavour{{1, 14, 0}, Compression::Gzip}, Flavour{{1, 14, 0}, Compression::None},
                                     Flavour{{1, 16, 0}, Compression::Zstd}, Flavour{{1, 15, 0}, Compression::Lz4});
    INFO(flavour_name(flavour));
    TempDir tmp;
    const SampleArchive a = sample_archive(flavour.version, flavour.compression, 3000);
    const CustomBuild build = build_custom(a, 4096, true);
    write_file(tmp / "in.dump", build.bytes);

    auto reader = open_custom_reader(FileInput::open(tmp / "in.dump"));
    auto writer = make_custom_writer(FileOutput::create(tmp / "out.dump"), output_spec(ArchiveFormat::Custom, flavour.compression));
    copy_archive(*reader, *writer, true);
    const std::string out = read_file(tmp / "out.dump");
    CHECK(out.size() == build.bytes.size());
    CHECK(out == build.bytes);
    // Only the final file is left behind.
    CHECK(files_in(tmp.path()) == std::set<std::string>{"in.dump", "out.dump"});
}

TEST_CASE("Custom writer: a seekable output gets flag-2 offsets at the block type bytes", "[custom][writer]") {
    TempDir tmp;
    // Input without offsets (as from a pipe), copied as stored.
    const SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::Gzip, 200);
    const CustomBuild build = build_custom(a, 100, false);
    auto reader = custom_from_memory(build.bytes);
    auto writer = make_custom_writer(FileOutput::create(tmp / "out.dump"), output_spec(ArchiveFormat::Custom, Compression::Gzip));
    copy_archive(*reader, *writer, true);
    const std::string out = read_file(tmp / "out.dump");
    check_offsets_point_at_blocks(out);
    // Apart from the Offset fields, the output is the input.
    CHECK(out.size() == build.bytes.size());
    CHECK(out.substr(build.data_start) == build.bytes.substr(build.data_start));
    check_same_data(*custom_from_memory(out, 7), a);
}

TEST_CASE("Custom writer: re-encoding to another compression keeps the data", "[custom][writer]") {
    const Compression from = GENERATE(Compression::None, Compression::Gzip, Compression::Lz4, Compression::Zstd);
    const Compression to = GENERATE(Compression::None, Compression::Gzip, Compression::Lz4, Compression::Zstd);
    const bool prefer_stored = GENERATE(true, false);
    const int threads = GENERATE(1, 3);
    INFO(compression_name(from) << " -> " << compression_name(to) << (prefer_stored ? " (stored where possible)" : "")
                                << ", " << threads << " threads");
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, from, 2000);
    auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
    OutputSpec spec = output_spec(ArchiveFormat::Custom, to);
    spec.threads = threads;
    auto writer = make_custom_writer(FileOutput::create(tmp / "out.dump"), spec);
    copy_archive(*reader, *writer, prefer_stored);

    const std::string out = read_file(tmp / "out.dump");
    check_offsets_point_at_blocks(out);
    auto again = custom_from_memory(out, 4096);
    CHECK(again->model().header.compression == to);
    for (std::size_t i = 0; i < a.model.entries.size(); ++i) {
        CHECK(describe_entry(again->model().entries[i]) == describe_entry(a.model.entries[i]));
    }
    check_same_data(*again, a);
    // Large-object OIDs >= 2^31 are written as negative C ints.
    CHECK(out.find(std::string(encode_int(kHighOid, 4).view())) != std::string::npos);
}

TEST_CASE("Custom writer: the requested level is applied when re-encoding", "[custom][writer]") {
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::None, 100);
    auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
    auto writer = make_custom_writer(FileOutput::create(tmp / "out.dump"),
                                     output_spec(ArchiveFormat::Custom, Compression::Gzip, 9));
    copy_archive(*reader, *writer, false);
    const std::string out = read_file(tmp / "out.dump");
    auto again = custom_from_memory(out);
    CHECK(again->model().header.legacy_level == 9);
    // The first chunk of the users block starts with a zlib header for level 9.
    const std::size_t block = static_cast<std::size_t>(again->model().find(3364)->offset.position);
    CHECK(out.substr(block + 1 + 5 + 5, 2) == "\x78\xda");
    check_same_data(*again, a);
}

TEST_CASE("Custom writer: a pipe keeps offsets 'not set' (flag 1)", "[custom][writer]") {
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, Compression::Gzip, 300);
    const CustomBuild build = build_custom(a, 4096, true);
    const std::string out = capture_stdout([&] {
        auto reader = custom_from_memory(build.bytes);
        auto writer = make_custom_writer(FileOutput::create("-"), output_spec(ArchiveFormat::Custom, Compression::Gzip));
        copy_archive(*reader, *writer, true);
    });
    for (const TocEntry& e : toc_of(out, TocFlavour::Offsets)) {
        INFO("entry " << e.dump_id);
        CHECK(e.offset.flag == (e.had_dumper ? OffsetFlag::NotSet : OffsetFlag::NoData));
        CHECK(e.offset.position == 0);
    }
    CHECK(out.substr(build.data_start) == build.bytes.substr(build.data_start));
    check_same_data(*custom_from_memory(out), a);
}

TEST_CASE("Custom writer: lz4 or zstd into a 1.14 archive is refused and leaves no file", "[custom][writer]") {
    const Compression to = GENERATE(Compression::Lz4, Compression::Zstd);
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::Gzip);
    auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
    {
        auto writer = make_custom_writer(FileOutput::create(tmp / "out.dump"), output_spec(ArchiveFormat::Custom, to));
        CHECK_THROWS_WITH(writer->begin(reader->model()), Catch::Contains("1.15"));
    }
    CHECK(files_in(tmp.path()).empty());
}

TEST_CASE("Custom reader: corrupt data blocks are errors naming the entry and offset", "[custom][errors]") {
    const SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::Gzip, 50);
    const CustomBuild build = build_custom(a, 64, true);
    const std::size_t users = static_cast<std::size_t>(build.block_offsets.at(3364));
    auto read_all = [](const std::string& bytes) {
        return catch_archive_error([&] {
            RecordingVisitor visitor;
            custom_from_memory(bytes, 7)->read_data(visitor);
        });
    };

    SECTION("unknown block type") {
        std::string bytes = build.bytes;
        bytes[users] = 9;
        const auto error = read_all(bytes);
        CHECK_THAT(error.what(), Catch::Contains("unrecognised data block type 9"));
        CHECK(error.location().dump_id == std::optional<int>(3364));
        CHECK(error.location().offset == std::optional<std::uint64_t>(users));
        CHECK_THAT(error.describe(), Catch::StartsWith("in.dump: offset " + std::to_string(users) + ": TOC entry 3364 (TABLE DATA public.users): "));
    }
    SECTION("a block for a dump id that is not in the TOC") {
        std::string bytes = build.bytes;
        bytes.replace(users + 1, 5, std::string(encode_int(4242, 4).view()));
        const auto error = read_all(bytes);
        CHECK_THAT(error.what(), Catch::Contains("dump id 4242") && Catch::Contains("no TOC entry"));
        CHECK_THAT(error.describe(), Catch::Contains("offset " + std::to_string(users)));
    }
    SECTION("a negative chunk length") {
        std::string bytes = build.bytes;
        bytes.replace(users + 6, 5, std::string(encode_int(-5, 4).view()));
        const auto error = read_all(bytes);
        CHECK_THAT(error.what(), Catch::Contains("invalid data chunk length -5"));
        CHECK(error.location().dump_id == std::optional<int>(3364));
        CHECK(error.location().offset == std::optional<std::uint64_t>(users + 6));
        CHECK_THAT(error.describe(), Catch::Contains("TOC entry 3364"));
    }
    SECTION("the archive ends inside a block") {
        const auto error = read_all(build.bytes.substr(0, users + 100));
        CHECK_THAT(error.what(), Catch::Contains("unexpected end of file"));
        CHECK(error.location().dump_id == std::optional<int>(3364));
    }
    SECTION("corrupt compressed bytes, found while decoding") {
        std::string bytes = build.bytes;
        const std::size_t at = users + 6 + 5 + 30; // inside the first chunk's payload
        bytes[at] = static_cast<char>(bytes[at] ^ 0x55);
        const auto error = read_all(bytes);
        CHECK_THAT(error.what(), Catch::Contains("corrupt"));
        CHECK(error.location().dump_id == std::optional<int>(3364));
        CHECK(error.location().file == "in.dump");
    }
    SECTION("a large object's chunk stream ends early") {
        const std::size_t blobs = static_cast<std::size_t>(build.block_offsets.at(3371));
        const auto error = read_all(build.bytes.substr(0, blobs + 1 + 5 + 5 + 2));
        CHECK_THAT(error.what(), Catch::Contains("unexpected end of file"));
        CHECK(error.location().dump_id == std::optional<int>(3371));
    }
}

TEST_CASE("Custom reader: a header saying tar format is refused", "[custom][errors]") {
    SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::None);
    a.model.header.format = HeaderFormat::Tar;
    CHECK_THROWS_WITH(custom_from_memory(build_custom(a, 4096, false).bytes), Catch::Contains("tar format"));
}
