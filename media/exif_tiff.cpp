// Reads EXIF's TIFF structure for the report and the Orientation tag, and
// writes the one-tag structure the cleaners keep (exif_tiff.hpp).

#include "media/exif_tiff.hpp"

#include "media/image_bytes.hpp"

namespace pgscrub::media::detail {
namespace {

constexpr std::uint16_t kOrientation = 0x0112;
constexpr std::uint16_t kExifIfd = 0x8769;
constexpr std::uint16_t kGpsIfd = 0x8825;
constexpr std::uint16_t kInteropIfd = 0xA005;

// The kind a tag of IFD0 or the EXIF IFD counts as when dropped; Other for
// any tag not listed (Make, Model, DateTime, exposure…).
RemovedKind kind_of_tag(std::uint16_t tag) {
    switch (tag) {
    case 0x013B: // Artist
    case 0x8298: // Copyright
    case 0x9C9D: // XPAuthor
    case 0x013C: // HostComputer
    case 0xA430: // CameraOwnerName
        return RemovedKind::Names;
    case 0xA431: // BodySerialNumber
    case 0xA435: // LensSerialNumber
    case 0xC62F: // CameraSerialNumber (DNG)
    case 0xA420: // ImageUniqueID
    case 0x927C: // MakerNote
        return RemovedKind::Serials;
    case 0x010E: // ImageDescription
    case 0x9C9C: // XPComment
    case 0x9286: // UserComment
        return RemovedKind::Comments;
    case 0x02BC: // XMP in TIFF
        return RemovedKind::Xmp;
    case 0x83BB: // IPTC-NAA
        return RemovedKind::Iptc;
    case 0x0201: // JPEGInterchangeFormat: a thumbnail when outside IFD1 too
    case 0x0202:
        return RemovedKind::Thumbnail;
    default:
        return RemovedKind::Other;
    }
}

class TiffReader {
public:
    explicit TiffReader(std::string_view tiff) : tiff_(tiff), big_(tiff.substr(0, 2) == "MM") {}

    std::uint32_t u16(std::size_t at) const { return big_ ? read_be(tiff_, at, 2) : read_le(tiff_, at, 2); }
    std::uint32_t u32(std::size_t at) const { return big_ ? read_be(tiff_, at, 4) : read_le(tiff_, at, 4); }

    // Entry count of the IFD at `offset`, or 0 when it does not fit.
    std::size_t entries(std::uint32_t offset) const {
        if (offset < 8 || !fits(tiff_, offset, 2)) return 0;
        std::size_t count = u16(offset);
        return fits(tiff_, offset + 2, count * 12 + 4) ? count : 0;
    }

    std::string_view tiff_;
    bool big_;
};

} // namespace

ExifSummary read_exif(std::string_view tiff) {
    if (tiff.substr(0, kExifHeader.size()) == kExifHeader) tiff.remove_prefix(kExifHeader.size());
    ExifSummary summary;
    bool header_ok = tiff.size() >= 8 && (tiff.substr(0, 4) == std::string_view("II*\0", 4) ||
                                           tiff.substr(0, 4) == std::string_view("MM\0*", 4));
    if (!header_ok) {
        summary.kinds.add(RemovedKind::Other);
        return summary;
    }
    TiffReader reader(tiff);
    std::uint32_t ifd0 = reader.u32(4);
    std::size_t count = reader.entries(ifd0);
    if (count == 0) {
        summary.kinds.add(RemovedKind::Other);
        return summary;
    }
    std::uint32_t exif_ifd = 0;
    for (std::size_t i = 0; i < count; ++i) {
        std::size_t entry = ifd0 + 2 + i * 12;
        auto tag = static_cast<std::uint16_t>(reader.u16(entry));
        std::uint32_t type = reader.u16(entry + 2);
        std::uint32_t values = reader.u32(entry + 4);
        if (tag == kOrientation) {
            // SHORT is what EXIF defines; a LONG is read too, as decoders do.
            std::uint32_t value = 0;
            if (type == 3 && values == 1) value = reader.u16(entry + 8);
            else if (type == 4 && values == 1) value = reader.u32(entry + 8);
            if (value >= 1 && value <= 8) summary.orientation = static_cast<std::uint16_t>(value);
            else summary.kinds.add(RemovedKind::Other);
        } else if (tag == kGpsIfd) {
            summary.kinds.add(RemovedKind::Gps);
        } else if (tag == kExifIfd) {
            exif_ifd = reader.u32(entry + 8);
        } else {
            summary.kinds.add(kind_of_tag(tag));
        }
    }
    std::size_t exif_count = exif_ifd == ifd0 ? 0 : reader.entries(exif_ifd);
    for (std::size_t i = 0; i < exif_count; ++i) {
        auto tag = static_cast<std::uint16_t>(reader.u16(exif_ifd + 2 + i * 12));
        if (tag == kGpsIfd) summary.kinds.add(RemovedKind::Gps);
        else if (tag != kInteropIfd) summary.kinds.add(kind_of_tag(tag));
    }
    // IFD1, when present, is the embedded thumbnail's IFD.
    std::uint32_t ifd1 = reader.u32(ifd0 + 2 + count * 12);
    if (ifd1 != 0) summary.kinds.add(reader.entries(ifd1) > 0 ? RemovedKind::Thumbnail : RemovedKind::Other);
    return summary;
}

std::string minimal_exif_tiff(std::uint16_t orientation) {
    std::string out("MM\0*", 4);
    put_be(out, 8, 4);           // IFD0 offset
    put_be(out, 1, 2);           // one entry
    put_be(out, kOrientation, 2);
    put_be(out, 3, 2);           // SHORT
    put_be(out, 1, 4);           // one value
    put_be(out, orientation, 2); // left-justified in the 4-byte value field
    put_be(out, 0, 2);
    put_be(out, 0, 4);           // no IFD1
    return out;
}

} // namespace pgscrub::media::detail
