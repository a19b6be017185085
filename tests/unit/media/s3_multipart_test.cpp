// Multipart planning (media/s3_multipart.hpp): where S3's limits bite — a
// copy of exactly 5 GiB is one CopyObject and one byte more is a multipart
// copy; the part size grows so that 10,000 parts always hold the object;
// 0 bytes have no parts; the tuning variables; the Complete body's escaping.
// s3rver implements no UploadPartCopy, so this is where the copy's parts are
// checked (their requests: tests/integration/media/multipart_oracle.py).

#include "media/s3_multipart.hpp"

#include "common/error.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub;
using namespace pgscrub::media;

namespace {

// Every plan: consecutive parts from byte 0, numbered from 1, covering every
// byte once, all but the last of one size within S3's limits, ≤ 10,000.
void check_plan(std::uint64_t size, std::uint64_t preferred) {
    INFO("size " << size << ", preferred part " << preferred);
    const std::vector<PartRange> parts = plan_parts(size, preferred);
    const std::uint64_t part_size = part_size_for(size, preferred);
    CHECK(part_size >= kMinPartSize);
    CHECK(part_size <= kMaxPartSize);
    CHECK(parts.size() <= kMaxParts);
    std::uint64_t next = 0;
    for (std::size_t i = 0; i < parts.size(); ++i) {
        CHECK(parts[i].number == static_cast<int>(i + 1));
        CHECK(parts[i].first == next);
        CHECK(parts[i].length > 0);
        if (i + 1 < parts.size())
            CHECK(parts[i].length == part_size);
        else
            CHECK(parts[i].length <= part_size);
        next += parts[i].length;
    }
    CHECK(next == size);
}

} // namespace

TEST_CASE("multipart copy: exactly 5 GiB is one CopyObject, one byte more is a multipart copy", "[media][s3]") {
    CHECK_FALSE(needs_multipart_copy(0));
    CHECK_FALSE(needs_multipart_copy(5 * kGiB));
    CHECK(needs_multipart_copy(5 * kGiB + 1));

    const auto parts = plan_parts(5 * kGiB + 1, 512 * kMiB);
    REQUIRE(parts.size() == 11);
    CHECK(parts[0].copy_source_range() == "bytes=0-536870911");
    CHECK(parts[9].copy_source_range() == "bytes=4831838208-5368709119");
    CHECK(parts[10].copy_source_range() == "bytes=5368709120-5368709120"); // the one byte more
    check_plan(5 * kGiB + 1, 512 * kMiB);
    check_plan(5 * kGiB, 512 * kMiB);
}

TEST_CASE("multipart: a 0-byte object has no parts, a 1-byte object one", "[media][s3]") {
    CHECK(plan_parts(0, 16 * kMiB).empty());
    const auto one = plan_parts(1, 16 * kMiB);
    REQUIRE(one.size() == 1);
    CHECK(one[0].copy_source_range() == "bytes=0-0");
}

TEST_CASE("multipart: the part size grows so that 10,000 parts hold the object", "[media][s3]") {
    // 10,000 parts of the preferred size: it does not grow.
    CHECK(part_size_for(10000 * 16 * kMiB, 16 * kMiB) == 16 * kMiB);
    CHECK(plan_parts(10000 * 16 * kMiB, 16 * kMiB).size() == 10000);
    // One byte more: a whole MiB more per part, and fewer than 10,000 parts.
    CHECK(part_size_for(10000 * 16 * kMiB + 1, 16 * kMiB) == 17 * kMiB);
    check_plan(10000 * 16 * kMiB + 1, 16 * kMiB);
    // S3's largest object (5 TiB): 525 MiB parts.
    CHECK(part_size_for(5 * 1024 * kGiB, 16 * kMiB) == 525 * kMiB);
    check_plan(5 * 1024 * kGiB, 16 * kMiB);
    // The most any multipart upload holds: 10,000 parts of 5 GiB; beyond, a usage error.
    CHECK(part_size_for(kMaxParts * kMaxPartSize, 16 * kMiB) == kMaxPartSize);
    CHECK_THROWS_AS(part_size_for(kMaxParts * kMaxPartSize + 1, 16 * kMiB), common::Error);
    // A preferred size outside S3's limits is brought inside them.
    CHECK(part_size_for(100 * kMiB, 1) == kMinPartSize);
    CHECK(part_size_for(100 * kGiB, 100 * kGiB) == kMaxPartSize);
    for (std::uint64_t size : {std::uint64_t{1}, 5 * kMiB - 1, 5 * kMiB, 5 * kMiB + 1, 64 * kMiB + 3, 7 * kGiB + 12345})
        check_plan(size, 16 * kMiB);
}

TEST_CASE("multipart tuning: defaults, sizes with units, and wrong values named", "[media][s3]") {
    const MultipartTuning defaults = multipart_tuning("", "");
    CHECK(defaults.threshold == 64 * kMiB);
    CHECK(defaults.part_size == 16 * kMiB);
    CHECK(defaults.copy_part_size == 512 * kMiB);
    CHECK(multipart_tuning("6M", "5MiB").threshold == 6 * kMiB);
    CHECK(multipart_tuning("6M", "5MiB").part_size == 5 * kMiB);
    CHECK(multipart_tuning("1000", "").threshold == 1000);
    CHECK(multipart_tuning("9G", "").threshold == 5 * kGiB); // one PUT takes no more
    auto refused = [](std::string_view threshold, std::string_view part, std::string_view named) {
        try {
            (void)multipart_tuning(threshold, part);
            FAIL("accepted " << threshold << " / " << part);
        } catch (const common::Error& error) {
            CHECK(error.kind() == common::ErrorKind::Usage);
            CHECK(error.describe().find(named) != std::string::npos);
        }
    };
    refused("lots", "", "PGSCRUB_S3_MULTIPART_THRESHOLD");
    refused("0", "", "PGSCRUB_S3_MULTIPART_THRESHOLD");
    refused("5X", "", "PGSCRUB_S3_MULTIPART_THRESHOLD");
    refused("", "4M", "PGSCRUB_S3_MULTIPART_PART_SIZE");
    refused("", "6G", "PGSCRUB_S3_MULTIPART_PART_SIZE");
}

TEST_CASE("multipart: the Complete body escapes its text and numbers the parts from 1", "[media][s3]") {
    CHECK(xml_escape_text("a&b<c>\"d'") == "a&amp;b&lt;c&gt;\"d'");
    CHECK(xml_escape_text("a\rb\n") == "a&#13;b\n"); // a literal CR would come back as LF
    CHECK(complete_multipart_xml({"\"e1\"", "\"a&<b>\""}) ==
          R"(<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)"
          R"(<Part><ETag>"e1"</ETag><PartNumber>1</PartNumber></Part>)"
          R"(<Part><ETag>"a&amp;&lt;b&gt;"</ETag><PartNumber>2</PartNumber></Part></CompleteMultipartUpload>)");
}
