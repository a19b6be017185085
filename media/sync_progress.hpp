#pragma once
// media sync's progress line on a terminal (common/progress_line.hpp):
// objects and bytes done of the total, and the rate so far, redrawn a few
// times a second by a thread of its own while the transfers run — so the
// rate keeps moving while a large object is in flight — and cleared before
// the summary (docs/media.md).

#include "common/progress_line.hpp"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

namespace pgscrub::media {

struct SyncProgress {
    std::uint64_t objects_done = 0;
    std::uint64_t objects_total = 0;
    std::uint64_t bytes_done = 0;
    std::uint64_t bytes_total = 0;
    double seconds = 0; // since the transfers began
};

// "pgscrub: media 120/600 objects, 1.9 MB of 9.8 MB, 1.2 MB/s"; the rate is
// left out until a tenth of a second has passed (it would mean nothing).
std::string format_sync_progress(const SyncProgress& progress);

// Draws the line from counters the transfer threads update, until destroyed
// (which clears it). Does nothing when not enabled.
class SyncProgressTicker {
public:
    SyncProgressTicker(bool enabled, std::uint64_t objects_total, std::uint64_t bytes_total,
                       const std::atomic<std::uint64_t>& objects_done, const std::atomic<std::uint64_t>& bytes_done);
    ~SyncProgressTicker();
    SyncProgressTicker(const SyncProgressTicker&) = delete;
    SyncProgressTicker& operator=(const SyncProgressTicker&) = delete;

private:
    void draw();

    common::ProgressLine line_;
    std::uint64_t objects_total_;
    std::uint64_t bytes_total_;
    const std::atomic<std::uint64_t>& objects_done_;
    const std::atomic<std::uint64_t>& bytes_done_;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    std::mutex mutex_;
    std::condition_variable wake_;
    bool stopping_ = false;
    std::thread thread_;
};

} // namespace pgscrub::media
