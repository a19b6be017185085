#pragma once
// The originals `scrub --verify` remembers: 64-bit keyed fingerprints, each
// with the source column it came from, in one open-addressing table that
// grows by doubling up to a memory limit. Past the limit the run stops with
// a clear message rather than verifying less than it claims.

#include <cstdint>
#include <optional>
#include <vector>

namespace pgscrub::scrub {

class OriginalValueIndex {
public:
    explicit OriginalValueIndex(std::uint64_t memory_limit_bytes);

    // Remembers `fingerprint` as coming from `source` (the first source wins).
    // Throws ArchiveError when the memory limit would be exceeded.
    void insert(std::uint64_t fingerprint, std::uint32_t source);
    std::optional<std::uint32_t> find(std::uint64_t fingerprint) const;

    std::uint64_t size() const { return size_; }
    std::uint64_t memory_bytes() const;

private:
    static std::uint64_t slot_key(std::uint64_t fingerprint) { return fingerprint == 0 ? 1 : fingerprint; }
    void grow();

    std::uint64_t memory_limit_;
    std::vector<std::uint64_t> keys_; // 0 = empty slot
    std::vector<std::uint32_t> sources_;
    std::uint64_t size_ = 0;
};

} // namespace pgscrub::scrub
