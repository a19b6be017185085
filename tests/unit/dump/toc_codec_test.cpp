// The archive header and TOC (docs/archive-format.md §1.2, §3):
// encode then decode for every supported version, the exact bytes of the
// sample header in §1.2, refusal of unsupported versions, and truncation at
// every byte.

#include "archive_builders.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub::test;

namespace {

std::string hex(std::string_view data) {
    static const char digits[] = "0123456789abcdef";
    std::string out;
    for (unsigned char c : data) {
        out += digits[c >> 4];
        out += digits[c & 15];
        out += ' ';
    }
    return out;
}

void check_same_header(const ArchiveHeader& got, const ArchiveHeader& want) {
    CHECK(got.version.value() == want.version.value());
    CHECK(got.int_size == want.int_size);
    CHECK(got.offset_size == want.offset_size);
    CHECK(got.format == want.format);
    CHECK(got.compression == want.compression);
    if (!want.version.at_least(1, 15)) CHECK(got.legacy_level == want.legacy_level);
    for (int i = 0; i < 7; ++i) CHECK(got.created[i] == want.created[i]);
    CHECK(got.database_name == want.database_name);
    CHECK(got.server_version == want.server_version);
    CHECK(got.pgdump_version == want.pgdump_version);
}

void check_same_entries(const std::vector<TocEntry>& got, const std::vector<TocEntry>& want, bool offsets) {
    REQUIRE(got.size() == want.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
        CHECK(describe_entry(got[i]) == describe_entry(want[i]));
        if (offsets) {
            CHECK(got[i].offset.flag == want[i].offset.flag);
            CHECK(got[i].offset.position == want[i].offset.position);
        }
    }
}

// Entries with offsets or file names as the flavour stores them.
std::vector<TocEntry> flavoured(std::vector<TocEntry> entries, TocFlavour flavour) {
    std::uint64_t position = 4000;
    for (TocEntry& e : entries) {
        if (flavour == TocFlavour::Offsets) {
            e.offset = e.had_dumper ? DataOffset{OffsetFlag::Set, position += 1234} : DataOffset{OffsetFlag::NoData, 0};
        } else {
            e.filename = e.had_dumper ? std::to_string(e.dump_id) + ".dat" : "";
        }
    }
    return entries;
}

struct Decoded {
    ArchiveHeader header;
    std::vector<TocEntry> entries;
    std::uint64_t end = 0;
};

Decoded decode(const std::string& data, TocFlavour flavour, std::size_t max_read = SIZE_MAX) {
    MemoryInput in("toc.dat", data, max_read);
    Decoded d;
    d.header = read_header(in);
    d.entries = read_toc(in, d.header, flavour);
    d.end = in.position();
    return d;
}

} // namespace

TEST_CASE("Header: encode_header reproduces the spec's PG 15 sample byte for byte", "[toc_codec]") {
    ArchiveHeader h = sample_header(ArchiveVersion{1, 14, 0}, Compression::Gzip);
    h.database_name = "t";
    h.server_version = "15.20 (Debian 15.20-0+deb12u1)";
    h.pgdump_version = "15.20 (Debian 15.20-0+deb12u1)";
    const std::string encoded = encode_header(h);
    const std::string expected_start =
        std::string("PGDMP\x01\x0e\x00\x04\x08\x01", 11) + std::string("\x01\x01\x00\x00\x00", 5) +  // level -1
        std::string("\x00\x34\x00\x00\x00\x00\x32\x00\x00\x00\x00\x03\x00\x00\x00\x00\x18\x00\x00\x00", 20) +
        std::string("\x00\x0a\x00\x00\x00\x00\x7e\x00\x00\x00\x00\x00\x00\x00\x00", 15) +             // ... isdst=0
        std::string("\x00\x01\x00\x00\x00t\x00\x1e\x00\x00\x00", 11);                                 // "t", len 30
    INFO(hex(encoded.substr(0, expected_start.size())));
    CHECK(encoded.substr(0, expected_start.size()) == expected_start);
    CHECK(encoded.size() == 5 + 3 + 3 + 5 + 7 * 5 + 3 * 5 + 1 + 30 + 30);
}

TEST_CASE("Header: 1.15+ stores a compression byte, <=1.14 a level Int", "[toc_codec]") {
    const std::string v15 = encode_header(sample_header(ArchiveVersion{1, 15, 0}, Compression::Zstd));
    CHECK(v15[11] == 3);
    CHECK(v15[12] == 0); // sign byte of tm_sec: the compression field was one byte
    const std::string v14 = encode_header(sample_header(ArchiveVersion{1, 14, 0}, Compression::None));
    CHECK(v14.substr(11, 5) == std::string(5, '\0'));
    CHECK(v14.size() == v15.size() + 4);

    // <= 1.14: a level other than 0 means gzip; the level itself is kept.
    ArchiveHeader h = sample_header(ArchiveVersion{1, 13, 0}, Compression::Gzip);
    h.legacy_level = 6;
    const Decoded d = decode(encode_header(h) + std::string(encode_int(0, 4).view()), TocFlavour::Offsets);
    CHECK(d.header.compression == Compression::Gzip);
    CHECK(d.header.legacy_level == 6);
}

TEST_CASE("Header and TOC round-trip for archive versions 1.12 to 1.16", "[toc_codec]") {
    const ArchiveVersion version = GENERATE(ArchiveVersion{1, 12, 0}, ArchiveVersion{1, 13, 0}, ArchiveVersion{1, 14, 0},
                                            ArchiveVersion{1, 15, 0}, ArchiveVersion{1, 16, 0}, ArchiveVersion{1, 16, 255});
    const TocFlavour flavour = GENERATE(TocFlavour::Offsets, TocFlavour::Filenames);
    const std::size_t max_read = GENERATE(1, 7, 4096, 65536);
    const Compression compression = version.at_least(1, 15) ? Compression::Lz4 : Compression::Gzip;
    INFO("version " << version.to_string() << ", max_read " << max_read);

    const ArchiveHeader header = sample_header(version, compression,
                                               flavour == TocFlavour::Offsets ? HeaderFormat::Custom : HeaderFormat::Tar);
    const std::vector<TocEntry> entries = flavoured(sample_entries(version), flavour);
    const std::string bytes = encode_header(header) + encode_toc(entries, header, flavour).bytes;

    const Decoded d = decode(bytes, flavour, max_read);
    check_same_header(d.header, header);
    check_same_entries(d.entries, entries, flavour == TocFlavour::Offsets);
    CHECK(d.end == bytes.size());
}

TEST_CASE("TOC: fields a version lacks are neither written nor read", "[toc_codec]") {
    std::vector<TocEntry> entries = sample_entries(ArchiveVersion{1, 16, 0});
    REQUIRE(entries[1].table_am == std::optional<std::string>("heap"));
    REQUIRE(entries[1].relkind == 'r');
    const auto size_at = [&](ArchiveVersion v) {
        return encode_toc(entries, sample_header(v, Compression::None), TocFlavour::Offsets).bytes.size();
    };
    // tableam: one Str per entry (1.14); relkind: one Int per entry (1.16).
    const std::size_t n = entries.size();
    std::size_t am_bytes = 0;
    for (const TocEntry& e : entries) am_bytes += 5 + (e.table_am ? e.table_am->size() : 0);
    CHECK(size_at(ArchiveVersion{1, 14, 0}) - size_at(ArchiveVersion{1, 13, 0}) == am_bytes);
    CHECK(size_at(ArchiveVersion{1, 16, 0}) - size_at(ArchiveVersion{1, 15, 0}) == 5 * n);
    CHECK(size_at(ArchiveVersion{1, 13, 0}) == size_at(ArchiveVersion{1, 12, 0}));

    // A 1.13 archive has no tableam, a 1.15 archive no relkind.
    const ArchiveHeader h13 = sample_header(ArchiveVersion{1, 13, 0}, Compression::None);
    const Decoded d13 = decode(encode_header(h13) + encode_toc(entries, h13, TocFlavour::Offsets).bytes, TocFlavour::Offsets);
    CHECK(d13.entries[1].table_am == std::nullopt);
    CHECK(d13.entries[1].relkind == 0);
    const ArchiveHeader h15 = sample_header(ArchiveVersion{1, 15, 0}, Compression::None);
    const Decoded d15 = decode(encode_header(h15) + encode_toc(entries, h15, TocFlavour::Offsets).bytes, TocFlavour::Offsets);
    CHECK(d15.entries[1].table_am == std::optional<std::string>("heap"));
    CHECK(d15.entries[1].relkind == 0);
}

TEST_CASE("TOC: NULL and empty strings, dependency lists and NULL file names survive", "[toc_codec]") {
    const ArchiveHeader h = sample_header(ArchiveVersion{1, 16, 0}, Compression::None, HeaderFormat::Tar);
    TocEntry e;
    e.dump_id = 7;
    e.had_dumper = true;
    e.tag = "";
    e.desc = "TABLE DATA";
    e.tablespace = "";
    e.namespace_ = std::nullopt;
    e.defn = "";
    e.copy_stmt = std::nullopt;
    e.dependencies = {"1", "", "22", "333"};
    e.filename = std::nullopt;
    TocEntry f = e;
    f.dump_id = 8;
    f.tag = std::nullopt;
    f.tablespace = std::nullopt;
    f.dependencies.clear();
    f.filename = "";
    const std::string bytes = encode_header(h) + encode_toc({e, f}, h, TocFlavour::Filenames).bytes;
    const Decoded d = decode(bytes, TocFlavour::Filenames);
    REQUIRE(d.entries.size() == 2);
    CHECK(d.entries[0].tag == std::optional<std::string>(""));
    CHECK(d.entries[0].tablespace == std::optional<std::string>(""));
    CHECK(d.entries[0].namespace_ == std::nullopt);
    CHECK(d.entries[0].dependencies == std::vector<std::string>{"1", "", "22", "333"});
    CHECK(d.entries[0].filename == std::nullopt);
    CHECK(d.entries[1].tag == std::nullopt);
    CHECK(d.entries[1].tablespace == std::nullopt);
    CHECK(d.entries[1].dependencies.empty());
    CHECK(d.entries[1].filename == std::optional<std::string>(""));
}

TEST_CASE("TOC: offset_field_positions point at each entry's Offset field", "[toc_codec]") {
    const ArchiveHeader h = sample_header(ArchiveVersion{1, 14, 0}, Compression::Gzip);
    const std::vector<TocEntry> entries = flavoured(sample_entries(h.version), TocFlavour::Offsets);
    const EncodedToc toc = encode_toc(entries, h, TocFlavour::Offsets);
    REQUIRE(toc.offset_field_positions.size() == entries.size());
    for (std::size_t i = 0; i < entries.size(); ++i) {
        INFO("entry " << entries[i].dump_id);
        const auto at = static_cast<std::size_t>(toc.offset_field_positions[i]);
        CHECK(toc.bytes.substr(at, 9) == encode_offset(entries[i].offset, 8));
    }
    // The last entry's Offset ends the TOC.
    CHECK(static_cast<std::size_t>(toc.offset_field_positions.back()) + 9 == toc.bytes.size());

    const EncodedToc names = encode_toc(flavoured(sample_entries(h.version), TocFlavour::Filenames), h, TocFlavour::Filenames);
    for (long p : names.offset_field_positions) CHECK(p == -1);
}

TEST_CASE("TOC: an intSize of 8 round-trips", "[toc_codec]") {
    ArchiveHeader h = sample_header(ArchiveVersion{1, 16, 0}, Compression::Zstd);
    h.int_size = 8;
    const std::vector<TocEntry> entries = flavoured(sample_entries(h.version), TocFlavour::Offsets);
    const std::string bytes = encode_header(h) + encode_toc(entries, h, TocFlavour::Offsets).bytes;
    const Decoded d = decode(bytes, TocFlavour::Offsets, 7);
    check_same_header(d.header, h);
    check_same_entries(d.entries, entries, true);
    CHECK(d.end == bytes.size());
}

TEST_CASE("Header: unsupported archive versions are refused with the supported range", "[toc_codec]") {
    const ArchiveVersion version = GENERATE(ArchiveVersion{1, 11, 0}, ArchiveVersion{1, 17, 0}, ArchiveVersion{1, 10, 255},
                                            ArchiveVersion{2, 0, 0}, ArchiveVersion{0, 16, 0});
    const std::string bytes = encode_header(sample_header(version, Compression::None)) + std::string(encode_int(0, 4).view());
    const auto error = catch_archive_error([&] { decode(bytes, TocFlavour::Offsets); });
    const std::string short_version = std::to_string(version.major) + "." + std::to_string(version.minor);
    CHECK_THAT(error.what(), Catch::Contains("unsupported archive version") && Catch::Contains(short_version) &&
                                 Catch::Contains("1.12 to 1.16"));
    CHECK(error.location().file == "toc.dat");
}

TEST_CASE("Header: wrong magic, bad sizes, format byte and compression are refused", "[toc_codec]") {
    const std::string good = encode_header(sample_header(ArchiveVersion{1, 15, 0}, Compression::Gzip)) + std::string(encode_int(0, 4).view());
    REQUIRE_NOTHROW(decode(good, TocFlavour::Offsets));
    auto refused = [&](std::size_t at, char value) {
        std::string bad = good;
        bad[at] = value;
        return catch_archive_error([&] { decode(bad, TocFlavour::Offsets); });
    };
    CHECK_THAT(refused(0, 'X').what(), Catch::Contains("not a pg_dump archive") && Catch::Contains("PGDMP"));
    CHECK_THAT(refused(4, 'p').what(), Catch::Contains("not a pg_dump archive"));
    CHECK_THAT(refused(8, 0).what(), Catch::Contains("implausible integer size"));
    CHECK_THAT(refused(8, 33).what(), Catch::Contains("implausible integer size"));
    CHECK_THAT(refused(9, 0).what(), Catch::Contains("offset size"));
    const auto format = refused(10, 2);
    CHECK_THAT(format.what(), Catch::Contains("archive format code 2"));
    CHECK(format.location().offset == std::optional<std::uint64_t>(10));
    CHECK_THAT(refused(11, 4).what(), Catch::Contains("unknown compression algorithm 4"));

    // <= 1.14: the level Int must be -1..9.
    ArchiveHeader h = sample_header(ArchiveVersion{1, 14, 0}, Compression::Gzip);
    h.legacy_level = 10;
    const std::string level10 = encode_header(h) + std::string(encode_int(0, 4).view());
    CHECK_THROWS_WITH(decode(level10, TocFlavour::Offsets), Catch::Contains("invalid compression level 10"));
}

TEST_CASE("TOC: an entry id <= 0 or an implausible count is refused with the location", "[toc_codec]") {
    const ArchiveHeader h = sample_header(ArchiveVersion{1, 14, 0}, Compression::None);
    const std::string header = encode_header(h);
    std::vector<TocEntry> entries = sample_entries(h.version);
    entries[1].dump_id = 0;
    const EncodedToc toc = encode_toc(entries, h, TocFlavour::Offsets);
    const auto error = catch_archive_error([&] { decode(header + toc.bytes, TocFlavour::Offsets); });
    CHECK_THAT(error.what(), Catch::Contains("out of range"));
    // The location is the start of the second entry: just after the first entry's Offset.
    CHECK(error.location().offset == std::optional<std::uint64_t>(header.size() + toc.offset_field_positions[0] + 9));
    CHECK_THAT(error.describe(), Catch::StartsWith("toc.dat: offset "));

    CHECK_THROWS_WITH(decode(header + std::string(encode_int(-1, 4).view()), TocFlavour::Offsets), Catch::Contains("implausible TOC entry count"));
}

TEST_CASE("Header and TOC truncated at every byte give 'unexpected end of file', never a crash", "[toc_codec]") {
    const TocFlavour flavour = GENERATE(TocFlavour::Offsets, TocFlavour::Filenames);
    const std::size_t max_read = GENERATE(1, 7);
    const ArchiveHeader h = sample_header(ArchiveVersion{1, 16, 0}, Compression::Gzip);
    std::vector<TocEntry> entries = flavoured(sample_entries(h.version), flavour);
    entries.resize(3); // keep the loop short: ~700 bytes
    const std::string bytes = encode_header(h) + encode_toc(entries, h, flavour).bytes;
    REQUIRE_NOTHROW(decode(bytes, flavour, max_read));
    for (std::size_t cut = 0; cut < bytes.size(); ++cut) {
        INFO("cut at " << cut << " of " << bytes.size());
        const auto error = catch_archive_error([&] { decode(bytes.substr(0, cut), flavour, max_read); });
        CHECK_THAT(error.what(), Catch::Contains("unexpected end of file"));
        CHECK(error.location().file == "toc.dat");
    }
}

TEST_CASE("TOC errors inside an entry name the entry", "[toc_codec]") {
    const ArchiveHeader h = sample_header(ArchiveVersion{1, 14, 0}, Compression::None);
    const std::vector<TocEntry> entries = flavoured(sample_entries(h.version), TocFlavour::Offsets);
    const EncodedToc toc = encode_toc(entries, h, TocFlavour::Offsets);
    std::string bytes = encode_header(h) + toc.bytes;
    // Corrupt the Offset flag of the TABLE DATA entry (index 2).
    bytes[encode_header(h).size() + static_cast<std::size_t>(toc.offset_field_positions[2])] = 9;
    const auto error = catch_archive_error([&] { decode(bytes, TocFlavour::Offsets); });
    CHECK_THAT(error.what(), Catch::Contains("unexpected data offset flag 9"));
    CHECK(error.location().dump_id == std::optional<int>(3364));
    CHECK_THAT(error.describe(), Catch::Contains("TOC entry 3364 (TABLE DATA public.users)"));
}

TEST_CASE("TOC errors: regression: text read from the wrong place is never printed raw", "[toc_codec]") {
    // Issue 10 #2: a corrupt string length made the reader take table rows
    // for TOC text, and messages printed them, e-mails and newlines included.
    const ArchiveHeader h = sample_header(ArchiveVersion{1, 14, 0}, Compression::None);
    std::vector<TocEntry> entries = flavoured(sample_entries(h.version), TocFlavour::Offsets);
    entries[2].desc = "1\tann.baker@gmail.com\tAnn\n2\tli.lei@example.net\tLi\n";
    const EncodedToc toc = encode_toc(entries, h, TocFlavour::Offsets);
    std::string bytes = encode_header(h) + toc.bytes;
    bytes[encode_header(h).size() + static_cast<std::size_t>(toc.offset_field_positions[2])] = 9;
    const auto error = catch_archive_error([&] { decode(bytes, TocFlavour::Offsets); });
    CHECK(error.describe().find("ann.baker") == std::string::npos);
    CHECK(error.describe().find('\n') == std::string::npos);
    CHECK(error.location().dump_id == std::optional<int>(3364));

    // Any entry name a message carries is one line, escaped, and bounded.
    ArchiveError named("bad block", ErrorLocation{"f", {}, 7, "TABLE DATA public.t\n" + std::string(500, 'x') + "\x01\xff"});
    const std::string text = named.describe();
    CHECK(text.find('\n') == std::string::npos);
    CHECK(text.find("\\x0a") != std::string::npos);
    CHECK(text.size() < 200);
}
