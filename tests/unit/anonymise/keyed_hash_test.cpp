// Keyed hashing (anonymise/keyed_hash.hpp): HMAC-SHA256 with precomputed
// midstates must equal textbook HMAC for every key and message length.

#include "anonymise/keyed_hash.hpp"

#include <catch2/catch.hpp>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace pgscrub::anonymise;

namespace {

std::string hex(const std::array<std::uint8_t, 32>& bytes) {
    static const char* digits = "0123456789abcdef";
    std::string out;
    for (auto b : bytes) {
        out.push_back(digits[b >> 4]);
        out.push_back(digits[b & 15]);
    }
    return out;
}

// Reference: OpenSSL's one-shot HMAC over domain || 0x00 || value.
std::array<std::uint8_t, 32> reference(const std::string& key, std::string_view domain, std::string_view value) {
    std::string message(domain);
    message.push_back('\0');
    message.append(value);
    std::array<std::uint8_t, 32> out{};
    unsigned int length = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
         message.size(), out.data(), &length);
    REQUIRE(length == 32);
    return out;
}

} // namespace

TEST_CASE("KeyedHash: HMAC-SHA256(key, domain || 0 || value), fixed vectors", "[keyed_hash]") {
    // python3: hmac.new(b'Jefe', b'email\x00ann@x.org', hashlib.sha256).hexdigest()
    CHECK(hex(KeyedHash("Jefe").digest("email", "ann@x.org")) ==
          "5a410b75321e867be345b489392e8aa9ca2ab71cb94bcc4fead27589692feb6c");
    // A key longer than the block (hashed first) and a message of several blocks.
    CHECK(hex(KeyedHash(std::string(100, 'k')).digest("d", std::string(1000, 'v'))) ==
          "5a5cffa36d844ad1834c40d26960892a47c9a6cdbb6643fa9b18a8f088f1b0cb");
}

TEST_CASE("KeyedHash: equals OpenSSL HMAC() for every key and message length around the block size", "[keyed_hash]") {
    for (std::size_t key_length : {0u, 1u, 20u, 63u, 64u, 65u, 128u, 300u}) {
        std::string key;
        for (std::size_t i = 0; i < key_length; ++i) key.push_back(static_cast<char>(i * 7 + 1));
        const KeyedHash hash(key);
        for (std::size_t value_length : {0u, 1u, 54u, 55u, 56u, 57u, 63u, 64u, 65u, 119u, 120u, 1000u}) {
            const std::string value(value_length, static_cast<char>('a' + value_length % 26));
            INFO("key " << key_length << " bytes, value " << value_length << " bytes");
            CHECK(hash.digest("email", value) == reference(key, "email", value));
            CHECK(hash.digest("", value) == reference(key, "", value));
        }
    }
}

TEST_CASE("KeyedHash: deterministic, key-sensitive, domain-separated", "[keyed_hash]") {
    const KeyedHash a("secret one");
    const KeyedHash a_again("secret one");
    const KeyedHash b("secret two");
    CHECK(a.digest("email", "ann@example.org") == a_again.digest("email", "ann@example.org"));
    CHECK(a.digest("email", "ann@example.org") != b.digest("email", "ann@example.org"));
    CHECK(a.digest("email", "ann@example.org") != a.digest("pseudonym", "ann@example.org"));
    // The separator keeps ("ab", "c") and ("a", "bc") apart.
    CHECK(a.digest("ab", "c") != a.digest("a", "bc"));
    // Copies share the state and agree.
    const KeyedHash copy = a;
    CHECK(copy.digest("x", "y") == a.digest("x", "y"));
}

TEST_CASE("KeyedHash: number() is the first 8 digest bytes, big-endian", "[keyed_hash]") {
    const KeyedHash key("k");
    const auto d = key.digest("first_name", "Ann");
    std::uint64_t expected = 0;
    for (int i = 0; i < 8; ++i) expected = (expected << 8) | d[static_cast<std::size_t>(i)];
    CHECK(key.number("first_name", "Ann") == expected);
}

TEST_CASE("KeyedHash: thread-safe (same results from many threads)", "[keyed_hash]") {
    const KeyedHash key("shared");
    std::vector<std::array<std::uint8_t, 32>> expected;
    for (int i = 0; i < 200; ++i) expected.push_back(key.digest("t", std::to_string(i)));
    std::vector<int> mismatches(4, 0);
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int round = 0; round < 50; ++round)
                for (int i = 0; i < 200; ++i)
                    if (key.digest("t", std::to_string(i)) != expected[static_cast<std::size_t>(i)]) ++mismatches[static_cast<std::size_t>(t)];
        });
    for (auto& thread : threads) thread.join();
    CHECK(mismatches == std::vector<int>(4, 0));
}

TEST_CASE("base32_lower: RFC 4648 alphabet, lower case, cut to length", "[keyed_hash]") {
    std::array<std::uint8_t, 32> bytes{};
    const std::string foobar = "foobar";
    for (std::size_t i = 0; i < foobar.size(); ++i) bytes[i] = static_cast<std::uint8_t>(foobar[i]);
    CHECK(base32_lower(bytes, 10) == "mzxw6ytboi");
    CHECK(base32_lower(bytes, 52) == "mzxw6ytboiaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
    CHECK(base32_lower(bytes, 80).size() == 52); // 256 bits = 52 characters at most
    CHECK(base32_lower(bytes, 0).empty());
    std::string out = "user-";
    append_base32_lower(out, bytes, 4);
    CHECK(out == "user-mzxw");
}
