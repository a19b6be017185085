#pragma once
// Inflating zlib streams and gzip files with ISA-L's igzip (Debian
// libisal-dev), several times faster than zlib's inflate on the same core
// (docs/formats.md, "gzip output"). Checksums are verified as zlib verifies them, and the
// errors are the same: a corrupt or truncated stream is an ArchiveError saying so.

#include "dump/compression.hpp"

#include <memory>

namespace pgscrub::dump {

// A zlib (RFC 1950) stream, or with `gzip_file` a gzip (RFC 1952) file of one
// or more members, as gzread reads them. Bytes after the end of a zlib stream
// are an error: pg_restore would not stop there.
std::unique_ptr<Decompressor> make_isal_inflater(common::ByteSink& out, bool gzip_file);

} // namespace pgscrub::dump
