#include "scrub/original_values.hpp"

#include "dump/archive_error.hpp"

#include <string>

namespace pgscrub::scrub {

namespace {
constexpr std::uint64_t kSlotBytes = sizeof(std::uint64_t) + sizeof(std::uint32_t);
constexpr std::size_t kInitialSlots = 1 << 12;
} // namespace

OriginalValueIndex::OriginalValueIndex(std::uint64_t memory_limit_bytes)
    : memory_limit_(memory_limit_bytes), keys_(kInitialSlots, 0), sources_(kInitialSlots, 0) {}

std::uint64_t OriginalValueIndex::memory_bytes() const { return keys_.size() * kSlotBytes; }

void OriginalValueIndex::insert(std::uint64_t fingerprint, std::uint32_t source) {
    // Keep the load under 70 %: probes stay short.
    if ((size_ + 1) * 10 > keys_.size() * 7) grow();
    std::uint64_t key = slot_key(fingerprint);
    std::size_t mask = keys_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(key) & mask;; i = (i + 1) & mask) {
        if (keys_[i] == key) return;
        if (keys_[i] == 0) {
            keys_[i] = key;
            sources_[i] = source;
            ++size_;
            return;
        }
    }
}

std::optional<std::uint32_t> OriginalValueIndex::find(std::uint64_t fingerprint) const {
    std::uint64_t key = slot_key(fingerprint);
    std::size_t mask = keys_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(key) & mask;; i = (i + 1) & mask) {
        if (keys_[i] == key) return sources_[i];
        if (keys_[i] == 0) return std::nullopt;
    }
}

void OriginalValueIndex::grow() {
    std::size_t slots = keys_.size() * 2;
    if (slots * kSlotBytes > memory_limit_) {
        throw dump::ArchiveError("scrub --verify needs more than " + std::to_string(memory_limit_ >> 20) +
                                     " MiB to remember the " + std::to_string(size_) +
                                     " original values seen so far; raise --verify-memory (MiB)",
                                 dump::ErrorLocation{});
    }
    std::vector<std::uint64_t> old_keys(slots, 0);
    std::vector<std::uint32_t> old_sources(slots, 0);
    old_keys.swap(keys_);
    old_sources.swap(sources_);
    size_ = 0;
    for (std::size_t i = 0; i < old_keys.size(); ++i)
        if (old_keys[i]) insert(old_keys[i], old_sources[i]);
}

} // namespace pgscrub::scrub
