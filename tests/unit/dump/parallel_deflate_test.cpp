// Parallel gzip/zlib must produce one standard stream that any inflater reads,
// whatever the input size relative to the block size, and whatever the
// pieces it is written in.
#include "dump/compression.hpp"

#include <catch2/catch.hpp>
#include <zlib.h>

#include <random>
#include <string>

using namespace pgscrub::dump;
using namespace pgscrub::common;

namespace {

std::string sample_text(std::size_t size, unsigned seed) {
    std::mt19937 rng(seed);
    static const char* words[] = {"alpha", "beta\t", "gamma\n", "\\N", "émoji😀", "1234", "user@example.com "};
    std::string text;
    while (text.size() < size) text += words[rng() % 7];
    text.resize(size);
    return text;
}

std::string compress_in_pieces(PayloadEncoding encoding, const std::string& input, int threads, std::size_t piece,
                               std::optional<int> level = std::nullopt) {
    StringSink out;
    auto compressor = make_compressor(encoding, level, out, threads);
    for (std::size_t at = 0; at < input.size(); at += piece) {
        compressor->write(std::string_view(input).substr(at, piece));
    }
    compressor->finish();
    return out.data;
}

std::string decompress(PayloadEncoding encoding, const std::string& compressed) {
    StringSink out;
    auto decompressor = make_decompressor(encoding, out);
    decompressor->feed(compressed);
    decompressor->finish();
    return out.data;
}

} // namespace

TEST_CASE("parallel deflate round-trips at block-size boundaries", "[compression][parallel]") {
    auto encoding = GENERATE(PayloadEncoding::ZlibStream, PayloadEncoding::GzipFile);
    auto threads = GENERATE(2, 3);
    // The block size is 1 MiB.
    auto size = GENERATE(std::size_t{0}, std::size_t{1}, std::size_t{(1 << 20) - 1}, std::size_t{1 << 20},
                         std::size_t{(1 << 20) + 1}, std::size_t{(3 << 20) + 12345});
    auto piece = GENERATE(std::size_t{7}, std::size_t{65536}, std::size_t{3 << 20});

    std::string input = sample_text(size, static_cast<unsigned>(size));
    std::string compressed = compress_in_pieces(encoding, input, threads, piece);
    CAPTURE(encoding_name(encoding), threads, size, piece);
    REQUIRE(decompress(encoding, compressed) == input);
}

TEST_CASE("parallel deflate keeps the ratio close to one zlib stream", "[compression][parallel]") {
    std::string input = sample_text(6 << 20, 42);
    // zlib's own deflate, one stream for the whole input (what pg_dump writes).
    uLongf bound = compressBound(static_cast<uLong>(input.size()));
    std::string whole(bound, '\0');
    REQUIRE(compress2(reinterpret_cast<Bytef*>(whole.data()), &bound, reinterpret_cast<const Bytef*>(input.data()),
                      static_cast<uLong>(input.size()), 6) == Z_OK);
    std::size_t serial = bound;
    std::size_t blocks = compress_in_pieces(PayloadEncoding::ZlibStream, input, 2, 65536, 6).size();
    // Priming each block with the previous block's window keeps the loss tiny.
    REQUIRE(blocks < serial + serial / 50);
}

TEST_CASE("parallel deflate writes a zlib header matching the level", "[compression][parallel]") {
    std::string input = sample_text(100, 1);
    for (auto [level, flg] : {std::pair{1, 0x01}, std::pair{5, 0x5e}, std::pair{6, 0x9c}, std::pair{9, 0xda}}) {
        std::string out = compress_in_pieces(PayloadEncoding::ZlibStream, input, 2, 4096, level);
        CAPTURE(level);
        REQUIRE(static_cast<unsigned char>(out[0]) == 0x78);
        REQUIRE(static_cast<unsigned char>(out[1]) == flg);
        REQUIRE(decompress(PayloadEncoding::ZlibStream, out) == input);
    }
}

TEST_CASE("zstd with worker threads round-trips", "[compression][parallel]") {
    std::string input = sample_text(5 << 20, 7);
    std::string compressed = compress_in_pieces(PayloadEncoding::ZstdFrame, input, 2, 65536);
    REQUIRE(decompress(PayloadEncoding::ZstdFrame, compressed) == input);
}

// A frame whose decoded size is an exact multiple of the decoder's output
// buffer ends on a full buffer; the decoder then made one more call, which
// began waiting for a next frame and reported the finished frame as truncated.
TEST_CASE("regression: zstd frame ending exactly on a full output buffer is complete", "[compression][regression]") {
    auto threads = GENERATE(1, 2);
    std::string input(5 << 20, 'a');
    for (std::size_t i = 0; i < input.size(); ++i) input[i] = "abcdefgh\n\t"[(i * 7919) % 10];
    std::string compressed = compress_in_pieces(PayloadEncoding::ZstdFrame, input, threads, 65536);
    REQUIRE(decompress(PayloadEncoding::ZstdFrame, compressed) == input);
}
