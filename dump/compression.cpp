#include "dump/compression.hpp"

#include "dump/archive_error.hpp"
#include "dump/isal_inflate.hpp"
#include "dump/parallel_deflate.hpp"

#include <lz4frame.h>
#include <zstd.h>

#include <charconv>
#include <cstring>
#include <vector>

namespace pgscrub::dump {

namespace {

constexpr std::size_t kOutBuffer = 64 * 1024;

// ---- none -------------------------------------------------------------

class RawDecompressor final : public Decompressor {
public:
    explicit RawDecompressor(common::ByteSink& out) : out_(out) {}
    void feed(std::string_view bytes) override {
        if (!bytes.empty()) out_.write(bytes);
    }
    void finish() override {}

private:
    common::ByteSink& out_;
};

class RawCompressor final : public Compressor {
public:
    explicit RawCompressor(common::ByteSink& out) : out_(out) {}
    void write(std::string_view bytes) override {
        while (!bytes.empty()) {
            std::size_t n = std::min(bytes.size(), kOutBuffer);
            out_.write(bytes.substr(0, n));
            bytes.remove_prefix(n);
        }
    }
    void finish() override {}

private:
    common::ByteSink& out_;
};

// ---- zlib / gzip: dump/isal_inflate.cpp and dump/parallel_deflate.cpp ----

// ---- lz4 ----------------------------------------------------------------

class Lz4Decompressor final : public Decompressor {
public:
    explicit Lz4Decompressor(common::ByteSink& out) : out_(out), buffer_(kOutBuffer) {
        if (LZ4F_isError(LZ4F_createDecompressionContext(&context_, LZ4F_VERSION)))
            throw ArchiveError("cannot initialise lz4");
    }
    ~Lz4Decompressor() override { LZ4F_freeDecompressionContext(context_); }

    void feed(std::string_view bytes) override {
        const char* in = bytes.data();
        std::size_t left = bytes.size();
        while (left > 0) {
            std::size_t out_size = buffer_.size();
            std::size_t in_size = left;
            std::size_t hint = LZ4F_decompress(context_, buffer_.data(), &out_size, in, &in_size, nullptr);
            if (LZ4F_isError(hint)) throw ArchiveError(std::string("corrupt lz4 data: ") + LZ4F_getErrorName(hint));
            if (out_size > 0) out_.write({buffer_.data(), out_size});
            in += in_size;
            left -= in_size;
            frame_open_ = hint != 0;
        }
        // Drain output the decompressor still holds.
        for (;;) {
            std::size_t out_size = buffer_.size();
            std::size_t in_size = 0;
            std::size_t hint = LZ4F_decompress(context_, buffer_.data(), &out_size, nullptr, &in_size, nullptr);
            if (LZ4F_isError(hint)) throw ArchiveError(std::string("corrupt lz4 data: ") + LZ4F_getErrorName(hint));
            if (out_size == 0) break;
            out_.write({buffer_.data(), out_size});
        }
    }

    void finish() override {
        if (frame_open_) throw ArchiveError("corrupt lz4 data: the frame is truncated");
    }

private:
    common::ByteSink& out_;
    LZ4F_dctx* context_ = nullptr;
    std::vector<char> buffer_;
    bool frame_open_ = true;
};

class Lz4Compressor final : public Compressor {
public:
    Lz4Compressor(common::ByteSink& out, int level) : out_(out) {
        if (LZ4F_isError(LZ4F_createCompressionContext(&context_, LZ4F_VERSION)))
            throw ArchiveError("cannot initialise lz4");
        std::memset(&prefs_, 0, sizeof prefs_);
        prefs_.compressionLevel = level;
        // pg_dump writes no checksum; ours lets any reader catch a corrupted byte.
        prefs_.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
        buffer_.resize(LZ4F_compressBound(kSlice, &prefs_) + LZ4F_HEADER_SIZE_MAX);
    }
    ~Lz4Compressor() override { LZ4F_freeCompressionContext(context_); }

    void write(std::string_view bytes) override {
        start();
        while (!bytes.empty()) {
            std::size_t n = std::min(bytes.size(), kSlice);
            std::size_t produced =
                LZ4F_compressUpdate(context_, buffer_.data(), buffer_.size(), bytes.data(), n, nullptr);
            check(produced);
            if (produced > 0) out_.write({buffer_.data(), produced});
            bytes.remove_prefix(n);
        }
    }

    void finish() override {
        start();
        std::size_t produced = LZ4F_compressEnd(context_, buffer_.data(), buffer_.size(), nullptr);
        check(produced);
        if (produced > 0) out_.write({buffer_.data(), produced});
    }

private:
    static constexpr std::size_t kSlice = 64 * 1024;

    void start() {
        if (started_) return;
        started_ = true;
        std::size_t produced = LZ4F_compressBegin(context_, buffer_.data(), buffer_.size(), &prefs_);
        check(produced);
        if (produced > 0) out_.write({buffer_.data(), produced});
    }
    static void check(std::size_t rc) {
        if (LZ4F_isError(rc)) throw ArchiveError(std::string("lz4 compression failed: ") + LZ4F_getErrorName(rc));
    }

    common::ByteSink& out_;
    LZ4F_cctx* context_ = nullptr;
    LZ4F_preferences_t prefs_;
    std::vector<char> buffer_;
    bool started_ = false;
};

// ---- zstd ---------------------------------------------------------------

class ZstdDecompressor final : public Decompressor {
public:
    explicit ZstdDecompressor(common::ByteSink& out) : out_(out), buffer_(ZSTD_DStreamOutSize()) {
        context_ = ZSTD_createDCtx();
        if (!context_) throw ArchiveError("cannot initialise zstd");
    }
    ~ZstdDecompressor() override { ZSTD_freeDCtx(context_); }

    void feed(std::string_view bytes) override {
        ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
        while (in.pos < in.size || output_pending_) {
            ZSTD_outBuffer out{buffer_.data(), buffer_.size(), 0};
            std::size_t consumed_before = in.pos;
            std::size_t rc = ZSTD_decompressStream(context_, &out, &in);
            if (ZSTD_isError(rc)) throw ArchiveError(std::string("corrupt zstd data: ") + ZSTD_getErrorName(rc));
            if (out.pos > 0) out_.write({buffer_.data(), out.pos});
            if (rc == 0) {
                // The frame is complete and flushed. A further call would
                // start waiting for a next frame, so don't make one.
                frame_open_ = false;
                output_pending_ = false;
                continue;
            }
            if (in.pos > consumed_before || out.pos > 0) frame_open_ = true;
            output_pending_ = out.pos == out.size;
        }
    }

    void finish() override {
        if (frame_open_) throw ArchiveError("corrupt zstd data: the frame is truncated");
    }

private:
    common::ByteSink& out_;
    ZSTD_DCtx* context_ = nullptr;
    std::vector<char> buffer_;
    bool frame_open_ = true;
    bool output_pending_ = false;
};

class ZstdCompressor final : public Compressor {
public:
    ZstdCompressor(common::ByteSink& out, int level, int threads) : out_(out), buffer_(ZSTD_CStreamOutSize()) {
        context_ = ZSTD_createCCtx();
        if (!context_) throw ArchiveError("cannot initialise zstd");
        ZSTD_CCtx_setParameter(context_, ZSTD_c_compressionLevel, level);
        ZSTD_CCtx_setParameter(context_, ZSTD_c_checksumFlag, 1);
        // A libzstd built without threads refuses this; it then uses one core.
        if (threads > 1) ZSTD_CCtx_setParameter(context_, ZSTD_c_nbWorkers, threads);
    }
    ~ZstdCompressor() override { ZSTD_freeCCtx(context_); }

    void write(std::string_view bytes) override {
        ZSTD_inBuffer in{bytes.data(), bytes.size(), 0};
        while (in.pos < in.size) run(in, ZSTD_e_continue);
    }

    void finish() override {
        ZSTD_inBuffer in{nullptr, 0, 0};
        while (run(in, ZSTD_e_end) != 0) {
        }
    }

private:
    std::size_t run(ZSTD_inBuffer& in, ZSTD_EndDirective mode) {
        ZSTD_outBuffer out{buffer_.data(), buffer_.size(), 0};
        std::size_t rc = ZSTD_compressStream2(context_, &out, &in, mode);
        if (ZSTD_isError(rc)) throw ArchiveError(std::string("zstd compression failed: ") + ZSTD_getErrorName(rc));
        if (out.pos > 0) out_.write({buffer_.data(), out.pos});
        return rc;
    }

    common::ByteSink& out_;
    ZSTD_CCtx* context_ = nullptr;
    std::vector<char> buffer_;
};

} // namespace

const char* encoding_name(PayloadEncoding e) {
    switch (e) {
    case PayloadEncoding::Raw:
        return "uncompressed";
    case PayloadEncoding::ZlibStream:
        return "zlib stream";
    case PayloadEncoding::GzipFile:
        return "gzip file";
    case PayloadEncoding::Lz4Frame:
        return "lz4 frame";
    case PayloadEncoding::ZstdFrame:
        return "zstd frame";
    }
    return "unknown";
}

std::optional<CompressionSpec> CompressionSpec::parse(std::string_view text, std::string& error) {
    CompressionSpec spec;
    std::string_view name = text.substr(0, text.find(':'));
    if (name == "none")
        spec.algorithm = Compression::None;
    else if (name == "gzip")
        spec.algorithm = Compression::Gzip;
    else if (name == "lz4")
        spec.algorithm = Compression::Lz4;
    else if (name == "zstd")
        spec.algorithm = Compression::Zstd;
    else {
        error =
            "unknown compression \"" + std::string(name) + "\" (expected none, gzip[:1-9], lz4[:1-12] or zstd[:1-22])";
        return std::nullopt;
    }
    if (name.size() < text.size()) {
        std::string_view digits = text.substr(name.size() + 1);
        int level = 0;
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), level);
        int max = spec.algorithm == Compression::Gzip ? 9 : spec.algorithm == Compression::Lz4 ? 12 : 22;
        if (spec.algorithm == Compression::None || ec != std::errc() || end != digits.data() + digits.size() ||
            level < 1 || level > max) {
            error = "invalid compression level in \"" + std::string(text) + "\" (expected " + std::string(name) +
                    (spec.algorithm == Compression::None ? " without a level)" : ":1-" + std::to_string(max) + ")");
            return std::nullopt;
        }
        spec.level = level;
    }
    return spec;
}

std::string CompressionSpec::to_string() const {
    std::string text = compression_name(algorithm);
    if (level) text += ":" + std::to_string(*level);
    return text;
}

std::unique_ptr<Decompressor> make_decompressor(PayloadEncoding encoding, common::ByteSink& out) {
    switch (encoding) {
    case PayloadEncoding::Raw:
        return std::make_unique<RawDecompressor>(out);
    case PayloadEncoding::ZlibStream:
        return make_isal_inflater(out, false);
    case PayloadEncoding::GzipFile:
        return make_isal_inflater(out, true);
    case PayloadEncoding::Lz4Frame:
        return std::make_unique<Lz4Decompressor>(out);
    case PayloadEncoding::ZstdFrame:
        return std::make_unique<ZstdDecompressor>(out);
    }
    throw ArchiveError("unknown payload encoding");
}

std::unique_ptr<Compressor> make_compressor(PayloadEncoding encoding, std::optional<int> level, common::ByteSink& out,
                                            int threads) {
    switch (encoding) {
    case PayloadEncoding::Raw:
        return std::make_unique<RawCompressor>(out);
    case PayloadEncoding::ZlibStream:
    case PayloadEncoding::GzipFile: {
        // No level: igzip, several times faster than zlib for a somewhat
        // larger output; a level: zlib at that level, pg_dump's own deflater
        // (docs/formats.md, "gzip output").
        bool gzip_file = encoding == PayloadEncoding::GzipFile;
        if (!level) return make_parallel_deflate(out, gzip_file, DeflateEngine::Isal, kIsalDefaultLevel, threads);
        return make_parallel_deflate(out, gzip_file, DeflateEngine::Zlib, *level, threads);
    }
    case PayloadEncoding::Lz4Frame:
        return std::make_unique<Lz4Compressor>(out, level.value_or(1));
    case PayloadEncoding::ZstdFrame:
        return std::make_unique<ZstdCompressor>(out, level.value_or(ZSTD_CLEVEL_DEFAULT), threads);
    }
    throw ArchiveError("unknown payload encoding");
}

PayloadEncoding custom_block_encoding(Compression algorithm) {
    switch (algorithm) {
    case Compression::None:
        return PayloadEncoding::Raw;
    case Compression::Gzip:
        return PayloadEncoding::ZlibStream;
    case Compression::Lz4:
        return PayloadEncoding::Lz4Frame;
    case Compression::Zstd:
        return PayloadEncoding::ZstdFrame;
    }
    return PayloadEncoding::Raw;
}

PayloadEncoding directory_file_encoding(Compression algorithm) {
    return algorithm == Compression::Gzip ? PayloadEncoding::GzipFile : custom_block_encoding(algorithm);
}

const char* directory_suffix(PayloadEncoding encoding) {
    switch (encoding) {
    case PayloadEncoding::GzipFile:
        return ".gz";
    case PayloadEncoding::Lz4Frame:
        return ".lz4";
    case PayloadEncoding::ZstdFrame:
        return ".zst";
    default:
        return "";
    }
}

} // namespace pgscrub::dump
