#include "dump/primitives.hpp"

#include "dump/archive_error.hpp"

#include <algorithm>

namespace pgscrub::dump {

namespace {
// Strings in a TOC are SQL text; anything near this size is corruption, not DDL.
constexpr std::int64_t kMaxStringLength = 1LL << 30;
} // namespace

std::uint8_t PrimitiveReader::read_byte(std::string_view what) {
    char c;
    in_.read_exact(&c, 1, what);
    return static_cast<std::uint8_t>(c);
}

std::int64_t PrimitiveReader::read_int(std::string_view what) {
    unsigned char bytes[1 + 32];
    in_.read_exact(reinterpret_cast<char*>(bytes), static_cast<std::size_t>(1 + int_size_), what);
    std::uint64_t magnitude = 0;
    for (int i = int_size_; i >= 1; --i) magnitude = (magnitude << 8) | bytes[i];
    // pg_dump writes C ints; anything wider than 32 bits is not representable.
    if (int_size_ > 8) magnitude &= 0xffffffffULL;
    auto value = static_cast<std::int64_t>(magnitude);
    return bytes[0] != 0 ? -value : value;
}

std::optional<std::string> PrimitiveReader::read_str(std::string_view what) {
    std::uint64_t at = in_.position();
    std::int64_t length = read_int(what);
    if (length < 0) return std::nullopt;
    if (length > kMaxStringLength) {
        throw ArchiveError("implausible length " + std::to_string(length) + " for " + std::string(what) +
                               "; the archive is corrupt",
                           ErrorLocation{in_.name(), at, {}, {}});
    }
    // Grown as the bytes arrive, not allocated at the stated length: a corrupt
    // length then fails at the end of the input having used no more memory
    // than the input holds.
    constexpr std::size_t kPiece = 1 << 20;
    std::string value;
    value.reserve(std::min<std::size_t>(static_cast<std::size_t>(length), kPiece));
    for (std::size_t remaining = static_cast<std::size_t>(length); remaining > 0;) {
        const std::size_t n = std::min(remaining, kPiece);
        const std::size_t old_size = value.size();
        value.resize(old_size + n);
        in_.read_exact(value.data() + old_size, n, what);
        remaining -= n;
    }
    return value;
}

DataOffset PrimitiveReader::read_offset(std::string_view what) {
    std::uint64_t at = in_.position();
    std::uint8_t flag = read_byte(what);
    unsigned char bytes[32];
    in_.read_exact(reinterpret_cast<char*>(bytes), static_cast<std::size_t>(offset_size_), what);
    if (flag < 1 || flag > 3) {
        throw ArchiveError("unexpected data offset flag " + std::to_string(flag) + " in " + std::string(what) +
                               " (expected 1, 2 or 3); the archive is corrupt",
                           ErrorLocation{in_.name(), at, {}, {}});
    }
    std::uint64_t position = 0;
    for (int i = offset_size_ - 1; i >= 0; --i) {
        if (i >= 8) {
            if (bytes[i] != 0) {
                throw ArchiveError("data offset does not fit in 64 bits", ErrorLocation{in_.name(), at, {}, {}});
            }
            continue;
        }
        position = (position << 8) | bytes[i];
    }
    return DataOffset{static_cast<OffsetFlag>(flag), position};
}

void PrimitiveWriter::write_int(std::int64_t value) { out_.append(encode_int(value, int_size_).view()); }

void PrimitiveWriter::write_str(const std::optional<std::string>& value) {
    if (!value) {
        write_int(-1);
        return;
    }
    write_int(static_cast<std::int64_t>(value->size()));
    out_.append(*value);
}

void PrimitiveWriter::write_offset(const DataOffset& offset) {
    out_.append(encode_offset(offset, offset_size_));
}

std::string encode_offset(const DataOffset& offset, int offset_size) {
    std::string bytes;
    bytes.push_back(static_cast<char>(offset.flag));
    std::uint64_t position = offset.flag == OffsetFlag::Set ? offset.position : 0;
    for (int i = 0; i < offset_size; ++i) {
        bytes.push_back(static_cast<char>(i < 8 ? (position >> (8 * i)) & 0xff : 0));
    }
    return bytes;
}

EncodedInt encode_int(std::int64_t value, int int_size) {
    // Values such as OIDs >= 2^31 travel as negative C ints; reproduce that
    // so pg_restore reads back the same unsigned OID.
    auto as_c_int = static_cast<std::int32_t>(static_cast<std::uint32_t>(value));
    if (value >= INT32_MIN && value <= INT32_MAX) as_c_int = static_cast<std::int32_t>(value);
    EncodedInt encoded;
    encoded.bytes[0] = as_c_int < 0 ? 1 : 0;
    std::uint64_t magnitude = as_c_int < 0 ? -static_cast<std::int64_t>(as_c_int) : as_c_int;
    for (int i = 1; i <= int_size; ++i) {
        encoded.bytes[i] = static_cast<char>(magnitude & 0xff);
        magnitude >>= 8;
    }
    encoded.size = static_cast<std::size_t>(1 + int_size);
    return encoded;
}

} // namespace pgscrub::dump
