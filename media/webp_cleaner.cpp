// WebP: walks the RIFF chunks (RFC 9649, "WebP Image Format", §2) and keeps
// an allow-list of them (docs/media.md, "WebP"); the VP8X flags and the RIFF
// size are rewritten to match what is kept.

#include "media/exif_tiff.hpp"
#include "media/image_bytes.hpp"

#include <vector>

namespace pgscrub::media::detail {
namespace {

// VP8X flag bits (RFC 9649 §2.7): EXIF and XMP metadata present.
constexpr std::uint8_t kExifFlag = 0x08;
constexpr std::uint8_t kXmpFlag = 0x04;

bool is_kept_chunk(std::string_view fourcc) {
    return fourcc == "VP8 " || fourcc == "VP8L" || fourcc == "VP8X" || fourcc == "ALPH" || fourcc == "ANIM" ||
           fourcc == "ANMF" || fourcc == "ICCP";
}

void put_chunk(std::string& out, std::string_view fourcc, std::string_view data) {
    out.append(fourcc);
    put_le(out, static_cast<std::uint32_t>(data.size()), 4);
    out.append(data);
    if (data.size() % 2 != 0) out.push_back('\0');
}

} // namespace

CleanedImage clean_webp(std::string_view in) {
    CleanedImage result{ImageFormat::Webp, {}, {}, {}};
    RemovedMetadata& removed = result.removed;
    std::size_t riff_size = read_le(in, 4, 4);
    if (riff_size < 4 || riff_size % 2 != 0) corrupt("WebP: RIFF size is odd or too small", 4);
    if (!fits(in, 8, riff_size)) truncated("WebP", in.size());
    std::size_t end = 8 + riff_size;

    struct Chunk {
        std::string_view fourcc;
        std::string_view data;
    };
    std::vector<Chunk> kept;
    bool exif_seen = false;
    std::size_t at = 12;
    while (at < end) {
        if (end - at < 8) truncated("WebP chunk header", at);
        std::string_view fourcc = in.substr(at, 4);
        std::size_t size = read_le(in, at + 4, 4);
        std::size_t padded = size + (size % 2);
        if (padded > end - at - 8) truncated("WebP chunk", end);
        std::string_view data = in.substr(at + 8, size);
        bool first = kept.empty();
        if (first && fourcc != "VP8 " && fourcc != "VP8L" && fourcc != "VP8X")
            corrupt("WebP: the first chunk is not VP8, VP8L or VP8X", at);
        if (fourcc == "VP8X" && (!first || size < 10)) corrupt("WebP: misplaced or short VP8X", at);
        at += 8 + padded;

        if (is_kept_chunk(fourcc)) {
            kept.push_back({fourcc, data});
        } else if (fourcc == "EXIF") {
            ExifSummary exif = read_exif(data); // with or without the "Exif\0\0" some writers add
            removed.kinds |= exif.kinds.kinds;
            if (!exif_seen) result.orientation = exif.orientation;
            exif_seen = true;
        } else if (fourcc == "XMP ") {
            removed.add(RemovedKind::Xmp);
        } else {
            removed.add(RemovedKind::Other);
        }
    }
    if (end < in.size()) removed.add(RemovedKind::Trailer);
    bool has_image = false;
    for (const Chunk& chunk : kept)
        has_image = has_image || chunk.fourcc == "VP8 " || chunk.fourcc == "VP8L" || chunk.fourcc == "ANMF";
    if (!has_image) corrupt("WebP: no image data chunk", 12);
    // EXIF can only be declared by an extended (VP8X) file; a simple file's
    // stray EXIF chunk was never read by anyone, so its Orientation goes too.
    bool extended = kept.front().fourcc == "VP8X";
    if (!extended) result.orientation.reset();

    std::string& out = result.bytes;
    out.reserve(in.size() + 64);
    out.append("RIFF\0\0\0\0WEBP", 12);
    for (const Chunk& chunk : kept) {
        if (chunk.fourcc == "VP8X") {
            std::string vp8x(chunk.data);
            auto flags = static_cast<std::uint8_t>(vp8x[0]);
            flags = static_cast<std::uint8_t>(flags & ~(kExifFlag | kXmpFlag));
            if (result.orientation) flags |= kExifFlag;
            vp8x[0] = static_cast<char>(flags);
            put_chunk(out, chunk.fourcc, vp8x);
        } else {
            put_chunk(out, chunk.fourcc, chunk.data);
        }
    }
    // EXIF after the image data, where RFC 9649 §2.7 orders it.
    if (result.orientation) put_chunk(out, "EXIF", minimal_exif_tiff(*result.orientation));
    std::string riff_size_field;
    put_le(riff_size_field, static_cast<std::uint32_t>(out.size() - 8), 4);
    out.replace(4, 4, riff_size_field);
    return result;
}

} // namespace pgscrub::media::detail
