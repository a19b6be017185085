// Custom, directory and tar readers and writers (docs/archive-format.md
// §4-§6) over small synthetic archives built byte by byte, and input format
// detection.

#include "archive_builders.hpp"
#include "dump/custom_format.hpp"
#include "dump/directory_format.hpp"
#include "dump/format_detect.hpp"
#include "dump/tar_format.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <exception>
#include <iostream>
#include <set>
#include <thread>
#include <unistd.h>

using namespace pgscrub::test;
namespace fs = std::filesystem;

namespace {

// An archive version with a compression it can hold.
struct Flavour {
    ArchiveVersion version;
    Compression compression;
};

std::string flavour_name(const Flavour& f) {
    return f.version.to_string() + " " + compression_name(f.compression);
}

OutputSpec output_spec(ArchiveFormat format, Compression algorithm, std::optional<int> level = std::nullopt) {
    OutputSpec spec;
    spec.format = format;
    spec.compression.algorithm = algorithm;
    spec.compression.level = level;
    spec.recompress_all = level.has_value();
    return spec;
}

std::unique_ptr<ArchiveReader> custom_from_memory(const std::string& bytes, std::size_t max_read = SIZE_MAX) {
    return open_custom_reader(std::make_unique<MemoryInput>("in.dump", bytes, max_read));
}

// The decoded data of `reader` equals what `a` was built from, in storage order.
void check_same_data(ArchiveReader& reader, const SampleArchive& a) {
    RecordingVisitor visitor;
    reader.read_data(visitor);
    CHECK(visitor.events == expected_events(a));
    CHECK(visitor.tables == a.table_data);
    REQUIRE(visitor.blobs.size() == a.blobs.size());
    for (std::size_t i = 0; i < a.blobs.size(); ++i) {
        INFO("blob " << a.blobs[i].first);
        CHECK(visitor.blobs[i].first == a.blobs[i].first);
        CHECK(visitor.blobs[i].second == a.blobs[i].second);
    }
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

std::vector<TocEntry> toc_of(const std::string& bytes, TocFlavour flavour) {
    MemoryInput in("toc", bytes);
    const ArchiveHeader h = read_header(in);
    return read_toc(in, h, flavour);
}

std::set<std::string> files_in(const std::string& dir) {
    std::set<std::string> names;
    for (const auto& item : fs::directory_iterator(dir)) names.insert(item.path().filename().string());
    return names;
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

// ---- tar, parsed independently of the implementation ----------------------

struct TarMember {
    std::string name;
    std::size_t header_offset = 0;
    std::string header;
    std::string data;
};

std::uint64_t octal_field(std::string_view field) {
    std::uint64_t value = 0;
    for (char c : field) {
        if (c < '0' || c > '7') break;
        value = value * 8 + static_cast<std::uint64_t>(c - '0');
    }
    return value;
}

// Members up to the first zero block; `trailer` gets everything after them.
std::vector<TarMember> walk_tar(const std::string& bytes, std::string* trailer = nullptr) {
    std::vector<TarMember> members;
    std::size_t pos = 0;
    while (pos + 512 <= bytes.size() && bytes.substr(pos, 512) != std::string(512, '\0')) {
        TarMember m;
        m.header_offset = pos;
        m.header = bytes.substr(pos, 512);
        m.name = std::string(m.header.c_str());
        const auto size = static_cast<std::size_t>(octal_field(std::string_view(m.header).substr(124, 12)));
        m.data = bytes.substr(pos + 512, size);
        members.push_back(m);
        pos += 512 + (size + 511) / 512 * 512;
    }
    if (trailer) *trailer = bytes.substr(std::min(pos, bytes.size()));
    return members;
}

std::vector<std::string> member_names(const std::vector<TarMember>& members) {
    std::vector<std::string> names;
    for (const TarMember& m : members) names.push_back(m.name);
    return names;
}

const TarMember& member(const std::vector<TarMember>& members, const std::string& name) {
    for (const TarMember& m : members)
        if (m.name == name) return m;
    throw std::runtime_error("no tar member " + name);
}

std::string write_tar_from_custom(const SampleArchive& a, const std::string& path, bool prefer_stored,
                                  std::optional<std::string> script = std::nullopt) {
    auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
    auto writer = make_tar_writer(FileOutput::create(path), output_spec(ArchiveFormat::Tar, Compression::None));
    writer->begin(reader->model());
    CopyingVisitor visitor(*writer, prefer_stored);
    reader->read_data(visitor);
    if (script) writer->restore_script(*script);
    writer->finish();
    return read_file(path);
}

} // namespace

// ===========================================================================
// Custom format

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

// ===========================================================================
// Directory format

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

// ===========================================================================
// Tar format

TEST_CASE("Tar writer: member order, valid ustar headers and two zero blocks at the end", "[tar]") {
    const ArchiveVersion version = GENERATE(ArchiveVersion{1, 14, 0}, ArchiveVersion{1, 16, 0});
    const bool prefer_stored = GENERATE(true, false);
    INFO(version.to_string() << (prefer_stored ? " stored" : " re-encoded"));
    TempDir tmp;
    const SampleArchive a = sample_archive(version, Compression::None, 2000);
    const std::string tar = write_tar_from_custom(a, tmp / "out.tar", prefer_stored);

    CHECK(tar.size() % 512 == 0);
    std::string trailer;
    const std::vector<TarMember> members = walk_tar(tar, &trailer);
    const std::string blob_list = version.at_least(1, 16) ? "blobs_3371.toc" : "blobs.toc";
    CHECK(member_names(members) == std::vector<std::string>{"toc.dat", "3364.dat", "3369.dat", "blob_16411.dat",
                                                            "blob_3000000000.dat", "blob_16500.dat", blob_list, "restore.sql"});
    CHECK(trailer == std::string(1024, '\0'));
    for (const TarMember& m : members) {
        INFO(m.name);
        CHECK(looks_like_tar_header(m.header));
        CHECK(m.header.substr(100, 7) == "0000600");
        CHECK(m.header.substr(257, 8) == std::string("ustar\0" "00", 8));
        CHECK(m.header[156] == '0');
    }
    CHECK(member(members, "3364.dat").data == a.table_data.at(3364));
    CHECK(member(members, "blob_3000000000.dat").data == a.blobs[1].second);
    CHECK(member(members, blob_list).data == "16411 blob_16411.dat\n3000000000 blob_3000000000.dat\n16500 blob_16500.dat\n");

    // toc.dat: format 3, no compression, <id>.dat for every entry with data (BLOBS too).
    const std::string& toc = member(members, "toc.dat").data;
    CHECK(toc[10] == 3);
    for (const TocEntry& e : toc_of(toc, TocFlavour::Filenames)) {
        INFO("entry " << e.dump_id);
        CHECK(e.filename == std::optional<std::string>(e.had_dumper ? std::to_string(e.dump_id) + ".dat" : ""));
    }
}

TEST_CASE("Tar reader: reads back what the writer wrote, from a file and with any read size", "[tar]") {
    const std::size_t max_read = GENERATE(1, 7, 511, 512, 513, 4096, 65536);
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, Compression::None, 5000);
    const std::string tar = write_tar_from_custom(a, tmp / "out.tar", true);

    auto reader = open_tar_reader(std::make_unique<MemoryInput>("out.tar", tar, max_read));
    CHECK(reader->format() == ArchiveFormat::Tar);
    REQUIRE(reader->model().entries.size() == a.model.entries.size());
    for (std::size_t i = 0; i < a.model.entries.size(); ++i) {
        TocEntry want = a.model.entries[i];
        want.filename = want.had_dumper ? std::to_string(want.dump_id) + ".dat" : "";
        CHECK(describe_entry(reader->model().entries[i]) == describe_entry(want));
    }
    check_same_data(*reader, a);

    if (max_read == 4096) check_same_data(*open_tar_reader(FileInput::open(tmp / "out.tar")), a);
}

TEST_CASE("Tar reader: members a visitor does not read are skipped", "[tar]") {
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::None, 500);
    const std::string tar = write_tar_from_custom(a, tmp / "out.tar", true);
    auto reader = open_tar_reader(std::make_unique<MemoryInput>("out.tar", tar, 7));
    RecordingVisitor visitor(RecordingVisitor::Mode::Ignore);
    reader->read_data(visitor);
    CHECK(visitor.events == expected_events(a));
    CHECK(visitor.restore_sql.has_value());
}

TEST_CASE("Tar: restore.sql is carried over verbatim", "[tar]") {
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, Compression::None);
    const std::string script = "--\n-- PostgreSQL database dump\n--\nCOPY public.users (id, name) FROM '$$PATH$$/3364.dat';\n";
    write_tar_from_custom(a, tmp / "one.tar", true, script);

    auto reader = open_tar_reader(FileInput::open(tmp / "one.tar"));
    auto writer = make_tar_writer(FileOutput::create(tmp / "two.tar"), output_spec(ArchiveFormat::Tar, Compression::None));
    copy_archive(*reader, *writer, true);

    RecordingVisitor visitor;
    open_tar_reader(FileInput::open(tmp / "two.tar"))->read_data(visitor);
    CHECK(visitor.restore_sql == std::optional<std::string>(script));
    CHECK(member(walk_tar(read_file(tmp / "two.tar")), "restore.sql").data == script);
    // The tar-to-tar copy keeps every member's content.
    const auto one = walk_tar(read_file(tmp / "one.tar"));
    const auto two = walk_tar(read_file(tmp / "two.tar"));
    REQUIRE(member_names(one) == member_names(two));
    for (std::size_t i = 0; i < one.size(); ++i) CHECK(one[i].data == two[i].data);
}

TEST_CASE("Tar reader: a corrupted header byte is a 'corrupt tar header' error at that header", "[tar][errors]") {
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, Compression::None, 100);
    const std::string tar = write_tar_from_custom(a, tmp / "out.tar", true);
    const std::vector<TarMember> members = walk_tar(tar);

    SECTION("a data member's header") {
        const std::size_t at = member(members, "3369.dat").header_offset;
        std::string bad = tar;
        bad[at + 1] = 'X'; // inside the name
        auto reader = open_tar_reader(std::make_unique<MemoryInput>("bad.tar", bad, 7));
        const auto error = catch_archive_error([&] {
            RecordingVisitor visitor;
            reader->read_data(visitor);
        });
        CHECK_THAT(error.what(), Catch::Contains("corrupt tar header"));
        CHECK(error.location().offset == std::optional<std::uint64_t>(at));
        CHECK(error.location().file == "bad.tar");
    }
    SECTION("the size field of a blob member") {
        std::string bad = tar;
        bad[member(members, "blob_16411.dat").header_offset + 130] ^= 1;
        auto reader = open_tar_reader(std::make_unique<MemoryInput>("bad.tar", bad));
        RecordingVisitor visitor;
        CHECK_THROWS_WITH(reader->read_data(visitor), Catch::Contains("corrupt tar header"));
    }
    SECTION("the toc.dat header") {
        std::string bad = tar;
        bad[3] = 'x';
        CHECK_THROWS_WITH(open_tar_reader(std::make_unique<MemoryInput>("bad.tar", bad)), Catch::Contains("corrupt tar header"));
    }
}

TEST_CASE("Tar reader: truncation and foreign members are errors", "[tar][errors]") {
    TempDir tmp;
    const SampleArchive a = sample_archive(ArchiveVersion{1, 14, 0}, Compression::None, 100);
    const std::string tar = write_tar_from_custom(a, tmp / "out.tar", true);
    const std::vector<TarMember> members = walk_tar(tar);
    const auto read_all = [](const std::string& bytes) {
        return catch_archive_error([&] {
            auto reader = open_tar_reader(std::make_unique<MemoryInput>("t.tar", bytes, 7));
            RecordingVisitor visitor;
            reader->read_data(visitor);
        });
    };
    SECTION("inside a data member") {
        const TarMember& users = member(members, "3364.dat");
        const auto error = read_all(tar.substr(0, users.header_offset + 512 + 100));
        CHECK_THAT(error.what(), Catch::Contains("unexpected end of file"));
        CHECK(error.location().dump_id == std::optional<int>(3364));
    }
    SECTION("inside a header") {
        const auto error = read_all(tar.substr(0, member(members, "3369.dat").header_offset + 100));
        CHECK_THAT(error.what(), Catch::Contains("unexpected end of file"));
    }
    SECTION("inside toc.dat") {
        const auto error = read_all(tar.substr(0, 600));
        CHECK_THAT(error.what(), Catch::Contains("unexpected end of file"));
    }
    SECTION("a member that is not a data entry") {
        std::string bad = tar;
        const std::size_t at = member(members, "3369.dat").header_offset;
        // Rename 3369.dat to 3378.dat (a SEQUENCE SET, no data) and fix the checksum.
        bad[at + 2] = '7';
        bad[at + 3] = '8';
        std::string header = bad.substr(at, 512);
        unsigned sum = 0;
        for (std::size_t i = 0; i < 512; ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(header[i]);
        char field[8];
        std::snprintf(field, sizeof field, "%06o", sum);
        bad.replace(at + 148, 6, field, 6);
        REQUIRE(looks_like_tar_header(bad.substr(at, 512)));
        const auto error = read_all(bad);
        CHECK_THAT(error.what(), Catch::Contains("unexpected member \"3378.dat\""));
    }
}

TEST_CASE("Tar writer: compression is refused", "[tar][errors]") {
    TempDir tmp;
    auto writer = make_tar_writer(FileOutput::create(tmp / "out.tar"), output_spec(ArchiveFormat::Tar, Compression::Gzip));
    const SampleArchive a = sample_archive(ArchiveVersion{1, 16, 0}, Compression::Gzip);
    CHECK_THROWS_WITH(writer->begin(a.model), Catch::Contains("cannot be compressed"));
}

TEST_CASE("looks_like_tar_header needs the ustar magic and a valid checksum", "[tar]") {
    TempDir tmp;
    const std::string tar = write_tar_from_custom(sample_archive(ArchiveVersion{1, 16, 0}, Compression::None), tmp / "t.tar", true);
    const std::string header = tar.substr(0, 512);
    CHECK(looks_like_tar_header(header));
    CHECK_FALSE(looks_like_tar_header(header.substr(0, 511)));
    CHECK_FALSE(looks_like_tar_header(std::string(512, '\0')));
    std::string no_magic = header;
    no_magic[257] = 'U';
    CHECK_FALSE(looks_like_tar_header(no_magic));
    for (std::size_t at : {0u, 100u, 124u, 148u, 156u, 300u, 511u}) {
        INFO("byte " << at);
        std::string bad = header;
        bad[at] = static_cast<char>(bad[at] ^ 0x01);
        CHECK_FALSE(looks_like_tar_header(bad));
    }
}

// ===========================================================================
// Format detection

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

// A BLOBS group with no large objects leaves only its blobs_<id>.toc member;
// the reader used to skip that group, so the next group's blobs were credited
// to the empty group's TOC entry.
TEST_CASE("regression: tar reader credits blobs after an empty BLOBS group to the right entry", "[tar][regression]") {
    TempDir tmp;
    ArchiveModel model;
    model.header = sample_header(ArchiveVersion{1, 16, 0}, Compression::None);
    model.entries = sample_entries(ArchiveVersion{1, 16, 0});
    TocEntry second_group = model.entries.back(); // the BLOBS entry 3371
    second_group.dump_id = 3372;
    model.entries.push_back(second_group);

    OutputSpec spec;
    spec.format = ArchiveFormat::Tar;
    auto writer = make_tar_writer(FileOutput::create(tmp / "groups.tar"), spec);
    writer->begin(model);
    writer->blobs_begin(model.entries[model.entries.size() - 2]);
    writer->blobs_end();
    writer->blobs_begin(model.entries.back());
    writer->begin_blob(77).write("large object bytes");
    writer->end_blob();
    writer->blobs_end();
    writer->finish();

    auto reader = open_tar_reader(FileInput::open(tmp / "groups.tar"));
    RecordingVisitor visitor;
    reader->read_data(visitor);
    CHECK(visitor.events == std::vector<std::string>{"blobs_begin 3371", "blobs_end 3371", "blobs_begin 3372",
                                                      "blob 3372 77", "blobs_end 3372"});
    REQUIRE(visitor.blobs.size() == 1);
    CHECK(visitor.blobs[0].second == "large object bytes");
}
