#pragma once
// Several tables scrubbed at once: pg_restore -j's pattern, for an output
// that writes each table to a file of its own (a directory archive) from an
// input whose tables can each be read on their own (a directory archive's
// data files). There every table has its own inflate, row splitting, writes
// and deflate — the work the row-parallel rewriter
// (parallel_row_rewriter.hpp) leaves on one thread per table — so that work
// runs on every core too, and many small tables no longer go one by one.
//
// Tables start largest first (by stored size), so the longest one does not
// start last and leave the other cores idle at the end. `jobs` tables run at
// a time, one thread each. One of them at a time, whichever starts while no
// other holds it, also rewrites its rows on `jobs` threads: the last table
// still running gets every core for its rows, and memory stays bounded by
// `jobs`, not by tables x jobs (each row-parallel table holds 2 chunks per
// worker).
//
// A failure stops the tables not yet started; those running finish or fail,
// and of the failures the one of the table added first (the archive's
// order) is rethrown, whatever the timing. Every thread is joined before
// run() returns or throws.

#include <cstdint>
#include <functional>
#include <vector>

namespace pgscrub::scrub {

class ParallelTables {
public:
    // `row_workers`: the threads the table may use for its rows.
    using Job = std::function<void(int row_workers)>;

    explicit ParallelTables(int jobs) : jobs_(jobs < 1 ? 1 : jobs) {}

    void add(std::uint64_t stored_size, Job job);
    bool empty() const { return tables_.empty(); }
    // Runs every table added; see above for the order and failures.
    void run();

private:
    struct Table {
        std::uint64_t stored_size;
        Job job;
    };
    int jobs_;
    std::vector<Table> tables_;
};

} // namespace pgscrub::scrub
