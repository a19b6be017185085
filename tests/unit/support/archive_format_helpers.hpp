#pragma once
// Helpers shared by the custom, directory and tar format tests and the format
// detection tests: output specs, readers over bytes in memory, and the check
// that a reader hands over exactly the data a sample archive was built from.

#include "archive_builders.hpp"
#include "dump/custom_format.hpp"
#include "dump/tar_format.hpp"

#include <catch2/catch.hpp>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace pgscrub::test {

inline OutputSpec output_spec(ArchiveFormat format, Compression algorithm, std::optional<int> level = std::nullopt) {
    OutputSpec spec;
    spec.format = format;
    spec.compression.algorithm = algorithm;
    spec.compression.level = level;
    spec.recompress_all = level.has_value();
    return spec;
}

inline std::unique_ptr<ArchiveReader> custom_from_memory(const std::string& bytes, std::size_t max_read = SIZE_MAX) {
    return open_custom_reader(std::make_unique<MemoryInput>("in.dump", bytes, max_read));
}

// The decoded data of `reader` equals what `a` was built from, in storage order.
inline void check_same_data(ArchiveReader& reader, const SampleArchive& a) {
    RecordingVisitor visitor;
    reader.read_data(visitor);
    CHECK(visitor.events == expected_events(a));
    CHECK(visitor.tables == a.table_data);
    REQUIRE(visitor.blobs.size() == a.blobs.size());
    for (std::size_t i = 0; i < a.blobs.size(); ++i) {
        INFO("blob " << a.blobs[i].first);
        CHECK(visitor.blobs[i].first == a.blobs[i].first);
        CHECK(visitor.blobs[i].second == a.blobs[i].second);
    }
}

inline std::vector<TocEntry> toc_of(const std::string& bytes, TocFlavour flavour) {
    MemoryInput in("toc", bytes);
    const ArchiveHeader h = read_header(in);
    return read_toc(in, h, flavour);
}

inline std::set<std::string> files_in(const std::string& dir) {
    std::set<std::string> names;
    for (const auto& item : std::filesystem::directory_iterator(dir)) names.insert(item.path().filename().string());
    return names;
}

// Writes `a` (read back as a custom archive) as a tar file at `path`; returns its bytes.
inline std::string write_tar_from_custom(const SampleArchive& a, const std::string& path, bool prefer_stored,
                                         std::optional<std::string> script = std::nullopt) {
    auto reader = custom_from_memory(build_custom(a, 4096, true).bytes);
    auto writer = make_tar_writer(FileOutput::create(path), output_spec(ArchiveFormat::Tar, Compression::None));
    writer->begin(reader->model());
    CopyingVisitor visitor(*writer, prefer_stored);
    reader->read_data(visitor);
    if (script) writer->restore_script(*script);
    writer->finish();
    return read_file(path);
}

} // namespace pgscrub::test
