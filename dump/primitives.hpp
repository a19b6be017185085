#pragma once
// pg_dump's primitive encodings: Int (sign byte + little-endian magnitude),
// Str (Int length, -1 for NULL, then bytes) and Offset (flag byte + LE value).
// See docs/archive-format.md §2.

#include "common/byte_stream.hpp"
#include "dump/archive_model.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace pgscrub::dump {

class PrimitiveReader {
public:
    PrimitiveReader(common::InputStream& in, int int_size, int offset_size)
        : in_(in), int_size_(int_size), offset_size_(offset_size) {}

    std::int64_t read_int(std::string_view what);
    std::optional<std::string> read_str(std::string_view what);
    DataOffset read_offset(std::string_view what);
    std::uint8_t read_byte(std::string_view what);
    common::InputStream& stream() { return in_; }

private:
    common::InputStream& in_;
    int int_size_;
    int offset_size_;
};

class PrimitiveWriter {
public:
    PrimitiveWriter(std::string& out, int int_size, int offset_size)
        : out_(out), int_size_(int_size), offset_size_(offset_size) {}

    void write_int(std::int64_t value);
    void write_str(const std::optional<std::string>& value);
    void write_offset(const DataOffset& offset);
    void write_byte(std::uint8_t value) { out_.push_back(static_cast<char>(value)); }

    int offset_field_size() const { return 1 + offset_size_; }

private:
    std::string& out_;
    int int_size_;
    int offset_size_;
};

// An Offset field's bytes, for patching a custom archive's TOC in place.
std::string encode_offset(const DataOffset& offset, int offset_size);
// An Int's bytes (chunk lengths, block headers), without allocating: the
// custom writer emits one per chunk, and -Z0 archives have a chunk per row.
struct EncodedInt {
    char bytes[1 + 32];
    std::size_t size = 0;
    std::string_view view() const { return {bytes, size}; }
};
EncodedInt encode_int(std::int64_t value, int int_size);

} // namespace pgscrub::dump
