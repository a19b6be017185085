// HMAC-SHA256 with precomputed midstates.
//
// HMAC(K, m) = H((K' ^ opad) || H((K' ^ ipad) || m)). The two 64-byte key
// blocks are hashed once, in the constructor; each digest() then copies the
// two SHA-256 states (plain structs) and hashes only the message and the
// inner digest: two compression-function calls for a short value, and no
// allocation. OpenSSL 3's one-shot HMAC() fetches the algorithm on every call
// (about 3 us), and EVP_MAC_init() re-use allocates a digest context per call
// (about 0.45 us); this is about 0.2 us. The SHA256_* functions are
// deprecated in OpenSSL 3 but present in every 3.x; a build with
// OPENSSL_NO_DEPRECATED_3_0 uses the EVP path below instead (same output).

// Before any OpenSSL header: allow the SHA256_* functions below.
#define OPENSSL_SUPPRESS_DEPRECATED

#include "anonymise/keyed_hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/opensslconf.h>

#if !defined(OPENSSL_NO_DEPRECATED_3_0)
#define PGSCRUB_SHA256_MIDSTATES 1
#include <openssl/sha.h>
#endif

#include <cstring>
#include <stdexcept>

namespace pgscrub::anonymise {

namespace {

constexpr std::size_t kBlock = 64;
constexpr unsigned char kSeparator = 0x00;

// K' = K padded with zeros to one block, or H(K) padded if K is longer.
std::array<unsigned char, kBlock> key_block(const std::string& key) {
    std::array<unsigned char, kBlock> block{};
    if (key.size() > kBlock) {
        unsigned int length = 0;
        if (EVP_Digest(key.data(), key.size(), block.data(), &length, EVP_sha256(), nullptr) != 1)
            throw std::runtime_error("SHA-256 of the key failed (OpenSSL)");
    } else {
        std::memcpy(block.data(), key.data(), key.size());
    }
    return block;
}

} // namespace

#if PGSCRUB_SHA256_MIDSTATES

struct KeyedHash::State {
    SHA256_CTX inner;
    SHA256_CTX outer;
    ~State() { OPENSSL_cleanse(this, sizeof(*this)); }
};

KeyedHash::KeyedHash(std::string key) {
    auto state = std::make_shared<State>();
    auto block = key_block(key);
    std::array<unsigned char, kBlock> pad{};
    for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x36;
    SHA256_Init(&state->inner);
    SHA256_Update(&state->inner, pad.data(), pad.size());
    for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x5c;
    SHA256_Init(&state->outer);
    SHA256_Update(&state->outer, pad.data(), pad.size());
    OPENSSL_cleanse(pad.data(), pad.size());
    OPENSSL_cleanse(block.data(), block.size());
    OPENSSL_cleanse(key.data(), key.size());
    state_ = std::move(state);
}

std::array<std::uint8_t, 32> KeyedHash::digest(std::string_view domain, std::string_view value) const {
    std::array<std::uint8_t, 32> inner_digest{};
    std::array<std::uint8_t, 32> out{};
    SHA256_CTX context = state_->inner;
    SHA256_Update(&context, domain.data(), domain.size());
    SHA256_Update(&context, &kSeparator, 1);
    SHA256_Update(&context, value.data(), value.size());
    SHA256_Final(inner_digest.data(), &context);
    context = state_->outer;
    SHA256_Update(&context, inner_digest.data(), inner_digest.size());
    SHA256_Final(out.data(), &context);
    return out;
}

#else // EVP digest contexts: one copy of each midstate per call.

struct KeyedHash::State {
    EVP_MD_CTX* inner = nullptr;
    EVP_MD_CTX* outer = nullptr;
    ~State() {
        EVP_MD_CTX_free(inner);
        EVP_MD_CTX_free(outer);
    }
};

KeyedHash::KeyedHash(std::string key) {
    auto state = std::make_shared<State>();
    auto block = key_block(key);
    std::array<unsigned char, kBlock> pad{};
    state->inner = EVP_MD_CTX_new();
    state->outer = EVP_MD_CTX_new();
    if (!state->inner || !state->outer) throw std::runtime_error("out of memory (OpenSSL digest context)");
    for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x36;
    bool ok = EVP_DigestInit_ex(state->inner, EVP_sha256(), nullptr) == 1 &&
              EVP_DigestUpdate(state->inner, pad.data(), pad.size()) == 1;
    for (std::size_t i = 0; i < kBlock; ++i) pad[i] = block[i] ^ 0x5c;
    ok = ok && EVP_DigestInit_ex(state->outer, EVP_sha256(), nullptr) == 1 &&
         EVP_DigestUpdate(state->outer, pad.data(), pad.size()) == 1;
    OPENSSL_cleanse(pad.data(), pad.size());
    OPENSSL_cleanse(block.data(), block.size());
    OPENSSL_cleanse(key.data(), key.size());
    if (!ok) throw std::runtime_error("SHA-256 initialisation failed (OpenSSL)");
    state_ = std::move(state);
}

std::array<std::uint8_t, 32> KeyedHash::digest(std::string_view domain, std::string_view value) const {
    struct Context {
        EVP_MD_CTX* ctx = EVP_MD_CTX_new();
        ~Context() { EVP_MD_CTX_free(ctx); }
    };
    thread_local Context work;
    std::array<std::uint8_t, 32> inner_digest{};
    std::array<std::uint8_t, 32> out{};
    unsigned int length = 0;
    bool ok = work.ctx && EVP_MD_CTX_copy_ex(work.ctx, state_->inner) == 1 &&
              EVP_DigestUpdate(work.ctx, domain.data(), domain.size()) == 1 &&
              EVP_DigestUpdate(work.ctx, &kSeparator, 1) == 1 &&
              EVP_DigestUpdate(work.ctx, value.data(), value.size()) == 1 &&
              EVP_DigestFinal_ex(work.ctx, inner_digest.data(), &length) == 1 &&
              EVP_MD_CTX_copy_ex(work.ctx, state_->outer) == 1 &&
              EVP_DigestUpdate(work.ctx, inner_digest.data(), inner_digest.size()) == 1 &&
              EVP_DigestFinal_ex(work.ctx, out.data(), &length) == 1;
    if (!ok) throw std::runtime_error("HMAC-SHA256 failed (OpenSSL)");
    return out;
}

#endif

std::uint64_t KeyedHash::number(std::string_view domain, std::string_view value) const {
    const auto bytes = digest(domain, value);
    std::uint64_t n = 0;
    for (std::size_t i = 0; i < 8; ++i) n = (n << 8) | bytes[i];
    return n;
}

void append_base32_lower(std::string& out, const std::array<std::uint8_t, 32>& bytes, std::size_t length) {
    static constexpr char kAlphabet[] = "abcdefghijklmnopqrstuvwxyz234567";
    if (length > 52) length = 52;
    std::uint32_t buffer = 0;
    int bits = 0;
    std::size_t next = 0;
    for (std::size_t produced = 0; produced < length; ++produced) {
        if (bits < 5) {
            buffer = (buffer << 8) | (next < bytes.size() ? bytes[next] : 0u);
            ++next;
            bits += 8;
        }
        out.push_back(kAlphabet[(buffer >> (bits - 5)) & 31u]);
        bits -= 5;
    }
}

std::string base32_lower(const std::array<std::uint8_t, 32>& bytes, std::size_t length) {
    std::string out;
    out.reserve(length);
    append_base32_lower(out, bytes, length);
    return out;
}

std::string sha256_hex(std::string_view bytes) {
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), digest, &length, EVP_sha256(), nullptr) != 1)
        throw std::runtime_error("SHA-256 failed");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (unsigned int i = 0; i < length; ++i) {
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 0xf];
    }
    return out;
}

} // namespace pgscrub::anonymise
