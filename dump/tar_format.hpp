#pragma once
// Tar format (pg_dump -Ft): a ustar archive of toc.dat, one member per data
// entry and per large object, and restore.sql. Never compressed; read strictly
// in order, so it streams from a pipe. See docs/archive-format.md §6.

#include "dump/archive_io.hpp"

#include <memory>

namespace pgscrub::dump {

// True when `block` (512 bytes) is a ustar header with a valid checksum.
bool looks_like_tar_header(std::string_view block);

std::unique_ptr<ArchiveReader> open_tar_reader(std::unique_ptr<common::InputStream> in);

// Members whose size is not known in advance are spooled to an unlinked
// temporary file (in $TMPDIR) first: a tar header states the size up front.
std::unique_ptr<ArchiveWriter> make_tar_writer(std::unique_ptr<common::FileOutput> out, const OutputSpec& spec);

} // namespace pgscrub::dump
