#include "dump/parallel_deflate.hpp"

#include "dump/archive_error.hpp"

#include <zlib.h>

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

struct DeflateBlock {
    std::string input;
    std::string dictionary; // the previous block's last 32 KiB
    bool last = false;
    std::string output;
    uLong checksum = 0; // adler32 or crc32 of input
    bool done = false;
    std::exception_ptr error;
};

// Deflates one block as raw deflate; non-final blocks end with a sync flush
// so the next block's output can follow on a byte boundary.
void deflate_block(DeflateBlock& block, int level, bool gzip_file) {
    z_stream stream;
    std::memset(&stream, 0, sizeof stream);
    if (deflateInit2(&stream, level, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        throw ArchiveError("cannot initialise zlib at level " + std::to_string(level));
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
    if (!ok) throw ArchiveError("zlib compression failed in a parallel block");
    const auto* bytes = reinterpret_cast<const Bytef*>(block.input.data());
    auto size = static_cast<uInt>(block.input.size());
    block.checksum = gzip_file ? crc32(crc32(0L, Z_NULL, 0), bytes, size) : adler32(adler32(0L, Z_NULL, 0), bytes, size);
}

class ParallelDeflate final : public Compressor {
public:
    ParallelDeflate(common::ByteSink& out, bool gzip_file, int level, int threads)
        : out_(out), gzip_file_(gzip_file), level_(level == Z_DEFAULT_COMPRESSION ? 6 : level),
          max_in_flight_(static_cast<std::size_t>(threads) * 2) {
        pending_.reserve(kBlockSize);
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
        if (!header_written_) {
            write_header();
            header_written_ = true;
        }
        if (!block->output.empty()) out_.write(block->output);
        auto size = static_cast<z_off_t>(block->input.size());
        checksum_ = gzip_file_ ? crc32_combine(checksum_, block->checksum, size) : adler32_combine(checksum_, block->checksum, size);
        total_ += static_cast<std::uint64_t>(block->input.size());
    }

    void write_header() {
        if (gzip_file_) {
            // RFC 1952: magic, deflate, no flags, no mtime, no extra flags, OS unix.
            static constexpr char header[] = {'\x1f', '\x8b', 8, 0, 0, 0, 0, 0, 0, 3};
            out_.write({header, sizeof header});
            return;
        }
        // RFC 1950: CMF 0x78 (deflate, 32 KiB window); FLEVEL as zlib sets it.
        int flevel = level_ < 2 ? 0 : level_ < 6 ? 1 : level_ == 6 ? 2 : 3;
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
                deflate_block(*block, level_, gzip_file_);
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
    int level_;
    std::size_t max_in_flight_;
    std::string pending_;
    std::string dictionary_;
    bool header_written_ = false;
    uLong checksum_ = gzip_file_ ? crc32(0L, Z_NULL, 0) : adler32(0L, Z_NULL, 0);
    std::uint64_t total_ = 0;

    std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable block_done_;
    std::deque<std::shared_ptr<DeflateBlock>> queue_;    // waiting for a worker
    std::deque<std::shared_ptr<DeflateBlock>> in_order_; // waiting to be written, in input order
    bool stopping_ = false;
    std::vector<std::thread> workers_;
};

} // namespace

std::unique_ptr<Compressor> make_parallel_deflate(common::ByteSink& out, bool gzip_file, int level, int threads) {
    return std::make_unique<ParallelDeflate>(out, gzip_file, level, threads);
}

} // namespace pgscrub::dump
