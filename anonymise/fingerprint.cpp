#include "anonymise/fingerprint.hpp"

#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>

namespace pgscrub::anonymise {

namespace {

std::uint64_t load_le64(const unsigned char* p) noexcept {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
    return v;
}

constexpr std::uint64_t rotl(std::uint64_t x, int b) noexcept { return (x << b) | (x >> (64 - b)); }

struct SipState {
    std::uint64_t v0, v1, v2, v3;
    void round() noexcept {
        v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
        v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
        v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
        v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
    }
    void absorb(std::uint64_t m) noexcept {
        v3 ^= m;
        round();
        round();
        v0 ^= m;
    }
};

} // namespace

Fingerprinter::Fingerprinter() {
    std::array<std::uint8_t, 16> key{};
    if (RAND_bytes(key.data(), static_cast<int>(key.size())) != 1) throw std::runtime_error("no random bytes for the verify key");
    *this = Fingerprinter(key);
    key.fill(0);
}

Fingerprinter::Fingerprinter(const std::array<std::uint8_t, 16>& key)
    : k0_(load_le64(key.data())), k1_(load_le64(key.data() + 8)) {}

std::uint64_t Fingerprinter::operator()(std::string_view value) const noexcept {
    SipState s{k0_ ^ 0x736f6d6570736575ULL, k1_ ^ 0x646f72616e646f6dULL, k0_ ^ 0x6c7967656e657261ULL,
               k1_ ^ 0x7465646279746573ULL};
    const auto* p = reinterpret_cast<const unsigned char*>(value.data());
    std::size_t n = value.size();
    std::size_t whole = n & ~std::size_t{7};
    for (std::size_t i = 0; i < whole; i += 8) s.absorb(load_le64(p + i));
    std::uint64_t last = static_cast<std::uint64_t>(n & 0xff) << 56;
    for (std::size_t i = 0; i < (n & 7); ++i) last |= static_cast<std::uint64_t>(p[whole + i]) << (8 * i);
    s.absorb(last);
    s.v2 ^= 0xff;
    s.round();
    s.round();
    s.round();
    s.round();
    return s.v0 ^ s.v1 ^ s.v2 ^ s.v3;
}

} // namespace pgscrub::anonymise
