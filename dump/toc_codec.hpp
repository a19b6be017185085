#pragma once
// Reading and writing the archive header and TOC shared by custom archives,
// directory toc.dat and tar toc.dat (docs/archive-format.md §1.2, §3).

#include "common/byte_stream.hpp"
#include "dump/archive_model.hpp"

#include <string>
#include <vector>

namespace pgscrub::dump {

// How an entry's format-specific last field is stored.
enum class TocFlavour { Offsets, Filenames };

// Reads "PGDMP", the version and the rest of the header. Refuses versions
// outside [kOldestSupportedVersion, kNewestSupportedVersion] with a message
// saying which pg_dump wrote what pgscrub can read.
ArchiveHeader read_header(common::InputStream& in);

// Reads the TOC that follows the header.
std::vector<TocEntry> read_toc(common::InputStream& in, const ArchiveHeader& header, TocFlavour flavour);

struct EncodedToc {
    std::string bytes;
    // For each entry, the byte offset (within `bytes`) of its Offset field;
    // -1 where the flavour stores file names.
    std::vector<long> offset_field_positions;
};

std::string encode_header(const ArchiveHeader& header);
EncodedToc encode_toc(const std::vector<TocEntry>& entries, const ArchiveHeader& header, TocFlavour flavour);

} // namespace pgscrub::dump
