#include "dump/parallel_deflate.hpp"

#include "dump/archive_error.hpp"

#include <isa-l/crc.h>
#include <isa-l/igzip_lib.h>
#include <zlib.h>

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace pgscrub::dump {

namespace {

constexpr std::size_t kBlockSize = 1 << 20;    // uncompressed bytes per block
constexpr std::size_t kDictionarySize = 32768; // deflate's window
constexpr std::size_t kMaxPush = 64 * 1024;    // Compressor's promise (compression.hpp)

struct DeflateBlock {
    std::string input;
    std::string dictionary; // the previous block's last 32 KiB
    bool last = false;
    std::string output;
    uLong checksum = 0; // adler32 or crc32 of input
    bool done = false;
    std::exception_ptr error;
};

bool valid_level(DeflateEngine engine, int level) {
    if (engine == DeflateEngine::Isal) return level >= ISAL_DEF_MIN_LEVEL && level <= ISAL_DEF_MAX_LEVEL;
    return level >= 0 && level <= 9;
}

// Deflates blocks as raw deflate; non-final blocks end with a sync flush so
// the next block's output can follow on a byte boundary. One per thread: the
// igzip state and its level buffer are reused, and every block starts from a
// fresh state, so what a block becomes never depends on the blocks before it.
class BlockEncoder {
public:
    BlockEncoder(DeflateEngine engine, int level) : engine_(engine), level_(level) {
        if (engine_ == DeflateEngine::Isal) {
            isal_ = std::make_unique<isal_zstream>();
            static constexpr std::size_t kLevelBuffer[] = {0, ISAL_DEF_LVL1_DEFAULT, ISAL_DEF_LVL2_DEFAULT,
                                                           ISAL_DEF_LVL3_DEFAULT};
            level_buffer_.resize(kLevelBuffer[level_]);
        }
    }

    void encode(DeflateBlock& block, bool gzip_file) {
        if (engine_ == DeflateEngine::Isal)
            encode_isal(block);
        else
            encode_zlib(block);
        const auto* bytes = reinterpret_cast<const unsigned char*>(block.input.data());
        block.checksum = gzip_file ? crc32_gzip_refl(0, bytes, block.input.size())
                                   : adler32_z(adler32(0L, Z_NULL, 0), bytes, block.input.size());
    }

private:
    void encode_zlib(DeflateBlock& block) const {
        z_stream stream;
        std::memset(&stream, 0, sizeof stream);
        if (deflateInit2(&stream, level_, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
            throw ArchiveError("cannot initialise zlib at level " + std::to_string(level_));
        }
        if (!block.dictionary.empty()) {
            deflateSetDictionary(&stream, reinterpret_cast<const Bytef*>(block.dictionary.data()),
                                 static_cast<uInt>(block.dictionary.size()));
        }
        block.output.resize(deflateBound(&stream, static_cast<uLong>(block.input.size())) + 64);
        stream.next_in = reinterpret_cast<Bytef*>(block.input.data());
        stream.avail_in = static_cast<uInt>(block.input.size());
        stream.next_out = reinterpret_cast<Bytef*>(block.output.data());
        stream.avail_out = static_cast<uInt>(block.output.size());
        int rc = deflate(&stream, block.last ? Z_FINISH : Z_SYNC_FLUSH);
        bool ok = block.last ? rc == Z_STREAM_END : rc == Z_OK && stream.avail_in == 0;
        block.output.resize(block.output.size() - stream.avail_out);
        deflateEnd(&stream);
        if (!ok) throw ArchiveError("zlib compression failed in a block");
    }

    void encode_isal(DeflateBlock& block) {
        isal_zstream& s = *isal_;
        isal_deflate_init(&s);
        s.level = static_cast<std::uint32_t>(level_);
        s.level_buf = level_buffer_.empty() ? nullptr : level_buffer_.data();
        s.level_buf_size = static_cast<std::uint32_t>(level_buffer_.size());
        s.gzip_flag = IGZIP_DEFLATE; // raw: the header and trailer are ours
        if (!block.dictionary.empty() &&
            isal_deflate_set_dict(&s, reinterpret_cast<std::uint8_t*>(block.dictionary.data()),
                                  static_cast<std::uint32_t>(block.dictionary.size())) != COMP_OK) {
            throw ArchiveError("igzip refused a block's dictionary");
        }
        s.next_in = reinterpret_cast<std::uint8_t*>(block.input.data());
        s.avail_in = static_cast<std::uint32_t>(block.input.size());
        s.end_of_stream = block.last ? 1 : 0;
        s.flush = block.last ? NO_FLUSH : SYNC_FLUSH;
        block.output.resize(block.input.size() + block.input.size() / 8 + 1024);
        std::size_t used = 0;
        for (;;) {
            s.next_out = reinterpret_cast<std::uint8_t*>(block.output.data() + used);
            s.avail_out = static_cast<std::uint32_t>(block.output.size() - used);
            int rc = isal_deflate(&s);
            if (rc != COMP_OK)
                throw ArchiveError("igzip compression failed in a block (error " + std::to_string(rc) + ")");
            used = block.output.size() - s.avail_out;
            // igzip's header: with input used up and room left in the output,
            // a sync flush is complete; the last block ends in ZSTATE_END.
            bool complete = block.last ? s.internal_state.state == ZSTATE_END : s.avail_in == 0 && s.avail_out > 0;
            if (complete) break;
            if (s.avail_out == 0) block.output.resize(block.output.size() * 2);
        }
        block.output.resize(used);
    }

    DeflateEngine engine_;
    int level_;
    std::unique_ptr<isal_zstream> isal_;
    std::vector<std::uint8_t> level_buffer_;
};

class ParallelDeflate final : public Compressor {
public:
    ParallelDeflate(common::ByteSink& out, bool gzip_file, DeflateEngine engine, int level, int threads)
        : out_(out), gzip_file_(gzip_file), engine_(engine), level_(level),
          max_in_flight_(static_cast<std::size_t>(std::max(threads, 1)) * 2) {
        if (!valid_level(engine, level)) {
            throw ArchiveError(std::string("cannot initialise ") + (engine == DeflateEngine::Isal ? "igzip" : "zlib") +
                               " at level " + std::to_string(level));
        }
        pending_.reserve(kBlockSize);
        if (threads <= 1) {
            inline_encoder_ = std::make_unique<BlockEncoder>(engine_, level_);
            return;
        }
        for (int i = 0; i < threads; ++i) workers_.emplace_back([this] { work(); });
    }

    ~ParallelDeflate() override {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        work_ready_.notify_all();
        for (std::thread& t : workers_) t.join();
    }

    void write(std::string_view bytes) override {
        while (!bytes.empty()) {
            std::size_t take = std::min(bytes.size(), kBlockSize - pending_.size());
            pending_.append(bytes.substr(0, take));
            bytes.remove_prefix(take);
            if (pending_.size() == kBlockSize) submit(false);
        }
        emit_finished(false);
    }

    void finish() override {
        submit(true);
        emit_finished(true);
        write_trailer();
    }

private:
    void submit(bool last) {
        auto block = std::make_shared<DeflateBlock>();
        block->input = std::move(pending_);
        block->dictionary = std::move(dictionary_);
        block->last = last;
        std::size_t keep = std::min(kDictionarySize, block->input.size());
        dictionary_.assign(block->input, block->input.size() - keep, keep);
        pending_ = std::string();
        pending_.reserve(kBlockSize);
        if (inline_encoder_) {
            // One thread: the same blocks, deflated here, so the bytes match any -j.
            inline_encoder_->encode(*block, gzip_file_);
            block->done = true;
            emit(*block);
            return;
        }
        {
            std::unique_lock lock(mutex_);
            in_order_.push_back(block);
            queue_.push_back(block);
        }
        work_ready_.notify_one();
        // Bound memory: wait for the oldest block when too many are in flight.
        while (in_order_.size() > max_in_flight_) emit_oldest();
    }

    void emit_finished(bool wait_for_all) {
        for (;;) {
            {
                std::lock_guard lock(mutex_);
                if (in_order_.empty()) return;
                if (!wait_for_all && !in_order_.front()->done) return;
            }
            emit_oldest();
        }
    }

    void emit_oldest() {
        std::shared_ptr<DeflateBlock> block;
        {
            std::unique_lock lock(mutex_);
            block_done_.wait(lock, [&] { return in_order_.front()->done; });
            block = in_order_.front();
            in_order_.pop_front();
        }
        if (block->error) std::rethrow_exception(block->error);
        emit(*block);
    }

    void emit(const DeflateBlock& block) {
        if (!header_written_) {
            write_header();
            header_written_ = true;
        }
        std::string_view output = block.output;
        while (!output.empty()) {
            std::size_t n = std::min(output.size(), kMaxPush);
            out_.write(output.substr(0, n));
            output.remove_prefix(n);
        }
        auto size = static_cast<z_off_t>(block.input.size());
        checksum_ = gzip_file_ ? crc32_combine(checksum_, block.checksum, size)
                               : adler32_combine(checksum_, block.checksum, size);
        total_ += static_cast<std::uint64_t>(block.input.size());
    }

    void write_header() {
        bool isal = engine_ == DeflateEngine::Isal;
        if (gzip_file_) {
            // RFC 1952: magic, deflate, no flags, no mtime; XFL as zlib sets
            // it (2: best, 4: fastest); OS unix.
            char xfl = isal || level_ < 2 ? 4 : level_ == 9 ? 2 : 0;
            const char header[] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, xfl, 3};
            out_.write({header, sizeof header});
            return;
        }
        // RFC 1950: CMF 0x78 (deflate, 32 KiB window); FLEVEL as zlib sets it
        // for zlib levels, "fastest"/"fast" for igzip's.
        int flevel = isal ? (level_ < 2 ? 0 : 1) : level_ < 2 ? 0 : level_ < 6 ? 1 : level_ == 6 ? 2 : 3;
        int flg = flevel << 6;
        flg += 31 - (0x78 * 256 + flg) % 31;
        char header[2] = {'\x78', static_cast<char>(flg)};
        out_.write({header, 2});
    }

    void write_trailer() {
        char trailer[8];
        if (gzip_file_) {
            for (int i = 0; i < 4; ++i) trailer[i] = static_cast<char>((checksum_ >> (8 * i)) & 0xff);
            for (int i = 0; i < 4; ++i) trailer[4 + i] = static_cast<char>((total_ >> (8 * i)) & 0xff);
            out_.write({trailer, 8});
        } else {
            for (int i = 0; i < 4; ++i) trailer[i] = static_cast<char>((checksum_ >> (8 * (3 - i))) & 0xff);
            out_.write({trailer, 4});
        }
    }

    void work() {
        BlockEncoder encoder(engine_, level_);
        for (;;) {
            std::shared_ptr<DeflateBlock> block;
            {
                std::unique_lock lock(mutex_);
                work_ready_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) return;
                block = queue_.front();
                queue_.pop_front();
            }
            try {
                encoder.encode(*block, gzip_file_);
            } catch (...) {
                block->error = std::current_exception();
            }
            {
                std::lock_guard lock(mutex_);
                block->done = true;
            }
            block_done_.notify_all();
        }
    }

    common::ByteSink& out_;
    bool gzip_file_;
    DeflateEngine engine_;
    int level_;
    std::size_t max_in_flight_;
    std::string pending_;
    std::string dictionary_;
    bool header_written_ = false;
    uLong checksum_ = gzip_file_ ? crc32(0L, Z_NULL, 0) : adler32(0L, Z_NULL, 0);
    std::uint64_t total_ = 0;
    std::unique_ptr<BlockEncoder> inline_encoder_; // threads <= 1

    std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable block_done_;
    std::deque<std::shared_ptr<DeflateBlock>> queue_;    // waiting for a worker
    std::deque<std::shared_ptr<DeflateBlock>> in_order_; // waiting to be written, in input order
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

} // namespace

std::unique_ptr<Compressor> make_parallel_deflate(common::ByteSink& out, bool gzip_file, DeflateEngine engine,
                                                  int level, int threads) {
    return std::make_unique<ParallelDeflate>(out, gzip_file, engine, level, threads);
}

} // namespace pgscrub::dump
