#include "media/media_location.hpp"

#include "db/guardrails.hpp"

#include <filesystem>

namespace pgscrub::media {

namespace {

[[noreturn]] void bad_location(std::string_view text, const std::string& why) {
    throw common::Error(common::ErrorKind::Usage,
                        "media location \"" + common::printable_text(text, 200) + "\": " + why);
}

bool valid_bucket_name(std::string_view name) {
    if (name.size() < 3 || name.size() > 63) return false;
    for (char c : name) {
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) return false;
    }
    auto alnum = [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); };
    return alnum(name.front()) && alnum(name.back()) && name.find("..") == std::string_view::npos;
}

// True when `inner` is `outer` or lies below it, '/' being the separator
// (so "media/images" is inside "media/" but "media2/" is not inside "media").
bool within(std::string_view inner, std::string_view outer) {
    if (outer.empty()) return true;
    if (!inner.starts_with(outer)) return false;
    return inner.size() == outer.size() || outer.back() == '/' || inner[outer.size()] == '/';
}

} // namespace

std::string MediaLocation::shown() const {
    return kind == Kind::S3 ? "s3://" + bucket + "/" + prefix : directory;
}

MediaLocation parse_location(std::string_view text) {
    MediaLocation location;
    if (text.empty()) bad_location(text, "empty; give s3://bucket/prefix or a directory");
    if (text.starts_with("s3://")) {
        std::string_view rest = text.substr(5);
        std::size_t slash = rest.find('/');
        std::string_view bucket = rest.substr(0, slash);
        if (!valid_bucket_name(bucket)) {
            bad_location(text, "not a bucket name S3 allows (3-63 characters of a-z, 0-9, '.' and '-', starting and "
                               "ending with a letter or digit)");
        }
        location.kind = MediaLocation::Kind::S3;
        location.bucket = std::string(bucket);
        if (slash != std::string_view::npos) location.prefix = std::string(rest.substr(slash + 1));
        if (!location.prefix.empty() && location.prefix.back() != '/') location.prefix += '/';
        if (location.prefix.starts_with('/') || location.prefix.find("//") != std::string::npos) {
            bad_location(text, "the prefix has an empty path segment; write s3://bucket/a/b");
        }
        return location;
    }
    if (text.find("://") != std::string_view::npos) {
        bad_location(text, "only s3:// URLs and local directories are media locations");
    }
    std::filesystem::path path = std::filesystem::absolute(std::filesystem::path(text)).lexically_normal();
    std::string directory = path.string();
    while (directory.size() > 1 && directory.back() == '/') directory.pop_back();
    location.directory = directory;
    return location;
}

bool locations_overlap(const MediaLocation& source, const MediaLocation& target) {
    if (source.kind != target.kind) return false;
    if (source.kind == MediaLocation::Kind::S3) {
        return source.bucket == target.bucket &&
               (within(source.prefix, target.prefix) || within(target.prefix, source.prefix));
    }
    return within(source.directory, target.directory) || within(target.directory, source.directory);
}

void check_media_target(const MediaLocation& source, const MediaLocation& target, bool allow_production_like_target) {
    if (locations_overlap(source, target)) {
        throw db::GuardrailRefusal("refusing to sync " + source.shown() + " to " + target.shown() +
                                   ": the target is the source, lies inside it or contains it — choose a target "
                                   "apart from the source");
    }
    if (target.kind == MediaLocation::Kind::S3 && !allow_production_like_target && db::looks_production_like(target.bucket)) {
        throw db::GuardrailRefusal("refusing to write to " + target.shown() + ": its bucket name contains \"prod\", so it "
                                   "looks like production — if it really is the bucket to replace, allow it explicitly "
                                   "(--allow-production-like-target, or allow_production_like_target: true in a run file)");
    }
}

} // namespace pgscrub::media
