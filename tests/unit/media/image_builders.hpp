#pragma once
// Hand-built minimal images for the image cleaner's tests: just enough
// structure for each container (JPEG segments, PNG chunks with zlib's CRC as
// an independent check, RIFF chunks, GIF blocks), with each kind of metadata
// on demand. The pixel payloads are fixed marker bytes, so a test can find
// them byte for byte in the output.

#include <zlib.h>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::test::images {

inline std::string be(std::uint32_t value, int width) {
    std::string out;
    for (int i = width - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    return out;
}
inline std::string le(std::uint32_t value, int width) {
    std::string out;
    for (int i = 0; i < width; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xFF));
    return out;
}

// ---- EXIF (TIFF) ---------------------------------------------------------

struct TiffEntry {
    std::uint16_t tag;
    std::uint16_t type;  // 2 ASCII, 3 SHORT, 4 LONG, 7 UNDEFINED
    std::uint32_t count;
    std::string value;   // raw bytes in the file's order (for LONG pointers: ignored)
    int points_to = -1;  // index of the IFD whose offset is this LONG's value
};
struct TiffIfd {
    std::vector<TiffEntry> entries;
    int next = -1; // index of the next IFD (IFD0 -> IFD1)
};

inline std::string tiff(bool big, const std::vector<TiffIfd>& ifds) {
    auto num = [big](std::uint32_t v, int w) { return big ? be(v, w) : le(v, w); };
    std::vector<std::uint32_t> offsets;
    std::uint32_t at = 8;
    for (const TiffIfd& ifd : ifds) {
        offsets.push_back(at);
        at += 2 + 12 * static_cast<std::uint32_t>(ifd.entries.size()) + 4;
        for (const TiffEntry& e : ifd.entries)
            if (e.points_to < 0 && e.value.size() > 4) at += static_cast<std::uint32_t>(e.value.size() + e.value.size() % 2);
    }
    std::string out = big ? std::string("MM\0*", 4) : std::string("II*\0", 4);
    out += num(8, 4);
    for (std::size_t i = 0; i < ifds.size(); ++i) {
        const TiffIfd& ifd = ifds[i];
        std::uint32_t data_at = offsets[i] + 2 + 12 * static_cast<std::uint32_t>(ifd.entries.size()) + 4;
        std::string data;
        out += num(static_cast<std::uint32_t>(ifd.entries.size()), 2);
        for (const TiffEntry& e : ifd.entries) {
            out += num(e.tag, 2) + num(e.type, 2) + num(e.count, 4);
            if (e.points_to >= 0) {
                out += num(offsets[static_cast<std::size_t>(e.points_to)], 4);
            } else if (e.value.size() <= 4) {
                out += e.value + std::string(4 - e.value.size(), '\0');
            } else {
                out += num(data_at + static_cast<std::uint32_t>(data.size()), 4);
                data += e.value;
                if (e.value.size() % 2) data.push_back('\0');
            }
        }
        out += num(ifd.next >= 0 ? offsets[static_cast<std::size_t>(ifd.next)] : 0, 4);
        out += data;
    }
    return out;
}

struct ExifSpec {
    bool big_endian = false;
    int orientation = 0; // 0: none
    bool make = false, gps = false, serial = false, lens_serial = false, dng_serial = false;
    bool artist = false, copyright = false, owner = false, maker_note = false, thumbnail = false;
    bool user_comment = false;
};

inline std::string exif_tiff(const ExifSpec& s) {
    auto num = [&s](std::uint32_t v, int w) { return s.big_endian ? be(v, w) : le(v, w); };
    auto ascii = [](std::uint16_t tag, const std::string& text) {
        return TiffEntry{tag, 2, static_cast<std::uint32_t>(text.size() + 1), text + '\0'};
    };
    std::vector<TiffIfd> ifds(1);
    // ifds grows below: always reach IFD0 through it.
    if (s.make) ifds[0].entries.push_back(ascii(0x010F, "PhotoCorp"));
    if (s.orientation) ifds[0].entries.push_back({0x0112, 3, 1, num(static_cast<std::uint32_t>(s.orientation), 2)});
    if (s.artist) ifds[0].entries.push_back(ascii(0x013B, "Jane Photographer"));
    if (s.copyright) ifds[0].entries.push_back(ascii(0x8298, "(c) Jane Photographer"));
    bool exif_ifd = s.serial || s.lens_serial || s.owner || s.maker_note || s.user_comment;
    if (exif_ifd) {
        ifds[0].entries.push_back({0x8769, 4, 1, "", 1});
        TiffIfd sub;
        if (s.user_comment) sub.entries.push_back({0x9286, 7, 12, std::string("ASCII\0\0\0hi!!", 12)});
        if (s.maker_note) sub.entries.push_back({0x927C, 7, 8, "MAKERSN1"});
        if (s.owner) sub.entries.push_back(ascii(0xA430, "Jane Owner"));
        if (s.serial) sub.entries.push_back(ascii(0xA431, "SN123456789"));
        if (s.lens_serial) sub.entries.push_back(ascii(0xA435, "LENS98765"));
        ifds.push_back(sub);
    }
    if (s.gps) {
        ifds[0].entries.push_back({0x8825, 4, 1, "", static_cast<int>(ifds.size())});
        TiffIfd gps;
        gps.entries.push_back({0x0001, 2, 2, "N\0"});
        gps.entries.push_back({0x0002, 5, 3, std::string(24, '\x01')});
        ifds.push_back(gps);
    }
    if (s.dng_serial) ifds[0].entries.push_back(ascii(0xC62F, "DNG-SERIAL-1"));
    if (s.thumbnail) {
        ifds[0].next = static_cast<int>(ifds.size());
        TiffIfd ifd1;
        ifd1.entries.push_back({0x0201, 4, 1, num(400, 4)});
        ifd1.entries.push_back({0x0202, 4, 1, num(10, 4)});
        ifds.push_back(ifd1);
    }
    return tiff(s.big_endian, ifds);
}

// ---- JPEG ----------------------------------------------------------------

inline std::string jpeg_segment(std::uint8_t marker, std::string_view payload) {
    return std::string("\xFF") + static_cast<char>(marker) + be(static_cast<std::uint32_t>(payload.size() + 2), 2) +
           std::string(payload);
}

inline const std::string kJfif = jpeg_segment(0xE0, std::string("JFIF\0\x01\x01\0\0\x01\0\x01\0\0", 14));
inline const std::string kIcc1 = jpeg_segment(0xE2, std::string("ICC_PROFILE\0\x01\x02", 14) + "profile-part-one");
inline const std::string kIcc2 = jpeg_segment(0xE2, std::string("ICC_PROFILE\0\x02\x02", 14) + "profile-part-two");
inline const std::string kAdobe = jpeg_segment(0xEE, std::string("Adobe\0\x64\0\0\0\0\x01", 12));
// Tables, a baseline frame header, a scan header and entropy-coded data with
// a stuffed 0xFF00 and a restart marker inside.
inline const std::string kJpegTables = jpeg_segment(0xDB, std::string(65, '\x10')) + jpeg_segment(0xDD, be(4, 2)) +
                                       jpeg_segment(0xC4, std::string(20, '\x01'));
inline const std::string kJpegFrame = jpeg_segment(0xC0, std::string("\x08\0\x10\0\x10\x01\x01\x11\0", 9));
inline const std::string kJpegScanHeader = jpeg_segment(0xDA, std::string("\x01\x01\0\0\x3F\0", 6));
inline const std::string kJpegEntropy = std::string("\x12\x34\xFF\x00\x56\xFF\xD0\x78\x9A\xFF\x00\xBC", 12);

inline std::string exif_app1(const std::string& tiff_bytes) {
    return jpeg_segment(0xE1, std::string("Exif\0\0", 6) + tiff_bytes);
}
inline std::string xmp_app1() {
    return jpeg_segment(0xE1, std::string("http://ns.adobe.com/xap/1.0/\0", 29) +
                                  "<x:xmpmeta><dc:creator>Jane</dc:creator></x:xmpmeta>");
}
inline std::string iptc_app13() {
    std::string iptc = std::string("\x1C\x02\x50", 3) + be(4, 2) + "Jane";
    std::string resource = std::string("8BIM\x04\x04\0\0", 8) + be(static_cast<std::uint32_t>(iptc.size()), 4) + iptc;
    return jpeg_segment(0xED, std::string("Photoshop 3.0\0", 14) + resource);
}

// SOI + `before_frame` + tables, frame, scan + EOI + `trailer`.
inline std::string jpeg(const std::string& before_frame, const std::string& trailer = "") {
    return std::string("\xFF\xD8", 2) + before_frame + kJpegTables + kJpegFrame + kJpegScanHeader + kJpegEntropy +
           "\xFF\xD9" + trailer;
}

// ---- PNG -----------------------------------------------------------------

inline std::string png_chunk(std::string_view type, std::string_view data) {
    std::string body = std::string(type) + std::string(data);
    auto crc = static_cast<std::uint32_t>(
        ::crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
    return be(static_cast<std::uint32_t>(data.size()), 4) + body + be(crc, 4);
}
inline const std::string kPngSignature("\x89PNG\r\n\x1a\n", 8);
inline const std::string kIhdr = png_chunk("IHDR", be(1, 4) + be(1, 4) + std::string("\x08\x02\0\0\0", 5));
inline const std::string kIdat = png_chunk("IDAT", "x\x9c-compressed-pixels-");
inline const std::string kIend = png_chunk("IEND", "");

inline std::string png(const std::string& middle, const std::string& trailer = "") {
    return kPngSignature + kIhdr + middle + kIdat + kIend + trailer;
}

// ---- WebP ----------------------------------------------------------------

inline std::string riff_chunk(std::string_view fourcc, std::string_view data) {
    std::string out = std::string(fourcc) + le(static_cast<std::uint32_t>(data.size()), 4) + std::string(data);
    if (data.size() % 2) out.push_back('\0');
    return out;
}
inline std::string vp8x(std::uint8_t flags) {
    return riff_chunk("VP8X", std::string(1, static_cast<char>(flags)) + std::string(3, '\0') + le(0, 3) + le(0, 3));
}
inline const std::string kVp8 = riff_chunk("VP8 ", "vp8-keyframe-bits");
inline std::string webp(const std::string& chunks, const std::string& trailer = "") {
    return "RIFF" + le(static_cast<std::uint32_t>(chunks.size() + 4), 4) + "WEBP" + chunks + trailer;
}

// ---- GIF -----------------------------------------------------------------

// GIF89a, 1x1, a two-entry global colour table.
inline const std::string kGifHead = std::string("GIF89a\x01\0\x01\0\x80\0\0", 13) + std::string("\0\0\0\xFF\xFF\xFF", 6);
inline const std::string kGifGce = std::string("\x21\xF9\x04\x01\x0A\0\x01\0", 8);
inline const std::string kGifImage = std::string("\x2C\0\0\0\0\x01\0\x01\0\0\x02\x02\x4C\x01\0", 15);
inline const std::string kGifLoop = std::string("\x21\xFF\x0BNETSCAPE2.0\x03\x01\0\0\0", 19);
inline std::string gif_comment(std::string_view text) {
    return std::string("\x21\xFE", 2) + static_cast<char>(text.size()) + std::string(text) + '\0';
}
inline std::string gif_app(std::string_view id11, std::string_view data) {
    return std::string("\x21\xFF\x0B", 3) + std::string(id11) + static_cast<char>(data.size()) + std::string(data) + '\0';
}
inline std::string gif(const std::string& blocks, const std::string& trailer = "") {
    return kGifHead + blocks + ";" + trailer;
}

} // namespace pgscrub::test::images
