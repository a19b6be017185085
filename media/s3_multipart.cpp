#include "media/s3_multipart.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <limits>

namespace pgscrub::media {

namespace {

constexpr std::string_view kThresholdVariable = "PGSCRUB_S3_MULTIPART_THRESHOLD";
constexpr std::string_view kPartSizeVariable = "PGSCRUB_S3_MULTIPART_PART_SIZE";

[[noreturn]] void bad_size(std::string_view variable, std::string_view why) {
    throw common::Error(common::ErrorKind::Usage,
                        std::string(variable) + " " + std::string(why) +
                            ": give a size in bytes, or with K, M or G (KiB, MiB, GiB), e.g. 16M");
}

// "16777216", "16M", "16MiB": bytes.
std::uint64_t parse_size(std::string_view variable, std::string_view text) {
    std::uint64_t number = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), number);
    if (error != std::errc() || end == text.data()) bad_size(variable, "is not a size");
    std::string_view unit(end, static_cast<std::size_t>(text.data() + text.size() - end));
    if (unit.ends_with("iB")) unit.remove_suffix(2);
    std::uint64_t scale = 1;
    if (unit == "K" || unit == "k")
        scale = std::uint64_t{1} << 10;
    else if (unit == "M" || unit == "m")
        scale = kMiB;
    else if (unit == "G" || unit == "g")
        scale = kGiB;
    else if (!unit.empty())
        bad_size(variable, "has an unknown unit");
    if (number > std::numeric_limits<std::uint64_t>::max() / scale) bad_size(variable, "is too large");
    return number * scale;
}

} // namespace

MultipartTuning multipart_tuning(std::string_view threshold, std::string_view part_size) {
    MultipartTuning tuning;
    if (!threshold.empty()) {
        tuning.threshold = parse_size(kThresholdVariable, threshold);
        if (tuning.threshold == 0) bad_size(kThresholdVariable, "is 0");
        // One PUT cannot write more: a threshold above it would send PUTs S3 refuses.
        tuning.threshold = std::min(tuning.threshold, kMaxSingleRequestObject);
    }
    if (!part_size.empty()) {
        tuning.part_size = parse_size(kPartSizeVariable, part_size);
        if (tuning.part_size < kMinPartSize || tuning.part_size > kMaxPartSize)
            bad_size(kPartSizeVariable, "is outside S3's 5 MiB to 5 GiB for a part");
    }
    return tuning;
}

MultipartTuning multipart_tuning_from_environment() {
    // NOLINTBEGIN(concurrency-mt-unsafe): read when a store opens, before transfer threads start
    const char* threshold = std::getenv(std::string(kThresholdVariable).c_str());
    const char* part_size = std::getenv(std::string(kPartSizeVariable).c_str());
    // NOLINTEND(concurrency-mt-unsafe)
    return multipart_tuning(threshold ? threshold : "", part_size ? part_size : "");
}

std::uint64_t part_size_for(std::uint64_t size, std::uint64_t preferred) {
    if (size > kMaxParts * kMaxPartSize) {
        throw common::Error(common::ErrorKind::Usage,
                            "an object of " + std::to_string(size) +
                                " bytes is larger than any S3 multipart upload can hold (10,000 parts of 5 GiB)");
    }
    std::uint64_t part = std::clamp(preferred, kMinPartSize, kMaxPartSize);
    const std::uint64_t needed = (size + kMaxParts - 1) / kMaxParts; // the smallest that fits in 10,000 parts
    if (needed > part) part = std::min((needed + kMiB - 1) / kMiB * kMiB, kMaxPartSize);
    return part;
}

std::string PartRange::copy_source_range() const {
    return "bytes=" + std::to_string(first) + "-" + std::to_string(first + length - 1);
}

std::vector<PartRange> plan_parts(std::uint64_t size, std::uint64_t preferred) {
    const std::uint64_t part = part_size_for(size, preferred);
    std::vector<PartRange> parts;
    parts.reserve(static_cast<std::size_t>((size + part - 1) / part));
    for (std::uint64_t first = 0; first < size; first += part) {
        parts.push_back({static_cast<int>(parts.size() + 1), first, std::min(part, size - first)});
    }
    return parts;
}

std::string xml_escape_text(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '\r':
            out += "&#13;";
            break;
        default:
            out.push_back(c);
        }
    }
    return out;
}

std::string complete_multipart_xml(const std::vector<std::string>& part_etags) {
    std::string xml = R"(<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">)";
    for (std::size_t i = 0; i < part_etags.size(); ++i) {
        xml += "<Part><ETag>" + xml_escape_text(part_etags[i]) + "</ETag><PartNumber>" + std::to_string(i + 1) +
               "</PartNumber></Part>";
    }
    xml += "</CompleteMultipartUpload>";
    return xml;
}

} // namespace pgscrub::media
