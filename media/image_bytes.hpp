#pragma once
// What the per-format cleaners share (internal to media/): bounds-checked
// reads, big/little-endian integers, and the refusal they raise. A format
// cleaner throws ImageRefused; clean_image (image_cleaner.cpp) turns it into
// an Unstrippable result, so no exception leaves the module for a bad image.

#include "media/image_cleaner.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace pgscrub::media::detail {

struct ImageRefused {
    UnstrippableReason reason;
    std::string detail;
};

[[noreturn]] inline void refuse(UnstrippableReason reason, std::string detail) {
    throw ImageRefused{reason, std::move(detail)};
}
[[noreturn]] inline void truncated(std::string_view what, std::size_t offset) {
    refuse(UnstrippableReason::Truncated, std::string(what) + " ends early at byte " + std::to_string(offset));
}
[[noreturn]] inline void corrupt(std::string_view what, std::size_t offset) {
    refuse(UnstrippableReason::Corrupt, std::string(what) + " at byte " + std::to_string(offset));
}

inline std::uint8_t byte_at(std::string_view bytes, std::size_t at) { return static_cast<std::uint8_t>(bytes[at]); }

inline std::uint32_t read_be(std::string_view bytes, std::size_t at, int width) {
    std::uint32_t value = 0;
    for (int i = 0; i < width; ++i) value = (value << 8) | byte_at(bytes, at + static_cast<std::size_t>(i));
    return value;
}
inline std::uint32_t read_le(std::string_view bytes, std::size_t at, int width) {
    std::uint32_t value = 0;
    for (int i = width - 1; i >= 0; --i) value = (value << 8) | byte_at(bytes, at + static_cast<std::size_t>(i));
    return value;
}

inline void put_be(std::string& out, std::uint32_t value, int width) {
    for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}
inline void put_le(std::string& out, std::uint32_t value, int width) {
    for (int i = 0; i < width; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
}

// True when [at, at + length) lies inside `bytes`, without overflow.
inline bool fits(std::string_view bytes, std::size_t at, std::size_t length) {
    return at <= bytes.size() && length <= bytes.size() - at;
}

// CRC-32 as PNG defines it (ISO 3309, polynomial 0xEDB88320).
std::uint32_t png_crc32(std::string_view bytes);

// The per-format cleaners: `bytes` has the format's magic; the options'
// size limit has already been checked.
CleanedImage clean_jpeg(std::string_view bytes);
CleanedImage clean_png(std::string_view bytes);
CleanedImage clean_webp(std::string_view bytes);
CleanedImage clean_gif(std::string_view bytes);

} // namespace pgscrub::media::detail
