// The directory-format reader: toc.dat plus data files (plain or .gz, .lz4,
// .zst), written to a scratch directory from a file bundle. Reading fails
// with ArchiveError or succeeds; a compressed data file the TOC names that is
// cut short by one byte must then fail.

#include "dump/archive_error.hpp"
#include "dump/directory_format.hpp"
#include "fuzz/archive_readers.hpp"
#include "fuzz/file_bundle.hpp"
#include "fuzz/fuzz_support.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>

using namespace pgscrub;

namespace {

// One scratch directory per process, emptied for every input.
const std::filesystem::path& scratch_root() {
    static const std::filesystem::path root = [] {
        std::string pattern = (std::filesystem::temp_directory_path() / "pgscrub-fuzz-XXXXXX").string();
        if (!::mkdtemp(pattern.data())) std::abort();
        std::atexit([] { std::filesystem::remove_all(scratch_root()); });
        return std::filesystem::path(pattern);
    }();
    return root;
}

void write_files(const std::filesystem::path& dir, const std::vector<fuzz::BundleFile>& files) {
    std::filesystem::remove_all(dir);
    std::filesystem::create_directory(dir);
    for (const auto& [name, content] : files) {
        std::ofstream out(dir / name, std::ios::binary | std::ios::trunc);
        out.write(content.data(), static_cast<std::streamsize>(content.size()));
    }
}

struct DirectoryRead {
    bool ok = false;
    std::uint64_t payloads = 0;
    std::set<std::string> named_files; // data files the TOC names
};

DirectoryRead read_directory(const std::filesystem::path& dir) {
    DirectoryRead result;
    try {
        auto reader = dump::open_directory_reader(dir.string());
        for (const auto& entry : reader->model().entries)
            if (entry.filename) result.named_files.insert(*entry.filename);
        fuzz::DecodingVisitor visitor;
        reader->read_data(visitor);
        result.ok = true;
        result.payloads = visitor.payloads;
    } catch (const common::Error& e) {
        (void)e.describe();
    }
    return result;
}

bool is_compressed_name(std::string_view name) {
    return name.ends_with(".gz") || name.ends_with(".lz4") || name.ends_with(".zst");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto files = fuzz::parse_bundle(fuzz::as_text(data, size));
    const auto dir = scratch_root() / "archive";
    write_files(dir, files);
    DirectoryRead full = read_directory(dir);
    if (!full.ok || full.payloads == 0) return 0;

    // A compressed data file the TOC names, cut short by one byte, must fail
    // (plain .dat files carry no length; the COPY splitter above catches those).
    for (auto it = files.rbegin(); it != files.rend(); ++it) {
        const std::string& name = it->first;
        if (it->second.empty() || !is_compressed_name(name)) continue;
        std::string stem = name.substr(0, name.rfind('.'));
        if (!full.named_files.contains(stem) && !full.named_files.contains(name)) continue;
        it->second.pop_back();
        write_files(dir, files);
        PGSCRUB_FUZZ_EXPECT(!read_directory(dir).ok);
        break;
    }
    return 0;
}
