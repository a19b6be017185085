#pragma once
// Directory format (pg_dump -Fd): toc.dat plus one file per data entry and
// per large object. See docs/archive-format.md §5.

#include "dump/archive_io.hpp"

#include <memory>
#include <string>

namespace pgscrub::dump {

bool is_directory(const std::string& path);

std::unique_ptr<ArchiveReader> open_directory_reader(const std::string& path);

// Builds the archive under a temporary name beside `path` and renames it
// into place when finished; `path` must not exist or be an empty directory.
std::unique_ptr<ArchiveWriter> make_directory_writer(const std::string& path, const OutputSpec& spec);

} // namespace pgscrub::dump
