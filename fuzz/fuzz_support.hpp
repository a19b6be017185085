#pragma once
// What every fuzz target shares.
//
// A target is one function, LLVMFuzzerTestOneInput, that feeds bytes to one
// parser and checks invariants a broken parser would get wrong (a decode that
// does not re-encode to itself, a truncated archive read as complete, an
// exception of a kind the caller does not handle). It is built two ways:
//   - with clang and -fsanitize=fuzzer (the `fuzz` preset): libFuzzer drives it;
//   - with the project's normal compiler, linked to replay_main.cpp: CTest runs
//     the seed corpus and every kept crash reproducer through it.
// Expected failures (ArchiveError, RulesError, …) are part of the contract and
// return normally; anything else reaches libFuzzer as a crash.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::fuzz {

// An invariant the code under test broke. Aborts, so libFuzzer keeps the
// input and the replay driver fails its test.
[[noreturn]] inline void invariant_failed(const char* condition, const char* file, int line) {
    std::fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", file, line, condition);
    std::abort();
}

#define PGSCRUB_FUZZ_EXPECT(condition) \
    ((condition) ? static_cast<void>(0) : ::pgscrub::fuzz::invariant_failed(#condition, __FILE__, __LINE__))

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
    return {reinterpret_cast<const char*>(data), size};
}

// Cuts `text` into pieces whose sizes come from `shape` (one byte each,
// 1..256 bytes; the last piece takes the rest), so that a streaming parser
// sees its input split at boundaries the fuzzer chooses.
inline std::vector<std::string_view> split_by_shape(std::string_view text, std::string_view shape) {
    std::vector<std::string_view> pieces;
    std::size_t at = 0;
    for (unsigned char size : shape) {
        if (at >= text.size()) break;
        std::size_t n = std::min<std::size_t>(static_cast<std::size_t>(size) + 1, text.size() - at);
        pieces.push_back(text.substr(at, n));
        at += n;
    }
    if (at < text.size()) pieces.push_back(text.substr(at));
    return pieces;
}

// Splits a fuzz input into a control prefix of `control_size` bytes (fewer if
// the input is short) and the rest.
struct ControlledInput {
    std::string_view control;
    std::string_view body;
};
inline ControlledInput take_control(std::string_view input, std::size_t control_size) {
    std::size_t n = std::min(control_size, input.size());
    return {input.substr(0, n), input.substr(n)};
}

} // namespace pgscrub::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
