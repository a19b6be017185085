#include "media/sync_progress.hpp"

namespace pgscrub::media {

namespace {
// Often enough to look alive, rarely enough to cost nothing.
constexpr std::chrono::milliseconds kRedraw{250};
} // namespace

std::string format_sync_progress(const SyncProgress& progress) {
    std::string line = "pgscrub: media " + std::to_string(progress.objects_done) + "/" +
                       std::to_string(progress.objects_total) + " objects, " +
                       common::format_bytes(progress.bytes_done) + " of " + common::format_bytes(progress.bytes_total);
    if (progress.seconds >= 0.1) {
        line += ", " +
                common::format_bytes(
                    static_cast<std::uint64_t>(static_cast<double>(progress.bytes_done) / progress.seconds)) +
                "/s";
    }
    return line;
}

SyncProgressTicker::SyncProgressTicker(bool enabled, std::uint64_t objects_total, std::uint64_t bytes_total,
                                       const std::atomic<std::uint64_t>& objects_done,
                                       const std::atomic<std::uint64_t>& bytes_done)
    : line_(enabled), objects_total_(objects_total), bytes_total_(bytes_total), objects_done_(objects_done),
      bytes_done_(bytes_done) {
    if (!enabled) return;
    draw();
    thread_ = std::thread([this] {
        std::unique_lock lock(mutex_);
        while (!wake_.wait_for(lock, kRedraw, [this] { return stopping_; })) draw();
    });
}

SyncProgressTicker::~SyncProgressTicker() {
    if (thread_.joinable()) {
        {
            std::lock_guard lock(mutex_);
            stopping_ = true;
        }
        wake_.notify_all();
        thread_.join();
    }
    line_.clear();
}

void SyncProgressTicker::draw() {
    SyncProgress progress;
    progress.objects_done = objects_done_.load();
    progress.objects_total = objects_total_;
    progress.bytes_done = bytes_done_.load();
    progress.bytes_total = bytes_total_;
    progress.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    line_.show(format_sync_progress(progress));
}

} // namespace pgscrub::media
