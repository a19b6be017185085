#pragma once
// Detects an input's format (never asked of the user) and opens the matching
// reader; creates the writer for an output format.

#include "dump/archive_io.hpp"

#include <memory>
#include <string>

namespace pgscrub::dump {

struct OpenedInput {
    ArchiveFormat format = ArchiveFormat::Custom;
    std::unique_ptr<ArchiveReader> archive;  // custom, directory, tar
    std::unique_ptr<common::InputStream> plain;      // plain SQL, positioned at its start
};

// `path` is a file, a directory (directory format), "-" for stdin, or an
// http(s) URL streamed as it downloads (net/http_input.hpp).
// Recognises "PGDMP" (custom), a directory holding toc.dat, a ustar header
// (tar) and SQL text (plain); anything else is an ArchiveError.
OpenedInput open_input(const std::string& path);

std::unique_ptr<ArchiveWriter> make_archive_writer(const std::string& path, const OutputSpec& spec);

} // namespace pgscrub::dump
