#pragma once
// Shared by the archive reader targets: reading a whole archive the way a
// scrub does (every payload decompressed), and the truncation invariant.

#include "common/byte_stream.hpp"
#include "dump/archive_error.hpp"
#include "dump/archive_io.hpp"
#include "fuzz/fuzz_support.hpp"

#include <cstdint>
#include <memory>
#include <string>

namespace pgscrub::fuzz {

class DecodingVisitor final : public dump::DataVisitor {
public:
    void table_data(const dump::TocEntry& entry, dump::Payload& payload) override { consume(entry, payload); }
    void blobs_begin(const dump::TocEntry&) override {}
    void blob(const dump::TocEntry& entry, std::uint32_t, dump::Payload& payload) override { consume(entry, payload); }
    void blobs_end(const dump::TocEntry&) override {}

    std::uint64_t payloads = 0;
    std::uint64_t decoded_bytes = 0;

private:
    class CountingSink final : public common::ByteSink {
    public:
        explicit CountingSink(std::uint64_t& total) : total_(total) {}
        void write(std::string_view bytes) override { total_ += bytes.size(); }

    private:
        std::uint64_t& total_;
    };

    void consume(const dump::TocEntry& entry, dump::Payload& payload) {
        (void)entry.describe();
        (void)payload.location();
        CountingSink sink(decoded_bytes);
        payload.decode(sink);
        ++payloads;
    }
};

using OpenReader = std::unique_ptr<dump::ArchiveReader> (*)(std::unique_ptr<common::InputStream>);

struct ReadResult {
    bool ok = false;
    std::uint64_t payloads = 0;
    std::uint64_t end_position = 0; // where the reader stopped reading
};

// Opens `bytes` with `open` and reads every payload; an ArchiveError is a
// failed read, anything else escapes to the fuzzer.
inline ReadResult read_whole_archive(OpenReader open, const char* name, std::string bytes) {
    ReadResult result;
    auto owned = std::make_unique<common::MemoryInput>(name, std::move(bytes));
    common::InputStream* in = owned.get();
    try {
        auto reader = open(std::move(owned));
        (void)reader->model();
        DecodingVisitor visitor;
        reader->read_data(visitor);
        result.ok = true;
        result.payloads = visitor.payloads;
        result.end_position = in->position();
    } catch (const common::Error& e) {
        (void)e.describe();
    }
    return result;
}

// The invariant of every streamed format: reading fails with ArchiveError or
// succeeds, and when it succeeds having read data, the same bytes cut short
// by one must fail, so a truncated archive is never taken for a whole one.
inline void check_streamed_reader(OpenReader open, const char* name, std::string_view input) {
    ReadResult full = read_whole_archive(open, name, std::string(input));
    if (full.ok && full.payloads > 0 && full.end_position > 0) {
        ReadResult cut = read_whole_archive(open, name, std::string(input.substr(0, full.end_position - 1)));
        PGSCRUB_FUZZ_EXPECT(!cut.ok);
    }
}

} // namespace pgscrub::fuzz
