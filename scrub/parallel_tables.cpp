#include "scrub/parallel_tables.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <numeric>
#include <thread>

namespace pgscrub::scrub {

void ParallelTables::add(std::uint64_t stored_size, Job job) {
    tables_.push_back(Table{stored_size, std::move(job)});
}

void ParallelTables::run() {
    // Largest first; equal sizes in the archive's order, so runs repeat.
    std::vector<std::size_t> order(tables_.size());
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return tables_[a].stored_size > tables_[b].stored_size; });

    std::mutex mutex;
    std::size_t next = 0; // into `order`
    bool failed = false;  // stop starting tables
    bool rows_in_parallel_taken = false;
    std::vector<std::exception_ptr> errors(tables_.size());

    auto work = [&] {
        for (;;) {
            std::size_t index;
            int row_workers = 1;
            {
                std::lock_guard lock(mutex);
                if (failed || next == order.size()) return;
                index = order[next++];
                if (!rows_in_parallel_taken) {
                    rows_in_parallel_taken = true;
                    row_workers = jobs_;
                }
            }
            try {
                tables_[index].job(row_workers);
            } catch (...) {
                std::lock_guard lock(mutex);
                errors[index] = std::current_exception();
                failed = true;
            }
            if (row_workers > 1) {
                std::lock_guard lock(mutex);
                rows_in_parallel_taken = false;
            }
        }
    };

    const std::size_t threads = std::min<std::size_t>(static_cast<std::size_t>(jobs_), tables_.size());
    {
        std::vector<std::jthread> pool;
        pool.reserve(threads);
        try {
            for (std::size_t i = 1; i < threads; ++i) pool.emplace_back(work);
        } catch (...) {
            // No thread to be had: stop the others and report that.
            {
                std::lock_guard lock(mutex);
                failed = true;
            }
            throw;
        }
        work(); // the calling thread is one of them
    }           // joins
    for (std::exception_ptr& error : errors) {
        if (error) std::rethrow_exception(error);
    }
    tables_.clear();
}

} // namespace pgscrub::scrub
