#pragma once
// gzip and zlib compression on several cores, built as pigz builds them: the input is cut into
// blocks that are deflated independently (each primed with the previous
// block's last 32 KiB as a dictionary, so the ratio barely suffers), joined
// with sync flushes, and closed with a checksum combined from the blocks'
// checksums. The result is one ordinary zlib stream or gzip member that any
// inflater (pg_restore included) reads.

#include "dump/compression.hpp"

#include <memory>
#include <optional>

namespace pgscrub::dump {

// A zlib stream (custom format) or, with `gzip_file`, a gzip file
// (directory format), compressed by `threads` worker threads.
std::unique_ptr<Compressor> make_parallel_deflate(common::ByteSink& out, bool gzip_file, int level, int threads);

} // namespace pgscrub::dump
