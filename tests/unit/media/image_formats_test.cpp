// The image cleaner on PNG, WebP and GIF, and its dispatcher: allow-listed
// chunks and blocks byte for byte, Orientation kept as minimal EXIF, text
// and application metadata dropped and reported, CRC-corrupt, truncated,
// unknown and oversized input refused, and every prefix of a small image
// either cleaned or refused, never a crash.

#include "clean_assertions.hpp"
#include "image_builders.hpp"
#include "media/image_cleaner.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub::media;
namespace img = pgscrub::test::images;
using img::must_clean;
using img::must_refuse;

namespace {

std::string exif_with_everything(bool big) {
    img::ExifSpec spec;
    spec.big_endian = big;
    spec.orientation = 6;
    spec.gps = spec.serial = spec.artist = spec.thumbnail = true;
    return img::exif_tiff(spec);
}

const std::string kMinimalTiff = std::string("MM\0*\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0\x06\0\0\0\0\0\0", 26);

} // namespace

// ---- PNG ---------------------------------------------------------------

TEST_CASE("a PNG keeps its colour and animation chunks and IDAT byte for byte", "[media][png]") {
    std::string colour = img::png_chunk("gAMA", img::be(45455, 4)) + img::png_chunk("iCCP", "icc\0\0zlib-profile") +
                         img::png_chunk("pHYs", std::string(9, '\x01')) + img::png_chunk("acTL", std::string(8, '\0')) +
                         img::png_chunk("fcTL", std::string(26, '\0')) + img::png_chunk("cICP", "\x09\x10\0\x01");
    std::string source = img::png(colour);
    CleanedImage cleaned = must_clean(source);
    CHECK(cleaned.format == ImageFormat::Png);
    CHECK(cleaned.bytes == source);
    CHECK(cleaned.removed.empty());
}

TEST_CASE("a PNG loses text, tIME, private chunks and the trailer; eXIf keeps only Orientation", "[media][png]") {
    std::string text = img::png_chunk("tEXt", std::string("Author\0Jane", 11)) +
                       img::png_chunk("iTXt", std::string("XML:com.adobe.xmp\0\0\0\0\0<x/>", 22)) +
                       img::png_chunk("zTXt", std::string("Raw profile type iptc\0\0x", 24)) +
                       img::png_chunk("tIME", std::string(7, '\x01')) + img::png_chunk("prVt", "private");
    for (bool big : {false, true}) {
        std::string source = img::png(text + img::png_chunk("eXIf", exif_with_everything(big)), "CROPPED-OUT-PIXELS");
        CleanedImage cleaned = must_clean(source);
        CHECK(cleaned.orientation == 6);
        CHECK(cleaned.bytes ==
              img::kPngSignature + img::kIhdr + img::png_chunk("eXIf", kMinimalTiff) + img::kIdat + img::kIend);
        CHECK(cleaned.removed.list() == std::vector{RemovedKind::Gps, RemovedKind::Serials, RemovedKind::Names,
                                                    RemovedKind::Xmp, RemovedKind::Iptc, RemovedKind::Thumbnail,
                                                    RemovedKind::TextChunks, RemovedKind::Trailer,
                                                    RemovedKind::Other});
        CleanedImage twice = must_clean(cleaned.bytes);
        CHECK(twice.bytes == cleaned.bytes);
        CHECK(twice.removed.empty());
    }
}

TEST_CASE("a PNG with a wrong CRC, an unknown critical chunk or no IEND is unstrippable", "[media][png]") {
    std::string source = img::png(img::png_chunk("tEXt", std::string("Author\0Jane", 11)));
    std::string corrupt = source;
    corrupt[img::kPngSignature.size() + img::kIhdr.size() + 10] ^= 0x01; // inside the tEXt data
    CHECK(must_refuse(corrupt).reason == UnstrippableReason::Corrupt);
    CHECK(must_refuse(img::png(img::png_chunk("CgBI", "apple"))).reason == UnstrippableReason::Unsupported);
    CHECK(must_refuse(source.substr(0, source.size() - img::kIend.size())).reason == UnstrippableReason::Truncated);
    CHECK(must_refuse(img::kPngSignature + img::kIdat + img::kIend).reason == UnstrippableReason::Corrupt);
}

// ---- WebP --------------------------------------------------------------

TEST_CASE("a WebP loses EXIF and XMP, keeps ICCP and VP8 byte for byte, flags and RIFF size rewritten",
          "[media][webp]") {
    std::string iccp = img::riff_chunk("ICCP", "icc-profile");
    std::string xmp = img::riff_chunk("XMP ", "<x:xmpmeta>Jane</x:xmpmeta>");
    for (bool with_prefix : {false, true}) {
        std::string exif = (with_prefix ? std::string("Exif\0\0", 6) : std::string()) + exif_with_everything(false);
        std::string source = img::webp(img::vp8x(0x20 | 0x08 | 0x04) + iccp + img::kVp8 + img::riff_chunk("EXIF", exif) +
                                           xmp,
                                       "TRAILER");
        CleanedImage cleaned = must_clean(source);
        CHECK(cleaned.format == ImageFormat::Webp);
        CHECK(cleaned.orientation == 6);
        CHECK(cleaned.bytes == img::webp(img::vp8x(0x20 | 0x08) + iccp + img::kVp8 + img::riff_chunk("EXIF", kMinimalTiff)));
        CHECK(cleaned.removed.has(RemovedKind::Xmp));
        CHECK(cleaned.removed.has(RemovedKind::Gps));
        CHECK(cleaned.removed.has(RemovedKind::Trailer));
        CHECK(must_clean(cleaned.bytes).bytes == cleaned.bytes);
    }
}

TEST_CASE("a WebP without Orientation loses the EXIF flag too; a simple WebP passes unchanged", "[media][webp]") {
    img::ExifSpec spec;
    spec.gps = true;
    std::string source = img::webp(img::vp8x(0x08 | 0x04) + img::kVp8 + img::riff_chunk("EXIF", img::exif_tiff(spec)) +
                                   img::riff_chunk("XMP ", "x"));
    CHECK(must_clean(source).bytes == img::webp(img::vp8x(0) + img::kVp8));
    std::string simple = img::webp(img::kVp8);
    CHECK(must_clean(simple).bytes == simple);
}

TEST_CASE("a truncated or chunkless WebP is unstrippable", "[media][webp]") {
    std::string source = img::webp(img::kVp8);
    CHECK(must_refuse(source.substr(0, source.size() - 1)).reason == UnstrippableReason::Truncated);
    CHECK(must_refuse(img::webp(img::riff_chunk("XMP ", "x"))).reason == UnstrippableReason::Corrupt);
    CHECK(must_refuse(img::webp(img::vp8x(0))).reason == UnstrippableReason::Corrupt);
}

// ---- GIF ---------------------------------------------------------------

TEST_CASE("a GIF keeps colour tables, graphic control, looping and LZW data; loses comments, XMP, trailer",
          "[media][gif]") {
    std::string kept = img::kGifLoop + img::kGifGce + img::kGifImage;
    std::string source = img::gif(img::gif_comment("shot by Jane") + img::kGifLoop + img::gif_app("XMP DataXMP", "<x/>") +
                                      img::kGifGce + img::kGifImage + img::gif_app("MGK8BIM0000", "iptc") +
                                      std::string("\x21\x01\x01x\0", 5),
                                  "TRAILER");
    CleanedImage cleaned = must_clean(source);
    CHECK(cleaned.format == ImageFormat::Gif);
    CHECK(cleaned.bytes == img::gif(kept));
    CHECK(cleaned.removed.list() ==
          std::vector{RemovedKind::Xmp, RemovedKind::Comments, RemovedKind::Trailer, RemovedKind::Other});
    CHECK(must_clean(cleaned.bytes).bytes == cleaned.bytes);
}

TEST_CASE("a GIF cut inside its LZW data or without its trailer is unstrippable", "[media][gif]") {
    std::string source = img::gif(img::kGifImage);
    CHECK(must_refuse(source.substr(0, source.size() - 1)).reason == UnstrippableReason::Truncated);
    CHECK(must_refuse(source.substr(0, source.size() - 4)).reason == UnstrippableReason::Truncated);
    CHECK(must_refuse(img::kGifHead + "\x99;").reason == UnstrippableReason::Corrupt);
}

// ---- the dispatcher ----------------------------------------------------

TEST_CASE("HEIC, AVIF and unknown bytes are unknown formats; the file name plays no part", "[media]") {
    std::string heic = std::string("\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24);
    std::string avif = std::string("\0\0\0\x1C" "ftypavif\0\0\0\0avifmif1miaf", 28);
    CHECK(sniff_image_format(heic) == SniffedFormat::Heif);
    CHECK(must_refuse(heic).reason == UnstrippableReason::UnknownFormat);
    CHECK(must_refuse(avif).reason == UnstrippableReason::UnknownFormat);
    CHECK(must_refuse("%PDF-1.7").reason == UnstrippableReason::UnknownFormat);
    CHECK(must_refuse("").reason == UnstrippableReason::UnknownFormat);
}

TEST_CASE("input over the size limit is refused before it is read", "[media]") {
    CleanOptions options;
    options.max_input_bytes = 16;
    std::string source = img::gif(img::kGifImage);
    CleanResult result = clean_image(source, options);
    REQUIRE(std::holds_alternative<Unstrippable>(result));
    CHECK(std::get<Unstrippable>(result).reason == UnstrippableReason::TooLarge);
}

TEST_CASE("refusals name no metadata value", "[media]") {
    std::string source = img::jpeg(img::jpeg_segment(0xFE, "SECRET-NAME"));
    for (std::size_t cut = 0; cut < source.size(); ++cut) {
        CleanResult result = clean_image(source.substr(0, cut));
        if (const auto* refused = std::get_if<Unstrippable>(&result))
            CHECK(refused->detail.find("SECRET") == std::string::npos);
    }
}

TEST_CASE("every prefix of a small image of each format is cleaned or refused, never a crash", "[media]") {
    img::ExifSpec spec;
    spec.orientation = 3;
    spec.gps = spec.thumbnail = true;
    const std::string exif = img::exif_tiff(spec);
    const std::vector<std::string> images{
        img::jpeg(img::kJfif + img::exif_app1(exif) + img::kIcc1 + img::xmp_app1(), "tail"),
        img::png(img::png_chunk("eXIf", exif) + img::png_chunk("tEXt", std::string("a\0b", 3)), "tail"),
        img::webp(img::vp8x(0x08) + img::kVp8 + img::riff_chunk("EXIF", exif), "tail"),
        img::gif(img::kGifLoop + img::gif_comment("c") + img::kGifGce + img::kGifImage, "tail"),
    };
    for (const std::string& image : images) {
        CleanedImage whole = must_clean(image);
        std::size_t cleaned = 0;
        for (std::size_t cut = 0; cut < image.size(); ++cut) {
            CleanResult result = clean_image(image.substr(0, cut));
            if (const auto* image_out = std::get_if<CleanedImage>(&result)) {
                ++cleaned;
                // Only a cut inside the trailer can still clean, to the same bytes.
                CHECK(image_out->bytes == whole.bytes);
            }
        }
        CHECK(cleaned == 4); // the four trailer bytes, cut at each
        // And split in two and put back together, it still cleans the same.
        CHECK(must_clean(image.substr(0, image.size() / 2) + image.substr(image.size() / 2)).bytes == whole.bytes);
    }
}
