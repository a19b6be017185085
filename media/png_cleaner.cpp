// PNG: walks the chunks (PNG specification, 3rd edition, §5), verifies every
// CRC and keeps an allow-list of chunk types (docs/media.md, "PNG"). Kept
// chunks are copied whole, CRC included, so IDAT is byte for byte the source's.

#include "media/exif_tiff.hpp"
#include "media/image_bytes.hpp"

#include <array>
#include <vector>

namespace pgscrub::media::detail {
namespace {

constexpr std::string_view kSignature{"\x89PNG\r\n\x1a\n", 8};

// Decoding and colour: the critical chunks, transparency, colour space and
// profile, significant bits, pixel size, background, APNG animation, and
// cICP (coding-independent code points: the colour space of HDR PNGs, four
// bytes of enumerations).
bool is_kept_chunk(std::string_view type) {
    static constexpr std::array<std::string_view, 16> kKept{"IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA",
                                                            "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD",
                                                            "acTL", "fcTL", "fdAT", "cICP"};
    for (std::string_view kept : kKept)
        if (type == kept) return true;
    return false;
}

bool is_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// The kind a dropped text chunk counts as, from its keyword (the bytes
// before the first NUL): XMP and ImageMagick's raw IPTC/XMP profiles by
// name, everything else as text.
RemovedKind text_chunk_kind(std::string_view data) {
    std::string_view keyword = data.substr(0, data.find('\0'));
    if (keyword == "XML:com.adobe.xmp" || keyword == "Raw profile type xmp") return RemovedKind::Xmp;
    if (keyword == "Raw profile type iptc" || keyword == "Raw profile type 8bim") return RemovedKind::Iptc;
    return RemovedKind::TextChunks;
}

void put_chunk(std::string& out, std::string_view type, std::string_view data) {
    put_be(out, static_cast<std::uint32_t>(data.size()), 4);
    std::string body(type);
    body.append(data);
    out += body;
    put_be(out, png_crc32(body), 4);
}

} // namespace

std::uint32_t png_crc32(std::string_view bytes) {
    static const std::array<std::uint32_t, 256> table = [] {
        std::array<std::uint32_t, 256> t{};
        for (std::uint32_t n = 0; n < 256; ++n) {
            std::uint32_t c = n;
            for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            t[n] = c;
        }
        return t;
    }();
    std::uint32_t crc = 0xFFFFFFFFu;
    for (char ch : bytes) crc = table[(crc ^ static_cast<std::uint8_t>(ch)) & 0xFF] ^ (crc >> 8);
    return crc ^ 0xFFFFFFFFu;
}

CleanedImage clean_png(std::string_view in) {
    CleanedImage result{ImageFormat::Png, {}, {}, {}};
    RemovedMetadata& removed = result.removed;
    std::vector<std::string_view> kept; // whole chunks after IHDR, in order
    std::string_view header;            // IHDR
    bool exif_seen = false;
    std::size_t at = kSignature.size();
    for (;;) {
        if (!fits(in, at, 8)) truncated("PNG", in.size());
        std::size_t length = read_be(in, at, 4);
        std::string_view type = in.substr(at + 4, 4);
        if (length > 0x7FFFFFFFu) corrupt("PNG: chunk length over 2^31-1", at);
        if (!is_letter(type[0]) || !is_letter(type[1]) || !is_letter(type[2]) || !is_letter(type[3]))
            corrupt("PNG: chunk type is not four letters", at + 4);
        if (!fits(in, at + 8, length + 4)) truncated("PNG chunk", in.size());
        std::string_view chunk = in.substr(at, 12 + length);
        std::string_view data = in.substr(at + 8, length);
        if (png_crc32(in.substr(at + 4, 4 + length)) != read_be(in, at + 8 + length, 4))
            corrupt("PNG: chunk CRC mismatch", at);
        bool first = header.empty();
        if (first != (type == "IHDR")) corrupt("PNG: IHDR is not the first chunk, or not the only one", at);
        at += 12 + length;

        if (type == "IHDR") {
            header = chunk;
        } else if (type == "IEND") {
            break;
        } else if (is_kept_chunk(type)) {
            kept.push_back(chunk);
        } else if (type == "eXIf") {
            // Orientation is kept: Wagtail rotates from it (Pillow reads PNG eXIf).
            ExifSummary exif = read_exif(data);
            removed.kinds |= exif.kinds.kinds;
            if (!exif_seen) result.orientation = exif.orientation;
            exif_seen = true;
        } else if (type == "tEXt" || type == "zTXt" || type == "iTXt") {
            removed.add(text_chunk_kind(data));
        } else if ((static_cast<std::uint8_t>(type[0]) & 0x20) == 0) {
            // An unknown critical chunk: the image cannot be decoded without it.
            refuse(UnstrippableReason::Unsupported,
                   "PNG: unknown critical chunk at byte " + std::to_string(at - 12 - length));
        } else {
            removed.add(RemovedKind::Other); // tIME, hIST, sPLT, private chunks
        }
    }
    if (at < in.size()) removed.add(RemovedKind::Trailer);

    std::string& out = result.bytes;
    out.reserve(in.size() + 64);
    out.append(kSignature);
    out.append(header);
    // eXIf before IDAT, as the PNG specification (3rd edition, §11.3.6.1)
    // asks: right after IHDR is always before it.
    if (result.orientation) put_chunk(out, "eXIf", minimal_exif_tiff(*result.orientation));
    for (std::string_view chunk : kept) out.append(chunk);
    out.append(std::string_view("\0\0\0\0IEND\xAE\x42\x60\x82", 12));
    return result;
}

} // namespace pgscrub::media::detail
