#pragma once
// The streaming interfaces every archive format implements.
//
// A reader visits the data streams of an archive in storage order (which is
// TOC order for archives pg_dump wrote); a writer receives them in the same
// order. A stream can be handed over as stored (compressed bytes copied
// without decompressing) when the writer stores that exact encoding, or
// decoded to COPY text and re-encoded.

#include "common/byte_stream.hpp"
#include "dump/archive_error.hpp"
#include "dump/archive_model.hpp"
#include "dump/compression.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace pgscrub::dump {

enum class ArchiveFormat { Custom, Directory, Tar, Plain };

const char* format_name(ArchiveFormat format);

// A common::ByteSink that can also be told, before a run of bytes, that they form one
// stored chunk of `size` bytes. Custom-format writers use this to keep chunk
// boundaries when copying stored blocks, so a pass-through is byte-identical
// without buffering whole chunks.
class ChunkAwareSink : public common::ByteSink {
public:
    virtual void announce_chunk(std::uint64_t size) = 0;
};

// One stored data stream: a table's COPY data or one large object.
// It can be consumed once, either way.
class Payload {
public:
    virtual ~Payload() = default;
    virtual PayloadEncoding encoding() const = 0;
    // The stored size, when known before reading (directory and tar members).
    virtual std::optional<std::uint64_t> stored_size() const { return std::nullopt; }
    // Pushes the stored bytes to `sink`. Custom-format payloads announce each
    // chunk first when `sink` is a ChunkAwareSink.
    void copy_stored(common::ByteSink& sink);
    // Pushes the decoded bytes (COPY text, or the large object's bytes).
    void decode(common::ByteSink& sink);
    // Stored bytes read so far.
    std::uint64_t stored_bytes_read() const { return stored_bytes_read_; }
    // Where this payload lives, for error messages.
    virtual ErrorLocation location() const = 0;
    // A payload that reads the same stored bytes and may be consumed later,
    // on any thread: a directory archive's data file can be, because it is a
    // file of its own. nullptr where the bytes are part of one stream
    // (custom, tar, standard input) and must be read when their turn comes.
    virtual std::unique_ptr<Payload> reopen() const { return nullptr; }

protected:
    // Pushes the stored bytes; `sink` is always a ChunkAwareSink, which passes
    // announcements on only where the consumer cares.
    virtual void copy_stored_to(ChunkAwareSink& sink) = 0;

private:
    std::uint64_t stored_bytes_read_ = 0;
};

class DataVisitor {
public:
    virtual ~DataVisitor() = default;
    virtual void table_data(const TocEntry& entry, Payload& payload) = 0;
    virtual void blobs_begin(const TocEntry& entry) = 0;
    virtual void blob(const TocEntry& entry, std::uint32_t oid, Payload& payload) = 0;
    virtual void blobs_end(const TocEntry& entry) = 0;
    // Tar's restore.sql: a script pg_restore never reads; carried over as is.
    virtual void restore_script(std::string_view) {}
};

class ArchiveReader {
public:
    virtual ~ArchiveReader() = default;
    virtual ArchiveFormat format() const = 0;
    virtual const ArchiveModel& model() const = 0;
    // The name the user gave (file, directory or "-").
    virtual const std::string& name() const = 0;
    // Visits every data stream once, in storage order.
    virtual void read_data(DataVisitor& visitor) = 0;
};

// What a writer should produce.
struct OutputSpec {
    ArchiveFormat format = ArchiveFormat::Custom;
    CompressionSpec compression;
    // True when the user named a level: then even same-algorithm payloads are
    // recompressed, because the user asked for that level.
    bool recompress_all = false;
    // Threads for compression (gzip blocks in parallel, zstd workers).
    int threads = 1;
};

// One table's COPY text on its way into an output that writes each table to
// a file of its own.
class TableDataSink : public common::ByteSink {
public:
    // Compresses what is left and closes the table's file.
    virtual void finish() = 0;
};

class ArchiveWriter {
public:
    virtual ~ArchiveWriter() = default;
    // Writes what precedes the data (header and TOC where the format allows).
    virtual void begin(const ArchiveModel& input) = 0;
    // The stored encoding of table data and large objects in this output.
    virtual PayloadEncoding data_encoding() const = 0;

    // Table data, either copied as stored (payload.encoding() == data_encoding())...
    virtual void table_data_stored(const TocEntry& entry, Payload& payload) = 0;
    // ...or written as COPY text between begin and end.
    virtual common::ByteSink& begin_table_data(const TocEntry& entry) = 0;
    virtual void end_table_data() = 0;

    // True when tables' data may be written concurrently, each from a thread
    // of its own, with table_data_stored() and open_table_data() (directory
    // output: one file per table). Everything else stays on one thread.
    virtual bool writes_tables_concurrently() const { return false; }
    // The COPY text of one table, compressed on `threads` threads; callable
    // from several threads at once where writes_tables_concurrently().
    virtual std::unique_ptr<TableDataSink> open_table_data(const TocEntry& entry, int threads);

    virtual void blobs_begin(const TocEntry& entry) = 0;
    virtual void blob_stored(std::uint32_t oid, Payload& payload) = 0;
    virtual common::ByteSink& begin_blob(std::uint32_t oid) = 0;
    virtual void end_blob() = 0;
    virtual void blobs_end() = 0;

    virtual void restore_script(std::string_view) {}

    // Completes the archive under its temporary name: nothing is renamed yet,
    // so a check of the result (scrub --verify) can still discard it.
    virtual void complete() = 0;
    // Where the completed archive can be read back before commit(); "" when
    // it is written in place (standard output, a pipe, a device).
    virtual std::string pending_path() const = 0;
    // Moves the completed archive to its final name.
    virtual void commit() = 0;
    void finish() {
        complete();
        commit();
    }
};

// The header and TOC an output of `spec` gets from an input model: same
// version and entries, with the format byte, compression field and
// per-entry file names set for the output format. Throws ArchiveError when
// the combination cannot be written (lz4 in a 1.14 archive, compressed tar).
ArchiveModel output_model(const ArchiveModel& input, const OutputSpec& spec);

} // namespace pgscrub::dump
