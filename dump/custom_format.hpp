#pragma once
// Custom format (pg_dump -Fc): header, TOC, then one block per data entry.
// See docs/archive-format.md §4.

#include "dump/archive_io.hpp"

#include <memory>

namespace pgscrub::dump {

std::unique_ptr<ArchiveReader> open_custom_reader(std::unique_ptr<common::InputStream> in);

// Writes to `out` (a file or a pipe). A seekable output gets its TOC
// rewritten with real data offsets at the end, as pg_dump does, so
// `pg_restore -j` can schedule by size; a pipe keeps "offset not set".
std::unique_ptr<ArchiveWriter> make_custom_writer(std::unique_ptr<common::FileOutput> out, const OutputSpec& spec);

} // namespace pgscrub::dump
