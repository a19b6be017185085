// Streaming compression codecs (dump/compression.hpp): round trips with every
// piece size, the exact framing each format needs (zlib stream vs gzip file,
// lz4 frame, zstd frame), and errors for corrupt and truncated streams.

#include "archive_builders.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub::test;

namespace {

// Records each push a compressor makes.
class PieceRecorder final : public ByteSink {
public:
    void write(std::string_view bytes) override {
        sizes.push_back(bytes.size());
        data.append(bytes);
    }
    std::vector<std::size_t> sizes;
    std::string data;
};

std::string compress_in_pieces(PayloadEncoding encoding, std::string_view input, std::size_t piece,
                               std::vector<std::size_t>* push_sizes = nullptr, int threads = 1) {
    PieceRecorder out;
    auto compressor = make_compressor(encoding, std::nullopt, out, threads);
    for (std::size_t at = 0; at < input.size(); at += piece) compressor->write(input.substr(at, piece));
    compressor->finish();
    if (push_sizes) *push_sizes = out.sizes;
    return out.data;
}

std::string decompress_in_pieces(PayloadEncoding encoding, std::string_view stored, std::size_t piece) {
    StringSink out;
    auto decompressor = make_decompressor(encoding, out);
    for (std::size_t at = 0; at < stored.size(); at += piece) decompressor->feed(stored.substr(at, piece));
    decompressor->finish();
    return out.data;
}

// Both compressible COPY text and incompressible bytes, larger than every
// internal buffer (64 KiB output, lz4's 64 KiB input slices, zstd's 128 KiB blocks).
const std::string& sample_input() {
    static const std::string input = random_copy_text(2500) + random_bytes(70000) + random_copy_text(500, 9);
    return input;
}

const PayloadEncoding kAllEncodings[] = {PayloadEncoding::Raw, PayloadEncoding::ZlibStream, PayloadEncoding::GzipFile,
                                         PayloadEncoding::Lz4Frame, PayloadEncoding::ZstdFrame};

} // namespace

TEST_CASE("Codecs round-trip with input and compressed bytes fed in pieces of any size", "[compression]") {
    const PayloadEncoding encoding =
        GENERATE(PayloadEncoding::Raw, PayloadEncoding::ZlibStream, PayloadEncoding::GzipFile,
                 PayloadEncoding::Lz4Frame, PayloadEncoding::ZstdFrame);
    const std::size_t piece = GENERATE(1, 7, 4096, 65536);
    const int threads = GENERATE(1, 3);
    INFO(encoding_name(encoding) << ", pieces of " << piece << ", " << threads << " threads");
    const std::string& input = sample_input();
    std::vector<std::size_t> pushes;
    const std::string stored = compress_in_pieces(encoding, input, piece, &pushes, threads);
    if (encoding != PayloadEncoding::Raw) CHECK(compress_all(encoding, std::string(100000, 'a')).size() < 1000);
    CHECK(decompress_in_pieces(encoding, stored, piece) == input);
    // A compressor never pushes an empty piece: the custom writer turns every
    // push into a chunk, and an empty chunk would end the block.
    CHECK(std::count(pushes.begin(), pushes.end(), std::size_t(0)) == 0);
}

TEST_CASE("Codecs: compressed bytes carry the standard magic of each format", "[compression]") {
    const std::string input = random_copy_text(10);
    CHECK(compress_all(PayloadEncoding::Raw, input) == input);
    const std::string zlib = compress_all(PayloadEncoding::ZlibStream, input);
    CHECK(static_cast<unsigned char>(zlib[0]) == 0x78); // RFC 1950, not gzip, not raw deflate
    const std::string gzip = compress_all(PayloadEncoding::GzipFile, input);
    CHECK(gzip.substr(0, 2) == "\x1f\x8b");
    CHECK(compress_all(PayloadEncoding::Lz4Frame, input).substr(0, 4) == "\x04\x22\x4d\x18");
    CHECK(compress_all(PayloadEncoding::ZstdFrame, input).substr(0, 4) == "\x28\xb5\x2f\xfd");
}

TEST_CASE("Codecs: the requested level is used", "[compression]") {
    std::string input; // compressible, unlike random text
    for (int i = 0; i < 3000; ++i) {
        input += std::to_string(i) + "\tuser" + std::to_string(i % 97) + "\tuser" + std::to_string(i % 89) +
                 "@example.com\n";
    }
    // zlib's header records the level class in FLEVEL: 1 -> 0x01, 6 -> 0x9c, 9 -> 0xda; without a
    // level igzip compresses at its level 2, and the header says "fast" (0x5e).
    CHECK(static_cast<unsigned char>(compress_all(PayloadEncoding::ZlibStream, input, 1)[1]) == 0x01);
    CHECK(static_cast<unsigned char>(compress_all(PayloadEncoding::ZlibStream, input, 6)[1]) == 0x9c);
    CHECK(static_cast<unsigned char>(compress_all(PayloadEncoding::ZlibStream, input)[1]) == 0x5e);
    CHECK(static_cast<unsigned char>(compress_all(PayloadEncoding::ZlibStream, input, 9)[1]) == 0xda);
    // gzip's XFL byte: 4 = fastest, 2 = best.
    CHECK(compress_all(PayloadEncoding::GzipFile, input, 1)[8] == 4);
    CHECK(compress_all(PayloadEncoding::GzipFile, input, 9)[8] == 2);
    for (PayloadEncoding e : {PayloadEncoding::Lz4Frame, PayloadEncoding::ZstdFrame}) {
        INFO(encoding_name(e));
        const std::string fast = compress_all(e, input, 1);
        const std::string best = compress_all(e, input, 12);
        CHECK(fast != best);
        CHECK(decompress_all(e, best) == input);
    }
    CHECK_THROWS_AS(compress_all(PayloadEncoding::ZlibStream, input, 12), ArchiveError);
}

TEST_CASE("Codecs: empty input makes a complete stream that decodes to nothing", "[compression]") {
    for (PayloadEncoding e : kAllEncodings) {
        INFO(encoding_name(e));
        const std::string stored = compress_all(e, "");
        // Only raw data may be empty: a zero-chunk gzip block is fatal to pg_restore.
        CHECK(stored.empty() == (e == PayloadEncoding::Raw));
        CHECK(decompress_all(e, stored).empty());
        CHECK(decompress_in_pieces(e, stored, 1).empty());
    }
}

TEST_CASE("Codecs: zero stored bytes are a truncated stream for every compressed encoding", "[compression]") {
    for (PayloadEncoding e : kAllEncodings) {
        INFO(encoding_name(e));
        StringSink out;
        auto d = make_decompressor(e, out);
        if (e == PayloadEncoding::Raw)
            CHECK_NOTHROW(d->finish());
        else
            CHECK_THROWS_AS(d->finish(), ArchiveError);
    }
}

TEST_CASE("Codecs: a corrupt byte in a zlib or gzip stream is an error saying corrupt", "[compression]") {
    const PayloadEncoding encoding = GENERATE(PayloadEncoding::ZlibStream, PayloadEncoding::GzipFile);
    const std::size_t piece = GENERATE(1, 7, 4096, 65536);
    INFO(encoding_name(encoding) << ", pieces of " << piece);
    std::string stored = compress_all(encoding, sample_input());
    stored[stored.size() / 2] = static_cast<char>(stored[stored.size() / 2] ^ 0x5a);
    CHECK_THROWS_WITH(decompress_in_pieces(encoding, stored, piece), Catch::Contains("corrupt"));
}

TEST_CASE("Codecs: a corrupt lz4 or zstd block header is an error saying corrupt", "[compression]") {
    // lz4 and zstd frames written with default settings carry no checksum, so
    // a flipped data byte may go unnoticed; a broken block header may not.
    const std::string input = sample_input();
    SECTION("lz4: a block size beyond the frame's maximum") {
        std::string stored = compress_all(PayloadEncoding::Lz4Frame, input);
        // Header: magic(4) FLG BD HC = 7 bytes; then the first block size (LE, 4 bytes).
        const std::string huge("\xff\xff\xff\x7f", 4);
        stored.replace(7, 4, huge);
        CHECK_THROWS_WITH(decompress_in_pieces(PayloadEncoding::Lz4Frame, stored, 7), Catch::Contains("corrupt"));
    }
    SECTION("zstd: a reserved block type") {
        std::string stored = compress_all(PayloadEncoding::ZstdFrame, input);
        // Frame header: magic(4) + descriptor; a streamed frame has FHD with no content size.
        const unsigned char fhd = static_cast<unsigned char>(stored[4]);
        REQUIRE((fhd & 0xc0) == 0); // no frame content size field
        const bool single_segment = (fhd & 0x20) != 0;
        REQUIRE_FALSE(single_segment);
        const std::size_t dict_id_size[] = {0, 1, 2, 4};
        const std::size_t block_at = 4 + 1 + 1 /* window descriptor */ + dict_id_size[fhd & 3];
        stored[block_at] = static_cast<char>(stored[block_at] | 0x06); // block type 3 = reserved
        CHECK_THROWS_WITH(decompress_in_pieces(PayloadEncoding::ZstdFrame, stored, 4096), Catch::Contains("corrupt"));
    }
    SECTION("a wrong magic number") {
        for (PayloadEncoding e : {PayloadEncoding::Lz4Frame, PayloadEncoding::ZstdFrame}) {
            INFO(encoding_name(e));
            std::string stored = compress_all(e, input);
            stored[1] = static_cast<char>(stored[1] ^ 0x01);
            CHECK_THROWS_WITH(decompress_all(e, stored), Catch::Contains("corrupt"));
        }
    }
}

TEST_CASE("Codecs: a stream truncated at any byte fails at feed or at finish", "[compression]") {
    const PayloadEncoding encoding = GENERATE(PayloadEncoding::ZlibStream, PayloadEncoding::GzipFile,
                                              PayloadEncoding::Lz4Frame, PayloadEncoding::ZstdFrame);
    INFO(encoding_name(encoding));
    const std::string input = random_copy_text(30) + random_bytes(300);
    const std::string stored = compress_all(encoding, input);
    for (std::size_t cut = 0; cut < stored.size(); ++cut) {
        INFO("cut at " << cut << " of " << stored.size());
        StringSink out;
        auto d = make_decompressor(encoding, out);
        CHECK_THROWS_AS(
            [&] {
                d->feed(std::string_view(stored).substr(0, cut));
                d->finish();
            }(),
            ArchiveError);
    }
    SECTION("the message at finish says truncated") {
        StringSink out;
        auto d = make_decompressor(encoding, out);
        d->feed(std::string_view(stored).substr(0, stored.size() - 1));
        CHECK_THROWS_WITH(d->finish(), Catch::Contains("truncated"));
    }
}

TEST_CASE("Codecs: a zlib stream followed by anything is an error (pg_restore would loop)", "[compression]") {
    const std::size_t piece = GENERATE(1, 7, 4096, 65536);
    const std::string one = compress_all(PayloadEncoding::ZlibStream, "first\n");
    SECTION("trailing garbage") {
        CHECK_THROWS_WITH(decompress_in_pieces(PayloadEncoding::ZlibStream, one + "garbage", piece),
                          Catch::Contains("after the end"));
    }
    SECTION("a second complete stream") {
        const std::string two = compress_all(PayloadEncoding::ZlibStream, "second\n");
        CHECK_THROWS_WITH(decompress_in_pieces(PayloadEncoding::ZlibStream, one + two, piece),
                          Catch::Contains("after the end"));
    }
}

TEST_CASE("Codecs: a gzip file with several members decodes all of them, as gzread does", "[compression]") {
    const std::size_t piece = GENERATE(1, 7, 4096, 65536);
    const std::string first = random_copy_text(300, 1);
    const std::string second = random_copy_text(300, 2);
    const std::string stored = compress_all(PayloadEncoding::GzipFile, first) +
                               compress_all(PayloadEncoding::GzipFile, "") +
                               compress_all(PayloadEncoding::GzipFile, second);
    CHECK(decompress_in_pieces(PayloadEncoding::GzipFile, stored, piece) == first + second);
}

TEST_CASE("Codecs: a gzip file truncated inside its second member is an error", "[compression]") {
    const std::string stored =
        compress_all(PayloadEncoding::GzipFile, "one\n") + compress_all(PayloadEncoding::GzipFile, "two\n");
    CHECK_THROWS_WITH(decompress_all(PayloadEncoding::GzipFile, stored.substr(0, stored.size() - 3)),
                      Catch::Contains("truncated"));
}

TEST_CASE("Codecs: gzip files and zlib streams are not interchangeable", "[compression]") {
    const std::string input = random_copy_text(20);
    CHECK_THROWS_AS(decompress_all(PayloadEncoding::ZlibStream, compress_all(PayloadEncoding::GzipFile, input)),
                    ArchiveError);
    CHECK_THROWS_AS(decompress_all(PayloadEncoding::GzipFile, compress_all(PayloadEncoding::ZlibStream, input)),
                    ArchiveError);
}

TEST_CASE("Encodings per format and directory suffixes", "[compression]") {
    CHECK(custom_block_encoding(Compression::None) == PayloadEncoding::Raw);
    CHECK(custom_block_encoding(Compression::Gzip) == PayloadEncoding::ZlibStream);
    CHECK(custom_block_encoding(Compression::Lz4) == PayloadEncoding::Lz4Frame);
    CHECK(custom_block_encoding(Compression::Zstd) == PayloadEncoding::ZstdFrame);
    CHECK(directory_file_encoding(Compression::None) == PayloadEncoding::Raw);
    CHECK(directory_file_encoding(Compression::Gzip) == PayloadEncoding::GzipFile);
    CHECK(directory_file_encoding(Compression::Lz4) == PayloadEncoding::Lz4Frame);
    CHECK(directory_file_encoding(Compression::Zstd) == PayloadEncoding::ZstdFrame);
    CHECK(std::string(directory_suffix(PayloadEncoding::Raw)).empty());
    CHECK(std::string(directory_suffix(PayloadEncoding::GzipFile)) == ".gz");
    CHECK(std::string(directory_suffix(PayloadEncoding::Lz4Frame)) == ".lz4");
    CHECK(std::string(directory_suffix(PayloadEncoding::ZstdFrame)) == ".zst");
}

TEST_CASE("CompressionSpec::parse accepts algorithm[:level] within each algorithm's range", "[compression][spec]") {
    struct Case {
        const char* text;
        Compression algorithm;
        std::optional<int> level;
    };
    const Case cases[] = {
        {"none", Compression::None, std::nullopt}, {"gzip", Compression::Gzip, std::nullopt},
        {"gzip:1", Compression::Gzip, 1},          {"gzip:9", Compression::Gzip, 9},
        {"lz4", Compression::Lz4, std::nullopt},   {"lz4:3", Compression::Lz4, 3},
        {"lz4:12", Compression::Lz4, 12},          {"zstd", Compression::Zstd, std::nullopt},
        {"zstd:1", Compression::Zstd, 1},          {"zstd:19", Compression::Zstd, 19},
        {"zstd:22", Compression::Zstd, 22},
    };
    for (const Case& c : cases) {
        INFO(c.text);
        std::string error;
        const auto spec = CompressionSpec::parse(c.text, error);
        REQUIRE(spec.has_value());
        CHECK(error.empty());
        CHECK(spec->algorithm == c.algorithm);
        CHECK(spec->level == c.level);
        CHECK(spec->to_string() == c.text);
    }
}

TEST_CASE("CompressionSpec::parse rejects unknown algorithms and bad levels with a message", "[compression][spec]") {
    for (const char* text :
         {"gzip:0", "gzip:10", "gzip:-1", "gzip:", "gzip:9x", "gzip: 9", "gzip:9:1", "none:1", "none:0", "lz4:0",
          "lz4:13", "zstd:", "zstd:x", "zstd:23", "brotli", "brotli:3", "", "GZIP", "gz"}) {
        INFO("\"" << text << "\"");
        std::string error;
        CHECK_FALSE(CompressionSpec::parse(text, error).has_value());
        CHECK_FALSE(error.empty());
    }
    std::string error;
    CompressionSpec::parse("brotli", error);
    CHECK_THAT(error, Catch::Contains("brotli") && Catch::Contains("gzip"));
    CompressionSpec::parse("gzip:10", error);
    CHECK_THAT(error, Catch::Contains("gzip:10") && Catch::Contains("1-9"));
}
