// Tar format reader and writer (docs/archive-format.md §6) over small
// synthetic archives built byte by byte, checked against an independent
// walk of the tar bytes.

#include "archive_format_helpers.hpp"
#include "dump/tar_format.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <stdexcept>
#include <string_view>

using namespace pgscrub::test;

namespace {

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

} // namespace

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
