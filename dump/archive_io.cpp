#include "dump/archive_io.hpp"

#include "dump/archive_error.hpp"

namespace pgscrub::dump {

const char* format_name(ArchiveFormat format) {
    switch (format) {
    case ArchiveFormat::Custom: return "custom";
    case ArchiveFormat::Directory: return "directory";
    case ArchiveFormat::Tar: return "tar";
    case ArchiveFormat::Plain: return "plain";
    }
    return "unknown";
}

namespace {
// Feeds stored bytes into a decompressor.
class DecompressingSink final : public common::ByteSink {
public:
    explicit DecompressingSink(Decompressor& d) : decompressor_(d) {}
    void write(std::string_view bytes) override { decompressor_.feed(bytes); }

private:
    Decompressor& decompressor_;
};
} // namespace

namespace {
// Counts stored bytes and forwards chunk announcements to consumers that want them.
class StoredByteCounter final : public ChunkAwareSink {
public:
    StoredByteCounter(common::ByteSink& out, std::uint64_t& count)
        : out_(out), chunked_(dynamic_cast<ChunkAwareSink*>(&out)), count_(count) {}
    void announce_chunk(std::uint64_t size) override {
        if (chunked_) chunked_->announce_chunk(size);
    }
    void write(std::string_view bytes) override {
        count_ += bytes.size();
        out_.write(bytes);
    }

private:
    common::ByteSink& out_;
    ChunkAwareSink* chunked_;
    std::uint64_t& count_;
};
} // namespace

void Payload::copy_stored(common::ByteSink& sink) {
    StoredByteCounter counter(sink, stored_bytes_read_);
    copy_stored_to(counter);
}

void Payload::decode(common::ByteSink& sink) {
    auto decompressor = make_decompressor(encoding(), sink);
    DecompressingSink feeding(*decompressor);
    try {
        copy_stored(feeding);
        decompressor->finish();
    } catch (common::Error& error) {
        // A decompressor knows no file: say which file and entry held the
        // bad bytes (a corrupt .gz of a directory archive). Errors that name
        // their own file (the output's) keep it.
        if (!error.location().file.empty()) throw;
        common::rethrow_with(error, location());
    }
}

namespace {
// A writer's one-table-at-a-time calls in TableDataSink's form.
class SequentialTableData final : public TableDataSink {
public:
    SequentialTableData(ArchiveWriter& writer, const TocEntry& entry)
        : writer_(writer), sink_(writer.begin_table_data(entry)) {}
    void write(std::string_view bytes) override { sink_.write(bytes); }
    void finish() override { writer_.end_table_data(); }

private:
    ArchiveWriter& writer_;
    common::ByteSink& sink_;
};
} // namespace

std::unique_ptr<TableDataSink> ArchiveWriter::open_table_data(const TocEntry& entry, int) {
    return std::make_unique<SequentialTableData>(*this, entry);
}

ArchiveModel output_model(const ArchiveModel& input, const OutputSpec& spec) {
    ArchiveModel out = input;
    ArchiveHeader& h = out.header;
    h.format = spec.format == ArchiveFormat::Custom ? HeaderFormat::Custom : HeaderFormat::Tar;

    Compression algorithm = spec.compression.algorithm;
    if (spec.format == ArchiveFormat::Tar && algorithm != Compression::None) {
        throw ArchiveError(std::string("tar archives cannot be compressed (pg_restore refuses them); use --compress none, or --format custom or directory"));
    }
    if (h.version.at_least(1, 15)) {
        h.compression = algorithm;
    } else {
        if (algorithm == Compression::Lz4 || algorithm == Compression::Zstd) {
            throw ArchiveError("archive version " + h.version.to_string() + " (pg_dump 15 or older) can only hold gzip or no compression; " +
                               compression_name(algorithm) + " needs archive 1.15+ (pg_dump 16+), which pg_restore 15 cannot read. Use --compress gzip or none");
        }
        if (algorithm == Compression::None) {
            h.legacy_level = 0;
        } else if (spec.compression.level) {
            h.legacy_level = *spec.compression.level;
        } else if (input.header.compression != Compression::Gzip) {
            h.legacy_level = -1; // pg_dump's default: Z_DEFAULT_COMPRESSION
        }
        h.compression = algorithm;
    }

    for (TocEntry& e : out.entries) {
        // An entry may say it has a dumper and still hold no data (a custom
        // archive's offset flag "no data", an empty file name in directory
        // and tar archives): pg_restore skips it, so the output must say "no
        // data" too, never promise a block or file that will not be written.
        bool promises_data = e.had_dumper && (e.filename ? !e.filename->empty() : e.offset.flag != OffsetFlag::NoData);
        if (spec.format == ArchiveFormat::Custom) {
            e.filename.reset();
            e.offset = DataOffset{promises_data ? OffsetFlag::NotSet : OffsetFlag::NoData, 0};
            continue;
        }
        // Directory and tar name each data file after its dump id; the BLOBS
        // entry of a directory archive names its list of large objects instead.
        if (!promises_data) {
            e.filename = "";
        } else if (spec.format == ArchiveFormat::Directory && e.is_blobs()) {
            e.filename = h.version.at_least(1, 16) ? "blobs_" + std::to_string(e.dump_id) + ".toc" : "blobs.toc";
        } else {
            e.filename = std::to_string(e.dump_id) + ".dat";
        }
    }
    return out;
}

} // namespace pgscrub::dump
