#pragma once
// Reading an image whole to clean it, under a limit and a shared memory
// budget: what `media sync` does before writing a cleaned copy and what
// `media verify` does to know what the copy must hold (docs/media.md).
//
// Images being cleaned are held whole, input and output: their total is
// bounded, so that -j 8 stays within a fixed budget whatever the images. An
// image larger than the whole budget still gets it, alone.

#include "common/byte_stream.hpp"
#include "media/image_cleaner.hpp"

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <string>

namespace pgscrub::media {

class MemoryBudget {
public:
    explicit MemoryBudget(std::uint64_t limit) : limit_(limit) {}
    void acquire(std::uint64_t bytes);
    void release(std::uint64_t bytes);

private:
    std::mutex mutex_;
    std::condition_variable freed_;
    std::uint64_t limit_;
    std::uint64_t used_ = 0;
};

// What cleaning an image of `size` bytes holds of the budget: input and
// output, never more than the limit (plus the one byte that tells "at the
// limit" from "over it").
class BudgetHold {
public:
    BudgetHold(MemoryBudget& budget, std::uint64_t image_size, std::size_t max_image_bytes);
    ~BudgetHold() { budget_.release(bytes_); }
    BudgetHold(const BudgetHold&) = delete;
    BudgetHold& operator=(const BudgetHold&) = delete;

private:
    MemoryBudget& budget_;
    std::uint64_t bytes_;
};

// Reads `in` whole, but never more than `max_bytes` + 1 bytes: a result
// longer than `max_bytes` means the image is over the limit (and `in` is
// left at that point).
std::string read_image_bytes(common::InputStream& in, std::size_t max_bytes);

// Cleans what read_image_bytes read: over the limit gives TooLarge.
CleanResult clean_read_image(std::string_view bytes, std::size_t max_bytes);

// Copies the rest of `in` to `out`, a megabyte at a time.
void stream_rest(common::InputStream& in, common::ByteSink& out);

} // namespace pgscrub::media
