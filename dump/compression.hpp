#pragma once
// Streaming compression codecs for archive payloads.
//
// The same algorithm is framed differently by format: a custom archive's gzip
// block is a zlib (RFC 1950) stream, while a directory archive's .gz file is a
// gzip (RFC 1952) file. lz4 and zstd use one standard frame in both. The
// PayloadEncoding names the exact byte form, so two payloads with the same
// encoding can be copied without decompressing.

#include "common/byte_stream.hpp"
#include "dump/archive_model.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace pgscrub::dump {

enum class PayloadEncoding { Raw, ZlibStream, GzipFile, Lz4Frame, ZstdFrame };

const char* encoding_name(PayloadEncoding e);

// The algorithm and level the user asked for (`--compress gzip:6`).
struct CompressionSpec {
    Compression algorithm = Compression::None;
    std::optional<int> level; // unset: the algorithm's default

    // Parses "none", "gzip", "gzip:9", "lz4:3", "zstd:19". Returns nullopt and
    // sets `error` on anything else.
    static std::optional<CompressionSpec> parse(std::string_view text, std::string& error);
    std::string to_string() const;
};

// Pushes decompressed bytes to `out`. finish() checks the stream ended
// cleanly; a corrupt or truncated stream throws ArchiveError (without a
// location: the caller knows the file and entry).
class Decompressor {
public:
    virtual ~Decompressor() = default;
    virtual void feed(std::string_view compressed) = 0;
    virtual void finish() = 0;
};

// A common::ByteSink that compresses what it is given and pushes compressed pieces to
// `out`; each push is at most one output buffer (64 KiB), and never empty.
class Compressor : public common::ByteSink {
public:
    virtual void finish() = 0;
};

std::unique_ptr<Decompressor> make_decompressor(PayloadEncoding encoding, common::ByteSink& out);
// gzip/zlib compress 1 MiB blocks on `threads` threads (pigz style), with the
// same bytes for any thread count: igzip without a level, zlib at a level.
// zstd uses libzstd's worker threads; lz4 is fast enough on one core.
std::unique_ptr<Compressor> make_compressor(PayloadEncoding encoding, std::optional<int> level, common::ByteSink& out,
                                            int threads = 1);

// The encoding of a custom-format block, and of a directory data file, for an algorithm.
PayloadEncoding custom_block_encoding(Compression algorithm);
PayloadEncoding directory_file_encoding(Compression algorithm);
// ".gz", ".lz4", ".zst" or "".
const char* directory_suffix(PayloadEncoding encoding);

} // namespace pgscrub::dump
