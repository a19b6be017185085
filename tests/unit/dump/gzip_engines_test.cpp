// gzip through ISA-L (dump/isal_inflate.cpp, dump/parallel_deflate.cpp) with
// zlib as the reference: what igzip writes zlib reads, what zlib writes igzip
// reads; the block deflater writes the same bytes for any thread count; a
// corrupt or truncated stream is an error saying so.

#include "archive_builders.hpp"
#include "dump/parallel_deflate.hpp"

#include <catch2/catch.hpp>
#include <zlib.h>

#include <cstring>

using namespace pgscrub::test;

namespace {

constexpr std::size_t kBlock = 1 << 20; // dump/parallel_deflate.cpp's block size

// zlib's own deflate, one stream (or gzip member) for the whole input.
std::string zlib_deflate(std::string_view input, bool gzip_file, int level, int flush_every = 0) {
    z_stream s;
    std::memset(&s, 0, sizeof s);
    REQUIRE(deflateInit2(&s, level, Z_DEFLATED, gzip_file ? 16 + MAX_WBITS : MAX_WBITS, 8, Z_DEFAULT_STRATEGY) == Z_OK);
    std::string out(deflateBound(&s, input.size()) + 1024 + (flush_every ? input.size() / flush_every * 8 : 0), '\0');
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    std::size_t at = 0;
    do {
        std::size_t n = flush_every ? std::min<std::size_t>(flush_every, input.size() - at) : input.size() - at;
        s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(input.data() + at));
        s.avail_in = static_cast<uInt>(n);
        at += n;
        int rc = deflate(&s, at == input.size() ? Z_FINISH : Z_FULL_FLUSH);
        REQUIRE(rc == (at == input.size() ? Z_STREAM_END : Z_OK));
    } while (at < input.size());
    out.resize(out.size() - s.avail_out);
    deflateEnd(&s);
    return out;
}

// zlib's own inflate; a gzip file may hold several members, as gzread reads them.
std::string zlib_inflate(std::string_view stored, bool gzip_file) {
    z_stream s;
    std::memset(&s, 0, sizeof s);
    REQUIRE(inflateInit2(&s, gzip_file ? 16 + MAX_WBITS : MAX_WBITS) == Z_OK);
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(stored.data()));
    s.avail_in = static_cast<uInt>(stored.size());
    std::string out;
    char buffer[65536];
    int rc = Z_OK;
    for (;;) {
        s.next_out = reinterpret_cast<Bytef*>(buffer);
        s.avail_out = sizeof buffer;
        rc = inflate(&s, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - s.avail_out);
        if (rc == Z_STREAM_END && gzip_file && s.avail_in > 0) {
            inflateReset(&s);
            continue;
        }
        if (rc != Z_OK) break;
    }
    inflateEnd(&s);
    REQUIRE(rc == Z_STREAM_END);
    REQUIRE(s.avail_in == 0);
    return out;
}

std::string compressible(std::size_t size, unsigned seed) {
    std::string text = random_copy_text(size / 40 + 1, seed);
    for (std::size_t i = 0; text.size() < size; ++i)
        text += "user" + std::to_string(i % 500) + "@example.com\tactive\n";
    text.resize(size);
    return text;
}

std::string deflate_with(PayloadEncoding encoding, std::string_view input, std::optional<int> level, int threads,
                         std::size_t piece = 65536) {
    StringSink out;
    auto c = make_compressor(encoding, level, out, threads);
    for (std::size_t at = 0; at < input.size(); at += piece) c->write(input.substr(at, piece));
    c->finish();
    return out.data;
}

std::string inflate_in_pieces(PayloadEncoding encoding, std::string_view stored, std::size_t piece) {
    StringSink out;
    auto d = make_decompressor(encoding, out);
    for (std::size_t at = 0; at < stored.size(); at += piece) d->feed(stored.substr(at, piece));
    d->finish();
    return out.data;
}

const std::size_t kSizes[] = {0, 1, kBlock - 1, kBlock, kBlock + 1, 2 * kBlock, 3 * kBlock + 12345};

} // namespace

TEST_CASE("gzip: what the block deflater writes, zlib reads (igzip by default, zlib at a level)",
          "[compression][isal]") {
    const PayloadEncoding encoding = GENERATE(PayloadEncoding::ZlibStream, PayloadEncoding::GzipFile);
    const std::optional<int> level = GENERATE(std::optional<int>{}, std::optional<int>{1}, std::optional<int>{6});
    const int threads = GENERATE(1, 2);
    const bool gzip_file = encoding == PayloadEncoding::GzipFile;
    for (std::size_t size : kSizes) {
        for (const std::string& input : {compressible(size, 3), random_bytes(size, 5)}) {
            INFO(encoding_name(encoding) << ", level " << (level ? std::to_string(*level) : "default") << ", "
                                         << threads << " threads, " << size << " bytes");
            const std::string stored = deflate_with(encoding, input, level, threads);
            CHECK(zlib_inflate(stored, gzip_file) == input);
        }
    }
}

TEST_CASE("gzip: igzip reads what zlib writes, in pieces of any size", "[compression][isal]") {
    const PayloadEncoding encoding = GENERATE(PayloadEncoding::ZlibStream, PayloadEncoding::GzipFile);
    const int level = GENERATE(1, 6, 9);
    const std::size_t piece = GENERATE(1, 7, 4096, 65536, 1 << 22);
    const bool gzip_file = encoding == PayloadEncoding::GzipFile;
    // Small pieces are slow through any inflater: keep the input small for them.
    const std::size_t size = piece < 4096 ? 20000 : 3 * kBlock + 77;
    const std::string input = compressible(size / 2, 11) + random_bytes(size / 4, 12) + compressible(size / 4, 13);
    INFO(encoding_name(encoding) << ", zlib level " << level << ", pieces of " << piece);
    CHECK(inflate_in_pieces(encoding, zlib_deflate(input, gzip_file, level), piece) == input);
    // Full flushes (pg_dump's Z_FINISH per stream, pigz's byte-aligned joins).
    CHECK(inflate_in_pieces(encoding, zlib_deflate(input, gzip_file, level, 3000), piece) == input);
}

TEST_CASE("gzip: the block deflater writes the same bytes for 1, 2 and 7 threads", "[compression][isal][parallel]") {
    const PayloadEncoding encoding = GENERATE(PayloadEncoding::ZlibStream, PayloadEncoding::GzipFile);
    const std::optional<int> level = GENERATE(std::optional<int>{}, std::optional<int>{6});
    for (std::size_t size : kSizes) {
        for (const std::string& input : {compressible(size, 21), random_bytes(size, 22)}) {
            INFO(encoding_name(encoding) << ", level " << (level ? std::to_string(*level) : "default") << ", " << size
                                         << " bytes");
            const std::string one = deflate_with(encoding, input, level, 1, 4096);
            CHECK(deflate_with(encoding, input, level, 2, 65536) == one);
            CHECK(deflate_with(encoding, input, level, 7, kBlock + 3) == one);
            CHECK(inflate_in_pieces(encoding, one, 65536) == input);
        }
    }
}

TEST_CASE("gzip: every igzip level writes a stream zlib reads, and higher levels are smaller", "[compression][isal]") {
    const std::string input = compressible(2 * kBlock + 5, 31);
    std::size_t previous = input.size() * 2;
    for (int level = 0; level <= 3; ++level) {
        StringSink out;
        auto c = make_parallel_deflate(out, false, DeflateEngine::Isal, level, 2);
        c->write(input);
        c->finish();
        INFO("igzip level " << level);
        CHECK(zlib_inflate(out.data, false) == input);
        if (level >= 1) CHECK(out.data.size() <= previous + previous / 100);
        previous = out.data.size();
    }
    StringSink out;
    CHECK_THROWS_WITH(make_parallel_deflate(out, false, DeflateEngine::Isal, 4, 1), Catch::Contains("level 4"));
}

TEST_CASE("gzip: igzip rejects corrupt streams and bad checksums", "[compression][isal]") {
    const PayloadEncoding encoding = GENERATE(PayloadEncoding::ZlibStream, PayloadEncoding::GzipFile);
    const bool gzip_file = encoding == PayloadEncoding::GzipFile;
    const std::string input = compressible(300000, 41);
    const std::string stored = zlib_deflate(input, gzip_file, 6);
    INFO(encoding_name(encoding));
    SECTION("a flipped byte anywhere in the data") {
        for (std::size_t at = gzip_file ? 10 : 2; at < stored.size(); at += stored.size() / 37 + 1) {
            std::string bad = stored;
            bad[at] = static_cast<char>(bad[at] ^ 0x21);
            INFO("byte " << at);
            CHECK_THROWS_WITH(inflate_in_pieces(encoding, bad, 4096), Catch::Contains("corrupt"));
        }
    }
    SECTION("a wrong checksum or length in the trailer") {
        const std::size_t trailer = gzip_file ? 8 : 4;
        for (std::size_t back = 1; back <= trailer; ++back) {
            std::string bad = stored;
            bad[bad.size() - back] = static_cast<char>(bad[bad.size() - back] ^ 0x01);
            INFO("trailer byte " << trailer - back);
            CHECK_THROWS_WITH(inflate_in_pieces(encoding, bad, 65536), Catch::Contains("corrupt"));
        }
    }
    SECTION("a wrong header") {
        std::string bad = stored;
        bad[0] = static_cast<char>(bad[0] ^ 0x40);
        CHECK_THROWS_WITH(inflate_in_pieces(encoding, bad, 7), Catch::Contains("corrupt"));
    }
    SECTION("truncated at any of the last 64 bytes and in the middle") {
        for (std::size_t cut = stored.size() - 64; cut < stored.size(); ++cut) {
            INFO("cut at " << cut);
            CHECK_THROWS_WITH(inflate_in_pieces(encoding, stored.substr(0, cut), 4096), Catch::Contains("truncated"));
        }
        CHECK_THROWS_WITH(inflate_in_pieces(encoding, stored.substr(0, stored.size() / 2), 1000),
                          Catch::Contains("truncated"));
    }
}

TEST_CASE("gzip: a zlib stream that needs a preset dictionary is an error", "[compression][isal]") {
    z_stream s;
    std::memset(&s, 0, sizeof s);
    REQUIRE(deflateInit(&s, 6) == Z_OK);
    const std::string dictionary = "alpha beta gamma";
    deflateSetDictionary(&s, reinterpret_cast<const Bytef*>(dictionary.data()), static_cast<uInt>(dictionary.size()));
    std::string input = "alpha beta gamma delta", out(256, '\0');
    s.next_in = reinterpret_cast<Bytef*>(input.data());
    s.avail_in = static_cast<uInt>(input.size());
    s.next_out = reinterpret_cast<Bytef*>(out.data());
    s.avail_out = static_cast<uInt>(out.size());
    REQUIRE(deflate(&s, Z_FINISH) == Z_STREAM_END);
    out.resize(out.size() - s.avail_out);
    deflateEnd(&s);
    for (std::size_t piece : {1, 3, 4096}) {
        INFO("pieces of " << piece);
        CHECK_THROWS_WITH(inflate_in_pieces(PayloadEncoding::ZlibStream, out, piece), Catch::Contains("dictionary"));
    }
}

TEST_CASE("gzip: members from zlib and igzip, with a file name, follow one another in a gzip file",
          "[compression][isal]") {
    const std::size_t piece = GENERATE(1, 5, 9, 4096);
    const std::string first = compressible(5000, 51), second = random_bytes(3000, 52), third = compressible(70000, 53);
    // gzip(1)'s header with FNAME: flags 0x08, then "data.txt\0" before the deflate data.
    std::string named = zlib_deflate(second, true, 9);
    named[3] = 0x08;
    named.insert(10, std::string("data.txt\0", 9));
    const std::string stored = deflate_with(PayloadEncoding::GzipFile, first, std::nullopt, 1) + named +
                               zlib_deflate("", true, 1) + deflate_with(PayloadEncoding::GzipFile, third, 6, 2);
    REQUIRE(zlib_inflate(stored, true) == first + second + third);
    CHECK(inflate_in_pieces(PayloadEncoding::GzipFile, stored, piece) == first + second + third);
    SECTION("anything after the last member that is not a member is an error") {
        CHECK_THROWS_WITH(inflate_in_pieces(PayloadEncoding::GzipFile, stored + "trailing text", piece),
                          Catch::Contains("corrupt"));
    }
}
