// pg_dump's primitive encodings (docs/archive-format.md §2):
// Int = sign byte + little-endian magnitude, Str = Int length (-1 = NULL) +
// bytes, Offset = flag byte + little-endian position.

#include "archive_builders.hpp"

#include <catch2/catch.hpp>

#include <limits>

using namespace pgscrub::test;
using namespace std::string_literals;

namespace {

std::string bytes(std::initializer_list<int> values) {
    std::string out;
    for (int v : values) out.push_back(static_cast<char>(v));
    return out;
}

std::int64_t read_int(const std::string& data, int int_size = 4) {
    MemoryInput in("ints", data);
    return PrimitiveReader(in, int_size, 8).read_int("test int");
}

} // namespace

TEST_CASE("Int: sign byte then little-endian magnitude, as in the spec examples", "[primitives]") {
    CHECK(std::string(encode_int(0, 4).view()) == bytes({0, 0, 0, 0, 0}));
    CHECK(std::string(encode_int(3364, 4).view()) == bytes({0x00, 0x24, 0x0d, 0x00, 0x00}));
    CHECK(std::string(encode_int(-1, 4).view()) == bytes({0x01, 0x01, 0x00, 0x00, 0x00}));
    CHECK(std::string(encode_int(-3364, 4).view()) == bytes({0x01, 0x24, 0x0d, 0x00, 0x00}));
    CHECK(std::string(encode_int(std::numeric_limits<std::int32_t>::max(), 4).view()) == bytes({0x00, 0xff, 0xff, 0xff, 0x7f}));
    CHECK(std::string(encode_int(std::numeric_limits<std::int32_t>::min(), 4).view()) == bytes({0x01, 0x00, 0x00, 0x00, 0x80}));
}

TEST_CASE("Int: values round-trip, negatives included", "[primitives]") {
    for (std::int64_t v : {0LL, 1LL, -1LL, 255LL, 256LL, -256LL, 3364LL, 65536LL, -123456789LL, 2147483647LL, -2147483648LL}) {
        INFO("value " << v);
        CHECK(read_int(std::string(encode_int(v, 4).view())) == v);
    }
}

TEST_CASE("Int: any non-zero sign byte means negative", "[primitives]") {
    CHECK(read_int(bytes({0x02, 0x05, 0, 0, 0})) == -5);
    CHECK(read_int(bytes({0xff, 0x05, 0, 0, 0})) == -5);
    CHECK(read_int(bytes({0x00, 0x05, 0, 0, 0})) == 5);
}

TEST_CASE("Int: an OID >= 2^31 is written as a negative C int and reads back as the same OID", "[primitives]") {
    // 3000000000 as int32 is -1294967296 = -(0x4d2fa200).
    const std::string encoded = std::string(encode_int(kHighOid, 4).view());
    CHECK(encoded == bytes({0x01, 0x00, 0xa2, 0x2f, 0x4d}));
    const std::int64_t raw = read_int(encoded);
    CHECK(raw == -1294967296LL);
    CHECK(static_cast<std::uint32_t>(raw) == kHighOid);

    // The extremes: 2^31 and 2^32-1.
    CHECK(std::string(encode_int(2147483648LL, 4).view()) == bytes({0x01, 0x00, 0x00, 0x00, 0x80}));
    CHECK(static_cast<std::uint32_t>(read_int(std::string(encode_int(2147483648LL, 4).view()))) == 2147483648u);
    CHECK(std::string(encode_int(4294967295LL, 4).view()) == bytes({0x01, 0x01, 0x00, 0x00, 0x00}));
    CHECK(static_cast<std::uint32_t>(read_int(std::string(encode_int(4294967295LL, 4).view()))) == 4294967295u);
}

TEST_CASE("Int: an intSize of 8 writes and reads 9-byte Ints", "[primitives]") {
    CHECK(std::string(encode_int(-1, 8).view()) == bytes({1, 1, 0, 0, 0, 0, 0, 0, 0}));
    CHECK(std::string(encode_int(3364, 8).view()) == bytes({0, 0x24, 0x0d, 0, 0, 0, 0, 0, 0}));
    CHECK(std::string(encode_int(kHighOid, 8).view()).size() == 9);
    for (std::int64_t v : {0LL, -1LL, 3364LL, -2147483648LL, 2147483647LL}) {
        INFO("value " << v);
        CHECK(read_int(std::string(encode_int(v, 8).view()), 8) == v);
    }
    // The reader takes whatever magnitude an 8-byte Int holds.
    CHECK(read_int(bytes({0, 0, 0, 0, 0, 1, 0, 0, 0}), 8) == (std::int64_t(1) << 32));
    // An intSize of 2 works too: the format only says "sizeof(int)".
    CHECK(std::string(encode_int(-300, 2).view()) == bytes({1, 0x2c, 0x01}));
    CHECK(read_int(bytes({1, 0x2c, 0x01}), 2) == -300);
}

TEST_CASE("Int: truncated input is an ArchiveError naming what was expected", "[primitives]") {
    const auto error = catch_archive_error([] { read_int(bytes({0, 1, 2})); });
    CHECK_THAT(error.what(), Catch::Contains("unexpected end of file") && Catch::Contains("test int"));
    CHECK(error.location().file == "ints");
    CHECK(error.location().offset == std::optional<std::uint64_t>(0));
}

TEST_CASE("Str: NULL is length -1, empty is length 0, and they read back differently", "[primitives]") {
    std::string out;
    PrimitiveWriter writer(out, 4, 8);
    writer.write_str(std::nullopt);
    writer.write_str(std::string());
    writer.write_str("abc"s);
    writer.write_str("nul\0inside"s);
    CHECK(out.substr(0, 5) == bytes({1, 1, 0, 0, 0}));
    CHECK(out.substr(5, 5) == bytes({0, 0, 0, 0, 0}));
    CHECK(out.substr(10, 8) == bytes({0, 3, 0, 0, 0}) + "abc");

    MemoryInput in("strs", out);
    PrimitiveReader reader(in, 4, 8);
    CHECK(reader.read_str("a") == std::nullopt);
    const auto empty = reader.read_str("b");
    REQUIRE(empty.has_value());
    CHECK(empty->empty());
    CHECK(reader.read_str("c") == std::optional<std::string>("abc"));
    CHECK(reader.read_str("d") == std::optional<std::string>("nul\0inside"s));
    CHECK(in.position() == out.size());
}

TEST_CASE("Str: a truncated body and an implausible length are errors", "[primitives]") {
    SECTION("body shorter than its length") {
        MemoryInput in("s", bytes({0, 10, 0, 0, 0}) + "short");
        PrimitiveReader reader(in, 4, 8);
        const auto error = catch_archive_error([&] { reader.read_str("TOC entry tag"); });
        CHECK_THAT(error.what(), Catch::Contains("unexpected end of file") && Catch::Contains("TOC entry tag"));
    }
    SECTION("length beyond any real string") {
        MemoryInput in("s", bytes({0, 0, 0, 0, 0x7f}));
        PrimitiveReader reader(in, 4, 8);
        const auto error = catch_archive_error([&] { reader.read_str("TOC entry tag"); });
        CHECK_THAT(error.what(), Catch::Contains("implausible length"));
    }
}

TEST_CASE("Offset: flags 1, 2 and 3; position little-endian; zeros unless set", "[primitives]") {
    CHECK(encode_offset(DataOffset{OffsetFlag::Set, 4590}, 8) == bytes({2, 0xee, 0x11, 0, 0, 0, 0, 0, 0}));
    // pg_dump writes 8 zero bytes for "not set" and "no data", whatever the position says.
    CHECK(encode_offset(DataOffset{OffsetFlag::NotSet, 4590}, 8) == bytes({1, 0, 0, 0, 0, 0, 0, 0, 0}));
    CHECK(encode_offset(DataOffset{OffsetFlag::NoData, 0}, 8) == bytes({3, 0, 0, 0, 0, 0, 0, 0, 0}));

    const std::uint64_t big = 0x0102030405060708ULL;
    std::string out;
    PrimitiveWriter writer(out, 4, 8);
    writer.write_offset(DataOffset{OffsetFlag::Set, big});
    writer.write_offset(DataOffset{OffsetFlag::NotSet, 0});
    writer.write_offset(DataOffset{OffsetFlag::NoData, 0});
    CHECK(writer.offset_field_size() == 9);
    REQUIRE(out.size() == 27);

    MemoryInput in("offsets", out);
    PrimitiveReader reader(in, 4, 8);
    const DataOffset set = reader.read_offset("o1");
    CHECK(set.flag == OffsetFlag::Set);
    CHECK(set.position == big);
    CHECK(reader.read_offset("o2").flag == OffsetFlag::NotSet);
    CHECK(reader.read_offset("o3").flag == OffsetFlag::NoData);
}

TEST_CASE("Offset: a flag other than 1, 2 or 3 is an error with its offset", "[primitives]") {
    for (int flag : {0, 4, 255}) {
        INFO("flag " << flag);
        MemoryInput in("offsets", "xx" + bytes({flag, 0, 0, 0, 0, 0, 0, 0, 0}));
        in.skip(2, "prefix");
        PrimitiveReader reader(in, 4, 8);
        const auto error = catch_archive_error([&] { reader.read_offset("TOC entry data offset"); });
        CHECK_THAT(error.what(), Catch::Contains("unexpected data offset flag " + std::to_string(flag)));
        CHECK(error.location().offset == std::optional<std::uint64_t>(2));
    }
}

TEST_CASE("Offset: offset sizes other than 8", "[primitives]") {
    SECTION("4-byte offsets") {
        CHECK(encode_offset(DataOffset{OffsetFlag::Set, 0x01020304}, 4) == bytes({2, 4, 3, 2, 1}));
        MemoryInput in("o", bytes({2, 4, 3, 2, 1}));
        CHECK(PrimitiveReader(in, 4, 4).read_offset("o").position == 0x01020304u);
    }
    SECTION("12-byte offsets: high bytes must be zero") {
        const std::string good = encode_offset(DataOffset{OffsetFlag::Set, 77}, 12);
        CHECK(good.size() == 13);
        MemoryInput in("o", good);
        CHECK(PrimitiveReader(in, 4, 12).read_offset("o").position == 77);

        std::string bad = good;
        bad[12] = 1;
        MemoryInput bad_in("o", bad);
        PrimitiveReader reader(bad_in, 4, 12);
        CHECK_THROWS_WITH(reader.read_offset("o"), Catch::Contains("does not fit"));
    }
}

TEST_CASE("MemoryInput: max_read limits each read; read_exact still assembles across reads", "[primitives][byte_stream]") {
    const std::size_t max_read = GENERATE(1, 7, 4096, 65536);
    const std::string data = random_bytes(300000, 3);
    MemoryInput in("mem", data, max_read);
    std::string got(data.size(), '\0');
    in.read_exact(got.data(), 1000, "first");
    CHECK(in.peek(3) == std::string_view(data).substr(1000, 3));
    in.skip(5000, "skipped");
    in.read_exact(got.data() + 6000, data.size() - 6000, "rest");
    CHECK(std::string_view(got).substr(6000) == std::string_view(data).substr(6000));
    CHECK(in.position() == data.size());
    char c;
    CHECK(in.read_some(&c, 1) == 0);
    CHECK(in.peek(1).empty());
}
