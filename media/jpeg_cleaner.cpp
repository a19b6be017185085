// JPEG: walks the marker segments (ITU-T T.81 Annex B) and keeps an
// allow-list of them (docs/media.md, "JPEG"). Entropy-coded data is copied
// byte for byte from the end of each SOS header to the next marker that is
// not a stuffed 0xFF00 or a restart marker, so the picture is never decoded.

#include "media/exif_tiff.hpp"
#include "media/image_bytes.hpp"

#include <cstring>
#include <vector>

namespace pgscrub::media::detail {
namespace {

bool starts_with(std::string_view payload, std::string_view prefix) {
    return payload.substr(0, prefix.size()) == prefix;
}

// Photoshop image resources (APP13 "Photoshop 3.0"): "8BIM", id, padded
// Pascal name, size, padded data. The ids say what kind the block held; a
// block that does not parse is counted as IPTC, what APP13 nearly always is.
void count_photoshop_resources(std::string_view data, RemovedMetadata& removed) {
    std::size_t at = 0;
    while (at < data.size()) {
        if (!fits(data, at, 7) || data.substr(at, 4) != "8BIM") {
            removed.add(RemovedKind::Iptc);
            return;
        }
        std::uint32_t id = read_be(data, at + 4, 2);
        std::size_t name = 1 + byte_at(data, at + 6);
        at += 6 + name + (name % 2);
        if (!fits(data, at, 4)) {
            removed.add(RemovedKind::Iptc);
            return;
        }
        std::size_t size = read_be(data, at, 4);
        at += 4;
        if (!fits(data, at, size)) {
            removed.add(RemovedKind::Iptc);
            return;
        }
        at += size + (size % 2);
        switch (id) {
        case 0x0404: removed.add(RemovedKind::Iptc); break;
        case 0x0409:
        case 0x040C: removed.add(RemovedKind::Thumbnail); break;
        case 0x0424: removed.add(RemovedKind::Xmp); break;
        default: removed.add(RemovedKind::Other); break;
        }
    }
}

bool is_frame_marker(std::uint8_t m) {
    // SOF0–SOF15 except DHT (C4), JPG (C8) and DAC (CC).
    return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

// Tables and markers a decoder needs besides frames and scans: DHT, DAC,
// DQT, DNL, DRI, DHP, EXP.
bool is_table_marker(std::uint8_t m) {
    return m == 0xC4 || m == 0xCC || m == 0xDB || m == 0xDC || m == 0xDD || m == 0xDE || m == 0xDF;
}

// Where the entropy-coded data that starts at `at` ends: the 0xFF of the
// next real marker.
std::size_t scan_end(std::string_view in, std::size_t at) {
    for (;;) {
        const void* found = std::memchr(in.data() + at, 0xFF, in.size() - at);
        if (found == nullptr) truncated("JPEG scan data", in.size());
        at = static_cast<std::size_t>(static_cast<const char*>(found) - in.data());
        if (at + 1 >= in.size()) truncated("JPEG scan data", in.size());
        std::uint8_t next = byte_at(in, at + 1);
        if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) at += 2; // stuffed byte, restart marker
        else if (next == 0xFF) at += 1;                              // fill byte before a marker
        else return at;
    }
}

std::string exif_segment(std::uint16_t orientation) {
    std::string tiff = minimal_exif_tiff(orientation);
    std::string out("\xFF\xE1", 2);
    put_be(out, static_cast<std::uint32_t>(2 + kExifHeader.size() + tiff.size()), 2);
    out.append(kExifHeader);
    out += tiff;
    return out;
}

} // namespace

CleanedImage clean_jpeg(std::string_view in) {
    CleanedImage result{ImageFormat::Jpeg, {}, {}, {}};
    RemovedMetadata& removed = result.removed;
    std::string_view jfif;              // the first APP0 JFIF, moved to the front
    std::vector<std::string_view> kept; // everything else kept, in order
    bool frame = false;
    bool scanned = false;
    std::size_t at = 2; // after SOI
    for (;;) {
        if (at >= in.size()) truncated("JPEG", at);
        if (byte_at(in, at) != 0xFF) corrupt("JPEG: no marker where a segment must start", at);
        while (at + 1 < in.size() && byte_at(in, at + 1) == 0xFF) ++at; // fill bytes, dropped
        if (at + 1 >= in.size()) truncated("JPEG", in.size());
        std::size_t start = at;
        std::uint8_t marker = byte_at(in, at + 1);
        at += 2;
        if (marker == 0xD9) break; // EOI
        if (marker >= 0xD0 && marker <= 0xD7) {
            kept.push_back(in.substr(start, 2));
            continue;
        }
        if (marker == 0x01) { // TEM: no length, no meaning for decoders
            removed.add(RemovedKind::Other);
            continue;
        }
        if (marker == 0x00 || marker == 0xD8) corrupt("JPEG: misplaced marker", start);
        if (!fits(in, at, 2)) truncated("JPEG segment", in.size());
        std::size_t length = read_be(in, at, 2);
        if (length < 2) corrupt("JPEG: segment length below 2", at);
        if (!fits(in, at, length)) truncated("JPEG segment", in.size());
        std::string_view segment = in.substr(start, 2 + length);
        std::string_view payload = in.substr(at + 2, length - 2);
        at += length;

        if (marker == 0xE0) {
            if (starts_with(payload, std::string_view("JFIF\0", 5)) && jfif.empty()) jfif = segment;
            else if (starts_with(payload, std::string_view("JFXX\0", 5))) removed.add(RemovedKind::Thumbnail);
            else removed.add(RemovedKind::Other);
        } else if (marker == 0xE1) {
            if (starts_with(payload, kExifHeader)) {
                ExifSummary exif = read_exif(payload.substr(kExifHeader.size()));
                removed.kinds |= exif.kinds.kinds;
                if (!result.orientation) result.orientation = exif.orientation;
            } else if (starts_with(payload, "http://ns.adobe.com/")) { // xap/1.0/ and xmp/extension/
                removed.add(RemovedKind::Xmp);
            } else {
                removed.add(RemovedKind::Other);
            }
        } else if (marker == 0xE2 && starts_with(payload, std::string_view("ICC_PROFILE\0", 12))) {
            kept.push_back(segment);
        } else if (marker == 0xED && starts_with(payload, std::string_view("Photoshop 3.0\0", 14))) {
            count_photoshop_resources(payload.substr(14), removed);
        } else if (marker == 0xEE && starts_with(payload, "Adobe")) {
            kept.push_back(segment); // colour transform: needed to decode
        } else if (marker >= 0xE0 && marker <= 0xEF) {
            removed.add(RemovedKind::Other); // MPF, FPXR, Ducky, other APPn
        } else if (marker == 0xFE) {
            removed.add(RemovedKind::Comments);
        } else if (is_table_marker(marker)) {
            kept.push_back(segment);
        } else if (is_frame_marker(marker)) {
            frame = true;
            kept.push_back(segment);
        } else if (marker == 0xDA) {
            if (!frame) corrupt("JPEG: scan before a frame header", start);
            kept.push_back(segment);
            std::size_t end = scan_end(in, at);
            kept.push_back(in.substr(at, end - at));
            at = end;
            scanned = true;
        } else {
            // JPG/JPGn (JPEG-LS, extensions) and reserved markers: not
            // metadata, but nothing the allow-list knows how to keep.
            refuse(UnstrippableReason::Unsupported,
                   "JPEG marker 0xFF" + std::string(1, "0123456789ABCDEF"[marker >> 4]) +
                       std::string(1, "0123456789ABCDEF"[marker & 0xF]) + " at byte " + std::to_string(start) +
                       " is not supported");
        }
    }
    if (!scanned) corrupt("JPEG: end of image before any scan", at - 2);
    if (at < in.size()) removed.add(RemovedKind::Trailer);

    std::string& out = result.bytes;
    out.reserve(in.size() + 64);
    out.append("\xFF\xD8", 2);
    out.append(jfif);
    if (result.orientation) out += exif_segment(*result.orientation);
    for (std::string_view piece : kept) out.append(piece);
    out.append("\xFF\xD9", 2);
    return result;
}

} // namespace pgscrub::media::detail
