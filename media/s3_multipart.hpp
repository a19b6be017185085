#pragma once
// S3 multipart transfers: the limits, how an object is cut into parts, the
// tuning, and the CompleteMultipartUpload body (docs/media.md, "Large
// objects"). Pure: the S3 store (s3_store.hpp) sends the requests.
//
// S3's limits: a single PUT and a CopyObject take at most 5 GiB; a multipart
// upload has at most 10,000 parts, each 5 MiB to 5 GiB except the last, which
// may be smaller. So the part size cannot be fixed: it grows with the object
// (part_size_for), as aws-cli's does, so that 10,000 parts always suffice.
//
// Defaults (why they differ from aws-cli's 8 MiB / 8 MiB, docs/media.md):
// below the threshold an upload is spooled whole to TMPDIR and sent as one
// PUT; most Wagtail media (photos, documents) is far below 64 MiB, so it
// stays one request with an MD5 ETag. Above it the spool holds one part
// (16 MiB) at a time: 10,000 parts reach 156 GiB before they must grow, and a
// failed part costs 16 MiB to resend. Copies on the server move no bytes
// through pgscrub, so their parts are larger (512 MiB): fewer requests.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::media {

inline constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
inline constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
inline constexpr std::uint64_t kMinPartSize = 5 * kMiB;
inline constexpr std::uint64_t kMaxPartSize = 5 * kGiB;
inline constexpr std::uint64_t kMaxParts = 10000;
// The largest object one PUT or one CopyObject may write (S3's "5 GB").
inline constexpr std::uint64_t kMaxSingleRequestObject = 5 * kGiB;

struct MultipartTuning {
    std::uint64_t threshold = 64 * kMiB;       // uploads larger than this are multipart
    std::uint64_t part_size = 16 * kMiB;       // an upload's preferred part size
    std::uint64_t copy_part_size = 512 * kMiB; // an UploadPartCopy's preferred part size
};

// The defaults, or PGSCRUB_S3_MULTIPART_THRESHOLD / PGSCRUB_S3_MULTIPART_PART_SIZE
// (bytes, or with a K/M/G suffix for KiB/MiB/GiB) when set: a tuning knob
// for tests and slow links. A part size outside 5 MiB–5 GiB or a value that
// is not a size is common::Error (Usage) naming the variable.
MultipartTuning multipart_tuning_from_environment();
// The same, from the variables' values ("" for unset): what the tests call.
MultipartTuning multipart_tuning(std::string_view threshold, std::string_view part_size);

// The part size for an object of `size` bytes: `preferred` (clamped to 5 MiB–
// 5 GiB), grown to a whole number of MiB when 10,000 parts of it would not
// hold the object. Throws common::Error (Usage) for an object no multipart
// upload can hold (over 10,000 × 5 GiB).
std::uint64_t part_size_for(std::uint64_t size, std::uint64_t preferred);

struct PartRange {
    int number = 0;           // 1-based, as S3 numbers parts
    std::uint64_t first = 0;  // the first byte's offset
    std::uint64_t length = 0; // > 0
    // "bytes=FIRST-LAST", inclusive, as x-amz-copy-source-range wants it.
    std::string copy_source_range() const;
};

// The parts of an object of `size` bytes cut at part_size_for(size,
// preferred): consecutive, covering every byte once; none for 0 bytes.
std::vector<PartRange> plan_parts(std::uint64_t size, std::uint64_t preferred);

// True when a bucket-to-bucket copy of `size` bytes must be a multipart copy
// (UploadPartCopy): CopyObject takes at most 5 GiB.
constexpr bool needs_multipart_copy(std::uint64_t size) {
    return size > kMaxSingleRequestObject;
}

// The CompleteMultipartUpload body for parts 1..N with these ETags (as S3
// returned them, quotes included), text escaped for XML; byte for byte what
// botocore's serializer writes (tests/integration/media/multipart_oracle.py).
std::string complete_multipart_xml(const std::vector<std::string>& part_etags);

// `text` as XML character data: &, <, > escaped, and a carriage return as
// &#13;, because an XML parser reads a literal one back as a line feed.
std::string xml_escape_text(std::string_view text);

} // namespace pgscrub::media
