#include "scrub/parallel_row_rewriter.hpp"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <functional>
#include <limits>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace pgscrub::scrub {

namespace {

// The values one chunk changed, kept (in one reused buffer) until the chunk's
// turn to be written, then handed to the real observer in input order.
class ChangeLog final : public ValueChangeObserver {
public:
    void value_changed(std::size_t column, std::string_view original, std::optional<std::string_view> output) override {
        Entry entry{column, bytes_.size(), original.size(), output.has_value(), 0, 0};
        bytes_.append(original);
        if (output) {
            entry.output_at = bytes_.size();
            entry.output_size = output->size();
            bytes_.append(*output);
        }
        entries_.push_back(entry);
    }

    void replay(ValueChangeObserver& observer) {
        const std::string_view bytes(bytes_);
        for (const Entry& e : entries_) {
            std::optional<std::string_view> output;
            if (e.has_output) output = bytes.substr(e.output_at, e.output_size);
            observer.value_changed(e.column, bytes.substr(e.original_at, e.original_size), output);
        }
    }

    void clear() {
        bytes_.clear();
        entries_.clear();
    }

private:
    struct Entry {
        std::size_t column;
        std::size_t original_at;
        std::size_t original_size;
        bool has_output;
        std::size_t output_at;
        std::size_t output_size;
    };
    std::string bytes_;
    std::vector<Entry> entries_;
};

struct Chunk {
    std::string input;              // whole rows, each with its '\n'
    std::vector<std::size_t> ends;  // offset of each row's '\n' in input
    std::uint64_t first_row = 0;    // rows of the stream before this chunk
    std::uint64_t first_offset = 0; // stream offset of input[0]
    std::string output;
    std::vector<std::uint64_t> changed; // per column
    ChangeLog changes;
    std::exception_ptr error;
    bool abandoned = false; // stopped because an earlier chunk failed
    bool done = false;      // guarded by Impl::mutex_ while workers run
};

// A buffer grown by one huge row goes back to the allocator.
void release_if_huge(std::string& buffer, std::size_t chunk_bytes) {
    if (buffer.capacity() > 4 * chunk_bytes)
        std::string().swap(buffer);
    else
        buffer.clear();
}

constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();

} // namespace

class ParallelRowRewriter::Impl {
public:
    Impl(common::ByteSink& out, int expected_columns, const rules::TablePlan* plan, const anonymise::KeyedHash* key,
         const dump::ErrorLocation& where, RowParallelism parallelism)
        : out_(out), where_(where), chunk_bytes_(std::max<std::size_t>(1, parallelism.chunk_bytes)),
          workers_(static_cast<std::size_t>(std::clamp(parallelism.workers, 1, kMaxRowWorkers))),
          slots_(workers_ == 1 ? 1 : 2 * workers_) {
        rewriters_.reserve(workers_);
        for (std::size_t i = 0; i < workers_; ++i) rewriters_.emplace_back(expected_columns, plan, key, where);
        changed.assign(rewriters_[0].columns(), 0);
    }

    ~Impl() { stop(); }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    void write(std::string_view decoded) {
        bytes_in += decoded.size();
        piece_ = decoded;
        splitter_.feed(decoded, [this](std::string_view row) { add_row(row); });
        flush_span(); // the piece is the caller's only until write() returns
    }

    void finish() {
        if (!slot(filling_).ends.empty()) seal(true);
        while (emitted_ < filling_) write_next();
        // After the rows, as on one thread: a bad row is reported before a missing end marker.
        auto end = splitter_.finish();
        if (!end) throw dump::ArchiveError("COPY data: " + end.message(), where_);
        out_.write(splitter_.trailer());
    }

    ValueChangeObserver* observer = nullptr;
    std::uint64_t rows = 0;
    std::uint64_t bytes_in = 0;
    std::vector<std::uint64_t> changed;

private:
    Chunk& slot(std::uint64_t sequence) { return slots_[sequence % slots_.size()]; }

    // Rows that lie in the piece are followed there by their '\n', and the
    // next such row starts right after it: a run of them is copied as one
    // span (narrow rows made the per-row copy a large part of this thread's
    // work). A row that straddled pieces comes from the splitter's buffer.
    void add_row(std::string_view row) {
        Chunk& chunk = slot(filling_);
        if (chunk.ends.empty()) {
            chunk.first_row = splitter_.row_number() - 1;
            chunk.first_offset = splitter_.row_offset();
        }
        // std::less: the splitter's buffer and the piece are unrelated arrays.
        const std::less<const char*> before;
        const bool in_piece =
            !before(row.data(), piece_.data()) && before(row.data() + row.size(), piece_.data() + piece_.size());
        if (in_piece && !span_.empty() && span_.data() + span_.size() == row.data()) {
            span_ = std::string_view(span_.data(), span_.size() + row.size() + 1);
        } else {
            flush_span();
            if (in_piece) {
                span_ = std::string_view(row.data(), row.size() + 1);
            } else {
                chunk.input.append(row);
                chunk.input.push_back('\n');
            }
        }
        const std::size_t size = chunk.input.size() + span_.size();
        chunk.ends.push_back(size - 1);
        if (size >= chunk_bytes_) {
            flush_span();
            seal(false);
        }
    }

    void flush_span() {
        slot(filling_).input.append(span_);
        span_ = {};
    }

    // The chunk being filled is complete: rewrite it here (one worker, or a
    // table that is one chunk: no thread is worth starting) or queue it.
    void seal(bool last) {
        Chunk& chunk = slot(filling_);
        if (threads_.empty() && (workers_ == 1 || (last && emitted_ == filling_))) {
            rewrite_chunk(chunk, rewriters_[0], filling_);
            ++filling_;
            emit(chunk);
            return;
        }
        if (threads_.empty()) start_workers();
        {
            std::lock_guard lock(mutex_);
            sealed_ = filling_ + 1;
        }
        work_ready_.notify_one();
        ++filling_;
        // Write what is ready; wait only when every slot is in use.
        while (emitted_ < filling_ && is_done(slot(emitted_))) emit(slot(emitted_));
        while (filling_ - emitted_ >= slots_.size()) write_next();
    }

    bool is_done(Chunk& chunk) {
        std::lock_guard lock(mutex_);
        return chunk.done;
    }

    void write_next() {
        Chunk& chunk = slot(emitted_);
        {
            std::unique_lock lock(mutex_);
            chunk_done_.wait(lock, [&] { return chunk.done; });
        }
        emit(chunk);
    }

    // On the calling thread, in input order.
    void emit(Chunk& chunk) {
        if (chunk.error) std::rethrow_exception(chunk.error);
        // A chunk is abandoned only after an earlier one failed, whose error was thrown above first.
        if (chunk.abandoned) throw std::logic_error("row rewriting: a chunk was abandoned with no error before it");
        out_.write(chunk.output);
        rows += chunk.ends.size();
        for (std::size_t i = 0; i < changed.size(); ++i) changed[i] += chunk.changed[i];
        if (observer) chunk.changes.replay(*observer);
        release_if_huge(chunk.input, chunk_bytes_);
        release_if_huge(chunk.output, chunk_bytes_);
        chunk.ends.clear();
        chunk.changes.clear();
        {
            std::lock_guard lock(mutex_);
            chunk.done = false;
        }
        ++emitted_;
    }

    void rewrite_chunk(Chunk& chunk, RowRewriter& rewriter, std::uint64_t sequence) {
        chunk.output.clear();
        chunk.changed.assign(changed.size(), 0);
        chunk.changes.clear();
        ValueChangeObserver* log = observer ? &chunk.changes : nullptr;
        const std::string_view input(chunk.input);
        std::size_t start = 0;
        for (std::size_t i = 0; i < chunk.ends.size(); ++i) {
            if (sequence >= abandon_from_.load(std::memory_order_relaxed)) {
                chunk.abandoned = true;
                return;
            }
            const std::size_t end = chunk.ends[i];
            rewriter.rewrite(input.substr(start, end - start), chunk.first_row + i + 1, chunk.first_offset + start,
                             chunk.output, chunk.changed, log);
            start = end + 1;
        }
    }

    void start_workers() {
        threads_.reserve(workers_);
        for (std::size_t i = 0; i < workers_; ++i) threads_.emplace_back([this, i] { work(i); });
    }

    void work(std::size_t index) {
        RowRewriter& rewriter = rewriters_[index];
        for (;;) {
            std::uint64_t sequence = 0;
            {
                std::unique_lock lock(mutex_);
                work_ready_.wait(lock, [&] { return shutdown_ || taken_ < sealed_; });
                if (shutdown_) return;
                sequence = taken_++;
            }
            Chunk& chunk = slot(sequence);
            try {
                rewrite_chunk(chunk, rewriter, sequence);
            } catch (...) {
                chunk.error = std::current_exception();
                // Later chunks stop; earlier ones finish, so the error the
                // calling thread sees is always the first bad row's.
                std::uint64_t from = abandon_from_.load();
                while (sequence + 1 < from && !abandon_from_.compare_exchange_weak(from, sequence + 1)) {
                }
            }
            {
                std::lock_guard lock(mutex_);
                chunk.done = true;
            }
            chunk_done_.notify_one();
        }
    }

    void stop() {
        {
            std::lock_guard lock(mutex_);
            shutdown_ = true;
        }
        abandon_from_.store(0);
        work_ready_.notify_all();
        for (std::thread& thread : threads_) thread.join();
        threads_.clear();
    }

    common::ByteSink& out_;
    dump::ErrorLocation where_;
    std::size_t chunk_bytes_;
    std::size_t workers_;
    std::vector<RowRewriter> rewriters_; // one per worker; [0] on the calling thread until workers start
    std::vector<Chunk> slots_;
    dump::copy_text::RowSplitter splitter_;
    std::string_view piece_;    // the piece being split
    std::string_view span_;     // rows of piece_ (with their '\n') not yet copied into the chunk
    std::uint64_t filling_ = 0; // the chunk the calling thread fills
    std::uint64_t emitted_ = 0; // chunks written

    std::mutex mutex_;
    std::condition_variable work_ready_;
    std::condition_variable chunk_done_;
    std::uint64_t sealed_ = 0; // chunks below may be taken (guarded)
    std::uint64_t taken_ = 0;  // the next chunk a worker takes (guarded)
    bool shutdown_ = false;    // (guarded)
    std::atomic<std::uint64_t> abandon_from_{kNever};
    std::vector<std::thread> threads_;
};

ParallelRowRewriter::ParallelRowRewriter(common::ByteSink& out, int expected_columns, const rules::TablePlan* plan,
                                         const anonymise::KeyedHash* key, const dump::ErrorLocation& where,
                                         RowParallelism parallelism)
    : impl_(std::make_unique<Impl>(out, expected_columns, plan, key, where, parallelism)) {}

ParallelRowRewriter::~ParallelRowRewriter() = default;

void ParallelRowRewriter::observe_changes(ValueChangeObserver* observer) {
    impl_->observer = observer;
}
void ParallelRowRewriter::write(std::string_view decoded) {
    impl_->write(decoded);
}
void ParallelRowRewriter::finish() {
    impl_->finish();
}
std::uint64_t ParallelRowRewriter::rows() const {
    return impl_->rows;
}
std::uint64_t ParallelRowRewriter::bytes_in() const {
    return impl_->bytes_in;
}
const std::vector<std::uint64_t>& ParallelRowRewriter::values_changed() const {
    return impl_->changed;
}

} // namespace pgscrub::scrub
