#pragma once
// EXIF as the cleaners need it (internal to media/): read a TIFF structure
// (either byte order) far enough to say which kinds of personal metadata it
// holds and what its Orientation is, and write the minimal TIFF structure
// that holds Orientation alone. Tag numbers: docs/media.md, "EXIF tags".
//
// Reading never fails: EXIF is always dropped, so a malformed block only
// makes the report vaguer (Other) and loses its Orientation. Offsets are
// checked against the block, each IFD is read once, and only IFD0, its EXIF
// and GPS sub-IFDs and IFD1 are visited, so a looped or huge structure costs
// nothing.

#include "media/image_cleaner.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pgscrub::media::detail {

struct ExifSummary {
    RemovedMetadata kinds; // what dropping this EXIF removes (Orientation aside)
    std::optional<std::uint16_t> orientation; // 1–8 only
};

// `tiff` starts with "II*\0" or "MM\0*"; a leading "Exif\0\0" is skipped.
ExifSummary read_exif(std::string_view tiff);

// "MM\0*", IFD0 at 8 holding one SHORT tag 0x0112 = orientation, no next IFD:
// 26 bytes.
std::string minimal_exif_tiff(std::uint16_t orientation);

// The EXIF header of JPEG APP1 segments and some WebP writers.
inline constexpr std::string_view kExifHeader{"Exif\0\0", 6};

} // namespace pgscrub::media::detail
