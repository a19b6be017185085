#pragma once
// Runs work(i) for i in [0, count) on up to `jobs` threads (the caller's
// among them), each taking the next index. The first exception stops the
// others taking new indices and is rethrown once all have finished — the
// shape of media sync's transfers and of media verify's comparisons.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace pgscrub::media {

template <class Work>
void run_on_threads(std::size_t count, int jobs, Work&& work) {
    std::atomic<std::size_t> next{0};
    std::atomic<bool> stop{false};
    std::exception_ptr failure;
    std::mutex failure_mutex;
    auto worker = [&] {
        while (!stop.load()) {
            const std::size_t i = next.fetch_add(1);
            if (i >= count) return;
            try {
                work(i);
            } catch (...) {
                std::lock_guard lock(failure_mutex);
                if (!failure) failure = std::current_exception();
                stop = true;
            }
        }
    };
    const std::size_t threads =
        std::clamp<std::size_t>(static_cast<std::size_t>(std::max(jobs, 1)), 1, std::max<std::size_t>(count, 1));
    std::vector<std::thread> pool;
    for (std::size_t t = 1; t < threads; ++t) pool.emplace_back(worker);
    worker();
    for (std::thread& thread : pool) thread.join();
    if (failure) std::rethrow_exception(failure);
}

} // namespace pgscrub::media
