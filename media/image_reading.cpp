#include "media/image_reading.hpp"

#include "common/interrupts.hpp"

#include <algorithm>

namespace pgscrub::media {

void MemoryBudget::acquire(std::uint64_t bytes) {
    std::unique_lock lock(mutex_);
    freed_.wait(lock, [&] { return used_ == 0 || used_ + bytes <= limit_; });
    used_ += bytes;
}

void MemoryBudget::release(std::uint64_t bytes) {
    {
        std::lock_guard lock(mutex_);
        used_ -= bytes;
    }
    freed_.notify_all();
}

BudgetHold::BudgetHold(MemoryBudget& budget, std::uint64_t image_size, std::size_t max_image_bytes)
    : budget_(budget), bytes_(2 * std::min<std::uint64_t>(image_size, std::uint64_t{max_image_bytes} + 1)) {
    budget_.acquire(bytes_);
}

std::string read_image_bytes(common::InputStream& in, std::size_t max_bytes) {
    std::string bytes;
    for (;;) {
        std::string_view piece = in.peek(1 << 20);
        if (piece.empty()) break;
        std::size_t take = std::min(piece.size(), max_bytes + 1 - bytes.size());
        bytes.append(piece.substr(0, take));
        in.skip(take, "image bytes");
        if (bytes.size() > max_bytes) break;
        common::stop_point();
    }
    return bytes;
}

CleanResult clean_read_image(std::string_view bytes, std::size_t max_bytes) {
    if (bytes.size() > max_bytes) {
        return Unstrippable{UnstrippableReason::TooLarge,
                            "larger than the in-memory limit of " + std::to_string(max_bytes) + " bytes"};
    }
    CleanOptions options;
    options.max_input_bytes = max_bytes;
    return clean_image(bytes, options);
}

void stream_rest(common::InputStream& in, common::ByteSink& out) {
    for (;;) {
        std::string_view piece = in.peek(1 << 20);
        if (piece.empty()) break;
        out.write(piece);
        in.skip(piece.size(), "object bytes");
        common::stop_point();
    }
}

} // namespace pgscrub::media
