// The image cleaner on JPEG (media/image_cleaner.hpp): an allow-list of
// segments, entropy-coded data byte for byte, EXIF reduced to Orientation
// in either byte order, each kind of metadata reported, bad input refused.

#include "clean_assertions.hpp"
#include "image_builders.hpp"
#include "media/image_cleaner.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub::media;
namespace img = pgscrub::test::images;
using img::must_clean;
using img::must_refuse;

namespace {

bool contains(const std::string& haystack, const std::string& needle) {
    return haystack.find(needle) != std::string::npos;
}

// Everything from the frame header to EOI: what must survive byte for byte.
const std::string kPicture = img::kJpegTables + img::kJpegFrame + img::kJpegScanHeader + img::kJpegEntropy + "\xFF\xD9";

} // namespace

TEST_CASE("a JPEG keeps JFIF, ICC chunks in order, Adobe, tables and scan data byte for byte", "[media][jpeg]") {
    std::string source = img::jpeg(img::kJfif + img::kIcc1 + img::kIcc2 + img::kAdobe);
    CleanedImage cleaned = must_clean(source);
    CHECK(cleaned.format == ImageFormat::Jpeg);
    CHECK(cleaned.bytes == source);
    CHECK(cleaned.removed.empty());
    CHECK(cleaned.removed.bytes_removed == 0);
    CHECK_FALSE(cleaned.orientation);
}

TEST_CASE("a JPEG's EXIF becomes a minimal big-endian EXIF holding only Orientation", "[media][jpeg][exif]") {
    for (bool big : {false, true}) {
        img::ExifSpec spec;
        spec.big_endian = big;
        spec.orientation = 6;
        spec.make = spec.gps = spec.serial = spec.lens_serial = spec.dng_serial = true;
        spec.artist = spec.copyright = spec.owner = spec.maker_note = spec.thumbnail = spec.user_comment = true;
        std::string source = img::jpeg(img::kJfif + img::exif_app1(img::exif_tiff(spec)) + img::kIcc1);
        CleanedImage cleaned = must_clean(source);
        REQUIRE(cleaned.orientation == 6);
        std::string minimal = std::string("\xFF\xE1\0\x22" "Exif\0\0" "MM\0*\0\0\0\x08" "\0\x01"
                                          "\x01\x12\0\x03\0\0\0\x01\0\x06\0\0" "\0\0\0\0", 36);
        CHECK(cleaned.bytes == "\xFF\xD8" + img::kJfif + minimal + img::kIcc1 + kPicture);
        for (RemovedKind kind : {RemovedKind::Gps, RemovedKind::Serials, RemovedKind::Names, RemovedKind::Thumbnail,
                                 RemovedKind::Comments, RemovedKind::Other})
            CHECK(cleaned.removed.has(kind));
        CHECK_FALSE(cleaned.removed.has(RemovedKind::Xmp));
        CHECK_FALSE(contains(cleaned.bytes, "SN123456789"));
        CHECK_FALSE(contains(cleaned.bytes, "Jane"));
    }
}

TEST_CASE("each EXIF kind is reported on its own", "[media][jpeg][exif]") {
    auto kinds_of = [](img::ExifSpec spec) {
        spec.orientation = 1;
        return must_clean(img::jpeg(img::exif_app1(img::exif_tiff(spec)))).removed.list();
    };
    img::ExifSpec gps;
    gps.gps = true;
    CHECK(kinds_of(gps) == std::vector{RemovedKind::Gps});
    img::ExifSpec serial;
    serial.serial = true;
    CHECK(kinds_of(serial) == std::vector{RemovedKind::Serials});
    img::ExifSpec dng;
    dng.dng_serial = true;
    CHECK(kinds_of(dng) == std::vector{RemovedKind::Serials});
    img::ExifSpec maker;
    maker.maker_note = true;
    CHECK(kinds_of(maker) == std::vector{RemovedKind::Serials});
    img::ExifSpec artist;
    artist.artist = true;
    CHECK(kinds_of(artist) == std::vector{RemovedKind::Names});
    img::ExifSpec copyright;
    copyright.copyright = true;
    copyright.big_endian = true;
    CHECK(kinds_of(copyright) == std::vector{RemovedKind::Names});
    img::ExifSpec thumb;
    thumb.thumbnail = true;
    CHECK(kinds_of(thumb) == std::vector{RemovedKind::Thumbnail});
    img::ExifSpec only_orientation;
    CHECK(kinds_of(only_orientation).empty());
}

TEST_CASE("a JPEG loses XMP, IPTC, COM, JFXX, other APPn and the trailer, each reported", "[media][jpeg]") {
    std::string jfxx = img::jpeg_segment(0xE0, std::string("JFXX\0\x10", 6) + "thumb");
    std::string com = img::jpeg_segment(0xFE, "shot by Jane");
    std::string mpf = img::jpeg_segment(0xE2, std::string("MPF\0", 4) + "II*\0");
    std::string app12 = img::jpeg_segment(0xEC, "Ducky");
    std::string source = img::jpeg(img::kJfif + jfxx + img::xmp_app1() + img::iptc_app13() + com + mpf + app12 +
                                       img::kAdobe,
                                   "MOTION-PHOTO-TRAILER");
    CleanedImage cleaned = must_clean(source);
    CHECK(cleaned.bytes == "\xFF\xD8" + img::kJfif + img::kAdobe + kPicture);
    CHECK(cleaned.removed.list() == std::vector{RemovedKind::Xmp, RemovedKind::Iptc, RemovedKind::Thumbnail,
                                                RemovedKind::Comments, RemovedKind::Trailer, RemovedKind::Other});
    CHECK(cleaned.removed.bytes_removed == source.size() - cleaned.bytes.size());
}

TEST_CASE("cleaning a cleaned JPEG changes nothing and reports nothing", "[media][jpeg]") {
    img::ExifSpec spec;
    spec.orientation = 8;
    spec.gps = spec.artist = true;
    std::string source = img::jpeg(img::kIcc1 + img::exif_app1(img::exif_tiff(spec)) + img::kJfif + img::xmp_app1(),
                                   "trailer");
    CleanedImage once = must_clean(source);
    CleanedImage twice = must_clean(once.bytes);
    CHECK(twice.bytes == once.bytes);
    CHECK(twice.removed.empty());
    CHECK(twice.orientation == 8);
}

TEST_CASE("an Orientation outside 1-8 is dropped with the rest of EXIF", "[media][jpeg][exif]") {
    img::ExifSpec spec;
    spec.orientation = 9;
    CleanedImage cleaned = must_clean(img::jpeg(img::exif_app1(img::exif_tiff(spec))));
    CHECK_FALSE(cleaned.orientation);
    CHECK(cleaned.bytes == "\xFF\xD8" + kPicture);
}

TEST_CASE("a malformed EXIF block is dropped, the image still cleaned", "[media][jpeg][exif]") {
    CleanedImage cleaned = must_clean(img::jpeg(img::exif_app1("MM\0*\xFF\xFF\xFF\xFF garbage")));
    CHECK(cleaned.bytes == "\xFF\xD8" + kPicture);
    CHECK(cleaned.removed.has(RemovedKind::Other));
}

TEST_CASE("a truncated JPEG, one without EOI or without a scan, is unstrippable", "[media][jpeg]") {
    std::string whole = img::jpeg(img::kJfif);
    CHECK(must_refuse(whole.substr(0, whole.size() - 2)).reason == UnstrippableReason::Truncated);
    CHECK(must_refuse(whole.substr(0, 30)).reason == UnstrippableReason::Truncated);
    CHECK(must_refuse(std::string("\xFF\xD8\xFF\xD9", 4)).reason == UnstrippableReason::Corrupt);
    std::string jpeg_ls = std::string("\xFF\xD8", 2) + img::jpeg_segment(0xF7, "LS") + kPicture;
    Unstrippable refused = must_refuse(jpeg_ls);
    CHECK(refused.reason == UnstrippableReason::Unsupported);
    CHECK(contains(refused.detail, "0xFFF7"));
}
