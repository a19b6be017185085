#pragma once
// Keyed, deterministic hashing (HMAC-SHA256, OpenSSL): the same input under
// the same key gives the same output in every table and column, a different
// key gives unrelated output, and nothing can be reversed without the key.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace pgscrub::anonymise {

class KeyedHash {
public:
    // Any key is accepted (HMAC is defined for every key length, an empty one
    // included); refusing a missing key is the caller's job. The key is kept
    // only as HMAC's precomputed inner and outer states, which are wiped on
    // destruction. Copies share those states; digest() is thread-safe and
    // does not allocate.
    explicit KeyedHash(std::string key);

    // HMAC-SHA256(key, domain || 0x00 || value). `domain` separates uses
    // (e.g. "email", "first_name") so equal inputs in different roles don't
    // map to related outputs.
    std::array<std::uint8_t, 32> digest(std::string_view domain, std::string_view value) const;
    // The first 8 bytes of digest(), big-endian, as an integer, for picking from lists.
    std::uint64_t number(std::string_view domain, std::string_view value) const;

    struct State; // HMAC inner/outer midstates (keyed_hash.cpp)

private:
    std::shared_ptr<const State> state_;
};

// SHA-256 of `bytes` as 64 lower-case hex digits (the rules file's hash in reports).
std::string sha256_hex(std::string_view bytes);

// Lower-case RFC 4648 base32 (a-z, 2-7) of `bytes`, without padding, cut to
// `length` characters (at most 52 for a 32-byte digest).
std::string base32_lower(const std::array<std::uint8_t, 32>& bytes, std::size_t length);
// Appends the same to `out` (no allocation when `out` has room).
void append_base32_lower(std::string& out, const std::array<std::uint8_t, 32>& bytes, std::size_t length);

} // namespace pgscrub::anonymise
