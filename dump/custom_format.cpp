#include "dump/custom_format.hpp"

#include "dump/archive_error.hpp"
#include "dump/primitives.hpp"
#include "dump/toc_codec.hpp"

#include <map>
#include <vector>

namespace pgscrub::dump {

namespace {

constexpr std::uint8_t kBlockData = 1;
constexpr std::uint8_t kBlockBlobs = 3;
// pg_dump's chunks are a few KiB; a length beyond this is corruption.
constexpr std::int64_t kMaxChunk = std::int64_t(1) << 31;
constexpr std::size_t kCopyPiece = 256 * 1024;

// The chunk stream of one block (or one large object inside a BLOBS block).
class ChunkStreamPayload final : public Payload {
public:
    ChunkStreamPayload(PrimitiveReader& prims, PayloadEncoding encoding, ErrorLocation where)
        : prims_(prims), encoding_(encoding), where_(std::move(where)) {}

    PayloadEncoding encoding() const override { return encoding_; }
    ErrorLocation location() const override { return where_; }

    void copy_stored_to(ChunkAwareSink& sink) override {
        common::InputStream& in = prims_.stream();
        std::vector<char> buffer(kCopyPiece);
        for (;;) {
            std::uint64_t at = in.position();
            std::int64_t length = prims_.read_int("data chunk length");
            if (length == 0) break;
            if (length < 0 || length >= kMaxChunk) {
                ErrorLocation here = where_;
                here.offset = at;
                throw ArchiveError("invalid data chunk length " + std::to_string(length) + "; the archive is corrupt", here);
            }
            sink.announce_chunk(static_cast<std::uint64_t>(length));
            auto left = static_cast<std::uint64_t>(length);
            while (left > 0) {
                std::size_t piece = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
                in.read_exact(buffer.data(), piece, "data chunk bytes");
                sink.write({buffer.data(), piece});
                left -= piece;
            }
        }
        consumed_ = true;
    }

    // Skips what the visitor did not read, so the next block lines up.
    void drain() {
        if (consumed_) return;
        common::DiscardSink discard;
        copy_stored(discard);
    }

private:
    PrimitiveReader& prims_;
    PayloadEncoding encoding_;
    ErrorLocation where_;
    bool consumed_ = false;
};

class CustomReader final : public ArchiveReader {
public:
    explicit CustomReader(std::unique_ptr<common::InputStream> in) : in_(std::move(in)) {
        model_.header = read_header(*in_);
        if (model_.header.format != HeaderFormat::Custom) {
            throw ArchiveError("archive header says tar format, but this is a single file starting with \"PGDMP\"; the archive is corrupt",
                               ErrorLocation{in_->name(), 10, {}, {}});
        }
        model_.entries = read_toc(*in_, model_.header, TocFlavour::Offsets);
        for (std::size_t i = 0; i < model_.entries.size(); ++i) index_[model_.entries[i].dump_id] = i;
    }

    ArchiveFormat format() const override { return ArchiveFormat::Custom; }
    const ArchiveModel& model() const override { return model_; }
    const std::string& name() const override { return in_->name(); }

    void read_data(DataVisitor& visitor) override {
        PrimitiveReader prims(*in_, model_.header.int_size, model_.header.offset_size);
        PayloadEncoding encoding = custom_block_encoding(model_.header.compression);
        while (!in_->peek(1).empty()) {
            std::uint64_t block_at = in_->position();
            std::uint8_t type = prims.read_byte("data block type");
            int dump_id = static_cast<int>(prims.read_int("data block dump id"));
            auto found = index_.find(dump_id);
            if (found == index_.end()) {
                throw ArchiveError("data block for dump id " + std::to_string(dump_id) +
                                       " has no TOC entry; the archive is corrupt",
                                   ErrorLocation{in_->name(), block_at, {}, {}});
            }
            const TocEntry& entry = model_.entries[found->second];
            ErrorLocation where{in_->name(), block_at, entry.dump_id, entry.describe()};
            try {
                if (type == kBlockData) {
                    ChunkStreamPayload payload(prims, encoding, where);
                    visitor.table_data(entry, payload);
                    payload.drain();
                } else if (type == kBlockBlobs) {
                    visitor.blobs_begin(entry);
                    for (;;) {
                        std::int64_t oid = prims.read_int("large object OID");
                        if (oid == 0) break;
                        ChunkStreamPayload payload(prims, encoding, where);
                        visitor.blob(entry, static_cast<std::uint32_t>(oid), payload);
                        payload.drain();
                    }
                    visitor.blobs_end(entry);
                } else {
                    throw ArchiveError("unrecognised data block type " + std::to_string(type) +
                                       " (expected 1 for table data or 3 for large objects); the archive is corrupt");
                }
            } catch (common::Error& error) {
                common::rethrow_with(error, where);
            }
        }
    }

private:
    std::unique_ptr<common::InputStream> in_;
    ArchiveModel model_;
    std::map<int, std::size_t> index_;
};

// Frames what it is given as chunks: one chunk per write, or, after an
// announcement, exactly the announced size as one chunk.
class ChunkFramer final : public ChunkAwareSink {
public:
    explicit ChunkFramer(common::FileOutput& out) : out_(out) {}
    void set_int_size(int int_size) { int_size_ = int_size; }

    void announce_chunk(std::uint64_t size) override {
        announced_left_ = size;
        out_.write(encode_int(static_cast<std::int64_t>(size), int_size_).view());
    }

    void write(std::string_view bytes) override {
        if (bytes.empty()) return; // an empty chunk would end the stream early
        if (announced_left_ > 0) {
            announced_left_ -= std::min<std::uint64_t>(announced_left_, bytes.size());
        } else {
            out_.write(encode_int(static_cast<std::int64_t>(bytes.size()), int_size_).view());
        }
        out_.write(bytes);
    }

    void end_stream() { out_.write(encode_int(0, int_size_).view()); }

private:
    common::FileOutput& out_;
    int int_size_ = 4;
    std::uint64_t announced_left_ = 0;
};

class CustomWriter final : public ArchiveWriter {
public:
    CustomWriter(std::unique_ptr<common::FileOutput> out, const OutputSpec& spec)
        : out_(std::move(out)), spec_(spec), framer_(*out_) {}

    void begin(const ArchiveModel& input) override {
        model_ = output_model(input, spec_);
        framer_.set_int_size(model_.header.int_size);
        // (output_model says which entries hold data; their offsets are
        // known only once it is written.)
        for (std::size_t i = 0; i < model_.entries.size(); ++i) index_[model_.entries[i].dump_id] = i;
        out_->write(encode_header(model_.header));
        toc_start_ = out_->position();
        toc_ = encode_toc(model_.entries, model_.header, TocFlavour::Offsets);
        out_->write(toc_.bytes);
    }

    PayloadEncoding data_encoding() const override { return custom_block_encoding(model_.header.compression); }

    void table_data_stored(const TocEntry& entry, Payload& payload) override {
        start_block(kBlockData, entry);
        payload.copy_stored(framer_);
        framer_.end_stream();
    }

    common::ByteSink& begin_table_data(const TocEntry& entry) override {
        start_block(kBlockData, entry);
        compressor_ = make_compressor(data_encoding(), spec_.compression.level, framer_, spec_.threads);
        return *compressor_;
    }

    void end_table_data() override { end_compressed_stream(); }

    void blobs_begin(const TocEntry& entry) override { start_block(kBlockBlobs, entry); }

    void blob_stored(std::uint32_t oid, Payload& payload) override {
        write_oid(oid);
        payload.copy_stored(framer_);
        framer_.end_stream();
    }

    common::ByteSink& begin_blob(std::uint32_t oid) override {
        write_oid(oid);
        compressor_ = make_compressor(data_encoding(), spec_.compression.level, framer_, spec_.threads);
        return *compressor_;
    }

    void end_blob() override { end_compressed_stream(); }

    void blobs_end() override { out_->write(encode_int(0, model_.header.int_size).view()); }

    void complete() override {
        // Every block the TOC promises must be there, or pg_restore stops
        // with "could not find block ID".
        for (const TocEntry& e : model_.entries) {
            if (e.offset.flag == OffsetFlag::NotSet) {
                throw ArchiveError("the input's TOC promises data that it does not hold; the output would not restore",
                                   ErrorLocation{{}, {}, e.dump_id, e.describe()});
            }
        }
        if (out_->seekable()) {
            // As pg_dump does: patch each data entry's Offset field in place.
            for (std::size_t i = 0; i < model_.entries.size(); ++i) {
                const TocEntry& e = model_.entries[i];
                if (e.offset.flag != OffsetFlag::Set) continue;
                out_->patch(toc_start_ + static_cast<std::uint64_t>(toc_.offset_field_positions[i]),
                            encode_offset(e.offset, model_.header.offset_size));
            }
        }
        out_->complete();
    }
    std::string pending_path() const override { return out_->pending_name(); }
    void commit() override { out_->commit(); }

private:
    void start_block(std::uint8_t type, const TocEntry& entry) {
        auto found = index_.find(entry.dump_id);
        if (found != index_.end()) {
            model_.entries[found->second].offset = DataOffset{OffsetFlag::Set, out_->position()};
        }
        std::string header(1, static_cast<char>(type));
        header += encode_int(entry.dump_id, model_.header.int_size).view();
        out_->write(header);
    }

    void write_oid(std::uint32_t oid) { out_->write(encode_int(static_cast<std::int64_t>(oid), model_.header.int_size).view()); }

    void end_compressed_stream() {
        compressor_->finish();
        compressor_.reset();
        framer_.end_stream();
    }

    std::unique_ptr<common::FileOutput> out_;
    OutputSpec spec_;
    ChunkFramer framer_;
    ArchiveModel model_;
    std::map<int, std::size_t> index_;
    std::uint64_t toc_start_ = 0;
    EncodedToc toc_;
    std::unique_ptr<Compressor> compressor_;
};

} // namespace

std::unique_ptr<ArchiveReader> open_custom_reader(std::unique_ptr<common::InputStream> in) {
    return std::make_unique<CustomReader>(std::move(in));
}

std::unique_ptr<ArchiveWriter> make_custom_writer(std::unique_ptr<common::FileOutput> out, const OutputSpec& spec) {
    return std::make_unique<CustomWriter>(std::move(out), spec);
}

} // namespace pgscrub::dump
