#pragma once
// The image metadata cleaner (issue #12, "Stripping"): takes a whole JPEG,
// PNG, WebP or GIF file in memory and returns the same image without its
// personal metadata, without re-encoding it.
//
// Contract:
//   - The format is sniffed from the magic bytes, never from a file name.
//   - What survives is an allow-list per format (docs/media.md, "Metadata
//     stripping"): the bytes that decode the picture (JPEG tables, frame and
//     scan headers and entropy-coded data; PNG IHDR/PLTE/IDAT/…; WebP
//     VP8/VP8L/ALPH/ANMF; GIF descriptors, colour tables and LZW data) are
//     copied byte for byte, as are the ICC colour profile and the colour
//     information a decoder needs (JFIF, Adobe APP14, gAMA/cHRM/sRGB/…).
//     Everything else goes: EXIF, XMP, IPTC/Photoshop blocks, comments, text
//     chunks, thumbnails, and any data after the image's end marker.
//   - EXIF Orientation is the one EXIF tag kept, because Wagtail rotates every
//     rendition from it: when the source's EXIF held a valid Orientation
//     (1–8), the result holds a minimal EXIF block (big-endian TIFF, IFD0 with
//     that one tag) in the place the format defines for EXIF.
//   - Cleaning is idempotent: cleaning a cleaned image gives the same bytes
//     and reports nothing removed.
//   - Bad input never throws: a format the cleaner does not know (HEIC, AVIF,
//     anything else), a corrupt or truncated image, a variant it cannot clean
//     safely, or input over the size limit gives an Unstrippable result. Its
//     detail is fixed text plus byte offsets; it never quotes image bytes or
//     metadata values, so it can be printed and reported as it is.
//
// Pure: no I/O, no allocation beyond the output (at most the input's size plus
// a few dozen bytes), so the caller bounds memory with max_input_bytes.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace pgscrub::media {

enum class ImageFormat { Jpeg, Png, Webp, Gif };

// What the magic bytes say. Heif covers HEIC and AVIF (ISO BMFF `ftyp`
// boxes), which are images but cannot be cleaned without a BMFF rewriter.
enum class SniffedFormat { Jpeg, Png, Webp, Gif, Heif, Unknown };
SniffedFormat sniff_image_format(std::string_view bytes);

std::string_view format_name(ImageFormat format); // "jpeg", "png", "webp", "gif"

// The kinds of metadata a report counts (issue #12, "Runbook": the media
// section counts removals by kind). Maker notes are counted with serials:
// they hold the camera's serial and owner in vendor formats.
enum class RemovedKind : std::uint8_t {
    Gps,        // EXIF GPS IFD
    Serials,    // body/lens/camera serial, image unique ID, maker notes
    Names,      // artist, copyright, camera owner, XP author, host computer
    Xmp,        // XMP packets (JPEG APP1, PNG XML:com.adobe.xmp text chunk, WebP XMP, GIF XMP)
    Iptc,       // IPTC-IIM / Photoshop image resources (also PNG "Raw profile type iptc")
    Thumbnail,  // EXIF IFD1, JFXX, Photoshop thumbnail resources
    Comments,   // JPEG COM, GIF comment extensions, EXIF descriptions and user comments
    TextChunks, // PNG tEXt/zTXt/iTXt not counted as XMP or IPTC
    Trailer,    // bytes after EOI/IEND/the GIF trailer/the RIFF chunk
    Other,      // any other dropped segment, chunk, extension or EXIF tag
};
inline constexpr std::size_t kRemovedKindCount = 10;
std::string_view kind_name(RemovedKind kind); // "gps", "serials", … (report keys)

struct RemovedMetadata {
    std::uint32_t kinds = 0;      // bit (1 << RemovedKind)
    std::size_t bytes_removed = 0; // input size minus output size, when smaller

    bool has(RemovedKind kind) const { return (kinds & bit(kind)) != 0; }
    void add(RemovedKind kind) { kinds |= bit(kind); }
    bool empty() const { return kinds == 0; }
    std::vector<RemovedKind> list() const;

private:
    static std::uint32_t bit(RemovedKind kind) { return std::uint32_t{1} << static_cast<unsigned>(kind); }
};

struct CleanedImage {
    ImageFormat format = ImageFormat::Jpeg;
    std::string bytes;
    RemovedMetadata removed;
    std::optional<std::uint16_t> orientation; // the EXIF Orientation kept, if any
};

enum class UnstrippableReason {
    UnknownFormat, // not JPEG/PNG/WebP/GIF (HEIC, AVIF, anything else)
    TooLarge,      // over CleanOptions::max_input_bytes
    Truncated,     // ends before the image's end marker or inside a structure
    Corrupt,       // a structure that cannot be right (bad length, CRC, order)
    Unsupported,   // a valid variant the allow-list cannot clean safely
};
std::string_view reason_name(UnstrippableReason reason); // "unknown-format", "too-large", …

struct Unstrippable {
    UnstrippableReason reason;
    std::string detail; // one line, no image bytes, no metadata values
};

using CleanResult = std::variant<CleanedImage, Unstrippable>;

struct CleanOptions {
    // A file larger than this is refused without being parsed. 64 MiB holds
    // any camera JPEG; the caller's memory budget is about twice this per
    // image being cleaned (input and output).
    std::size_t max_input_bytes = std::size_t{64} << 20;
};

CleanResult clean_image(std::string_view bytes, const CleanOptions& options = {});

} // namespace pgscrub::media
