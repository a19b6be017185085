#pragma once
// One table's decoded COPY text through its plan on several threads, with
// the same output bytes, in the same writes, as on one (pigz's pattern, for
// rows).
//
// The calling thread splits the stream into rows (dump/copy_text.hpp's
// RowSplitter, so a row ends exactly where the sequential rewriter ends it:
// at a raw '\n', which COPY TO writes only between rows) and copies whole
// rows into a chunk until it holds `chunk_bytes` (a longer row makes a bigger
// chunk); the chunk is then sealed and queued. A fixed pool of workers, each
// with its own RowRewriter (reused scratch: no allocation per row), rewrites
// chunks into their own output buffers; the calling thread writes the outputs
// to the sink in input order, one write per chunk, then the `\.` trailer.
// Where a chunk ends depends only on the input and `chunk_bytes`, never on
// the number of workers or on timing, so every -j writes the same bytes in
// the same write calls (an uncompressed custom archive frames each write as
// a data block: the archives are identical too).
//
// Memory is bounded: at most 2 x workers chunks exist (being filled, queued,
// rewritten or waiting for their turn), whatever the table's size; the
// calling thread waits for the oldest to be written before it fills another.
//
// Counting stays exact: rows and per-column changes are summed chunk by
// chunk in order. A chunk knows how many rows came before it (numbered when
// sealed), so an error names the row's absolute number and byte offset.
// Changed values for --verify are logged per chunk and handed to the observer
// on the calling thread in input order: the verifier's index stays
// single-threaded and fills in the same order as with one thread.
//
// A failure on a worker (a transform error, a corrupt row, an interrupt)
// stops the chunks after it; the calling thread rethrows it, unchanged, when
// that chunk's turn to be written comes: the error is always the first bad
// row's, whatever the timing. The destructor stops and joins the workers, so
// an exception from anywhere leaves no thread behind.

#include "common/byte_stream.hpp"
#include "scrub/row_rewriter.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace pgscrub::scrub {

struct RowParallelism {
    // Threads rewriting rows. 1: chunks are rewritten on the calling thread
    // (same chunks, same bytes). Capped at kMaxRowWorkers.
    int workers = 1;
    // Where a chunk is cut (after the row that reaches it). Tests use tiny ones.
    std::size_t chunk_bytes = std::size_t{1} << 20;
};

// Beyond this many workers the calling thread (inflating, splitting, writing
// in order, deflating) is the bound, and each one costs 2 chunks of memory.
inline constexpr int kMaxRowWorkers = 16;

class ParallelRowRewriter final : public common::ByteSink {
public:
    // `plan` may be null (every field kept: the codec round trip alone).
    // `expected_columns` is the COPY column count (-1: do not check).
    ParallelRowRewriter(common::ByteSink& out, int expected_columns, const rules::TablePlan* plan,
                        const anonymise::KeyedHash* key, const dump::ErrorLocation& where, RowParallelism parallelism);
    ~ParallelRowRewriter() override;
    ParallelRowRewriter(const ParallelRowRewriter&) = delete;
    ParallelRowRewriter& operator=(const ParallelRowRewriter&) = delete;

    // Reports each changed value to `observer` (may be null; not owned), on
    // the calling thread, in input order.
    void observe_changes(ValueChangeObserver* observer);

    void write(std::string_view decoded) override;
    // Rewrites and writes what is left, checks the stream ended with `\.`
    // and writes the trailer.
    void finish();

    std::uint64_t rows() const;
    std::uint64_t bytes_in() const;
    // Per COPY column: how many values the plan changed.
    const std::vector<std::uint64_t>& values_changed() const;

private:
    class Impl;
    std::unique_ptr<Impl> impl_;
};

} // namespace pgscrub::scrub
