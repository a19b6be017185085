// The dispatcher of the image cleaner (image_cleaner.hpp): sniffs the format
// from its magic bytes, applies the size limit, runs the format's cleaner and
// turns its refusal into an Unstrippable result.

#include "media/image_cleaner.hpp"

#include "media/image_bytes.hpp"

#include <new>

namespace pgscrub::media {

SniffedFormat sniff_image_format(std::string_view bytes) {
    if (bytes.substr(0, 3) == "\xFF\xD8\xFF") return SniffedFormat::Jpeg;
    if (bytes.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8)) return SniffedFormat::Png;
    if (bytes.size() >= 12 && bytes.substr(0, 4) == "RIFF" && bytes.substr(8, 4) == "WEBP") return SniffedFormat::Webp;
    if (bytes.substr(0, 6) == "GIF87a" || bytes.substr(0, 6) == "GIF89a") return SniffedFormat::Gif;
    // ISO BMFF: a box size, then "ftyp" (HEIC, HEIF, AVIF, and also MP4/MOV,
    // which are not images but cannot be cleaned either).
    if (bytes.size() >= 12 && bytes.substr(4, 4) == "ftyp") return SniffedFormat::Heif;
    return SniffedFormat::Unknown;
}

std::string_view format_name(ImageFormat format) {
    switch (format) {
    case ImageFormat::Jpeg: return "jpeg";
    case ImageFormat::Png: return "png";
    case ImageFormat::Webp: return "webp";
    case ImageFormat::Gif: return "gif";
    }
    return "unknown";
}

std::string_view kind_name(RemovedKind kind) {
    switch (kind) {
    case RemovedKind::Gps: return "gps";
    case RemovedKind::Serials: return "serials";
    case RemovedKind::Names: return "names";
    case RemovedKind::Xmp: return "xmp";
    case RemovedKind::Iptc: return "iptc";
    case RemovedKind::Thumbnail: return "thumbnail";
    case RemovedKind::Comments: return "comments";
    case RemovedKind::TextChunks: return "text-chunks";
    case RemovedKind::Trailer: return "trailer";
    case RemovedKind::Other: return "other";
    }
    return "other";
}

std::string_view reason_name(UnstrippableReason reason) {
    switch (reason) {
    case UnstrippableReason::UnknownFormat: return "unknown-format";
    case UnstrippableReason::TooLarge: return "too-large";
    case UnstrippableReason::Truncated: return "truncated";
    case UnstrippableReason::Corrupt: return "corrupt";
    case UnstrippableReason::Unsupported: return "unsupported";
    }
    return "unsupported";
}

std::vector<RemovedKind> RemovedMetadata::list() const {
    std::vector<RemovedKind> kinds_present;
    for (std::size_t i = 0; i < kRemovedKindCount; ++i) {
        auto kind = static_cast<RemovedKind>(i);
        if (has(kind)) kinds_present.push_back(kind);
    }
    return kinds_present;
}

CleanResult clean_image(std::string_view bytes, const CleanOptions& options) {
    if (bytes.size() > options.max_input_bytes)
        return Unstrippable{UnstrippableReason::TooLarge, "image of " + std::to_string(bytes.size()) +
                                                              " bytes is over the limit of " +
                                                              std::to_string(options.max_input_bytes)};
    SniffedFormat format = sniff_image_format(bytes);
    try {
        CleanedImage cleaned;
        switch (format) {
        case SniffedFormat::Jpeg: cleaned = detail::clean_jpeg(bytes); break;
        case SniffedFormat::Png: cleaned = detail::clean_png(bytes); break;
        case SniffedFormat::Webp: cleaned = detail::clean_webp(bytes); break;
        case SniffedFormat::Gif: cleaned = detail::clean_gif(bytes); break;
        case SniffedFormat::Heif:
            return Unstrippable{UnstrippableReason::UnknownFormat,
                                "HEIF/AVIF (ISO BMFF) images cannot be cleaned without re-encoding"};
        case SniffedFormat::Unknown:
            return Unstrippable{UnstrippableReason::UnknownFormat, "not a JPEG, PNG, WebP or GIF image"};
        }
        if (cleaned.bytes.size() < bytes.size()) cleaned.removed.bytes_removed = bytes.size() - cleaned.bytes.size();
        return cleaned;
    } catch (detail::ImageRefused& refused) {
        return Unstrippable{refused.reason, std::move(refused.detail)};
    } catch (const std::bad_alloc&) {
        return Unstrippable{UnstrippableReason::TooLarge, "not enough memory to clean the image"};
    }
}

} // namespace pgscrub::media
