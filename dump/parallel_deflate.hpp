#pragma once
// gzip and zlib compression in blocks, built as pigz builds them: the input is
// cut into 1 MiB blocks that are deflated independently (each primed with the
// previous block's last 32 KiB as a dictionary, so the ratio barely suffers),
// joined with sync flushes, and closed with a checksum combined from the
// blocks' checksums. The result is one ordinary zlib stream or gzip member that
// any inflater (pg_restore included) reads.
//
// Every block is compressed the same way whichever thread does it, and one
// thread uses the same blocks, so the bytes are identical for any thread
// count (docs/formats.md, "gzip output").

#include "dump/compression.hpp"

#include <memory>

namespace pgscrub::dump {

// zlib (pg_dump's deflater, levels 1-9) or ISA-L's igzip (levels 0-3, several
// times faster at a somewhat lower ratio).
enum class DeflateEngine { Zlib, Isal };

// The igzip level `--compress gzip` uses when no level is named
// (docs/formats.md says why).
constexpr int kIsalDefaultLevel = 2;

// A zlib stream (custom format) or, with `gzip_file`, a gzip file (directory
// format), compressed by `threads` worker threads (1: on the caller's thread).
// An invalid level for the engine is an ArchiveError here.
std::unique_ptr<Compressor> make_parallel_deflate(common::ByteSink& out, bool gzip_file, DeflateEngine engine,
                                                  int level, int threads);

} // namespace pgscrub::dump
