#include "common/progress_line.hpp"

#include <array>

namespace pgscrub::common {

void ProgressLine::show(std::string_view text) {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    // \r to the start of the line, ESC[K erases what a longer line left.
    std::fputs("\r\033[K", out_);
    std::fwrite(text.data(), 1, text.size(), out_);
    std::fflush(out_);
    shown_ = true;
}

void ProgressLine::clear() {
    if (!enabled_) return;
    std::lock_guard lock(mutex_);
    if (!shown_) return;
    std::fputs("\r\033[K", out_);
    std::fflush(out_);
    shown_ = false;
}

std::string format_bytes(std::uint64_t bytes) {
    if (bytes < 1000) return std::to_string(bytes) + " B";
    static constexpr std::array<const char*, 6> kUnits{"kB", "MB", "GB", "TB", "PB", "EB"};
    double value = static_cast<double>(bytes) / 1000;
    std::size_t unit = 0;
    // 999.95 would print as "1000.0": move up a unit before that.
    while (value >= 999.95 && unit + 1 < kUnits.size()) {
        value /= 1000;
        ++unit;
    }
    std::array<char, 32> text{};
    std::snprintf(text.data(), text.size(), "%.1f %s", value, kUnits[unit]);
    return text.data();
}

} // namespace pgscrub::common
