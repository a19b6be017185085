#pragma once
// The pure decisions of `pgscrub media verify` (media_verify.hpp), apart from
// any store so that they can be tested alone: which keys to compare, which
// are missing or only in the target, whether a listing's ETag is an MD5, and
// how two objects' contents are compared with as few downloads as can be
// sound (docs/media.md, "media verify").

#include "media/sync_plan.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::media {

// The MD5 an S3 ETag states, lower-case hex, or nullopt. S3 quotes ETags
// ("\"9b2c…\""); the ETag of a single-part upload or of a CopyObject copy is
// the MD5 of the bytes. A multipart upload's ends in "-N" (an MD5 of the
// parts' MD5s), a weak one starts with W/: neither is the bytes' MD5.
// SSE-KMS and SSE-C ETags look like MD5s but are not: see ContentDigest.
std::optional<std::string> md5_of_etag(std::string_view etag);

// One object's content, as far as it is known: the MD5 its listing claims
// (nullopt when it claims none) and a way to compute the real one, called
// at most once (a download, or reading a local file or cleaned bytes).
class ContentDigest {
public:
    ContentDigest(std::optional<std::string> claimed, std::function<std::string()> compute)
        : claimed_(std::move(claimed)), compute_(std::move(compute)) {}
    const std::optional<std::string>& claimed() const { return claimed_; }
    // The MD5 of the bytes themselves.
    const std::string& actual();
    // The claim when there is one, else the actual MD5.
    const std::string& known() { return claimed_ ? *claimed_ : actual(); }
    bool computed() const { return actual_.has_value(); }

private:
    std::optional<std::string> claimed_;
    std::function<std::string()> compute_;
    std::optional<std::string> actual_;
};

// Whether `a` and `b` hold the same bytes. Equal claims (or a claim equal to
// the other's bytes) answer yes without reading anything: two different
// byte strings with one MD5 do not occur by accident, and a
// not-really-MD5 ETag cannot equal a real one by chance. A mismatch is never
// taken from a claim: both sides' bytes are hashed before "no" is answered,
// so an SSE-KMS ETag costs a download but never a false difference.
bool same_content(ContentDigest& a, ContentDigest& b);
// Whether `side` holds the bytes whose MD5 is `md5` (a cleaned image), by the
// same rule.
bool holds_content(ContentDigest& side, std::string_view md5);

// The keys of two listings, matched: those both hold (inside the filter),
// those only the source holds (inside the filter), those only the target
// holds (inside the filter: keys outside it are not this verification's),
// each in key order.
struct VerifyPlan {
    struct Pair {
        const ListedObject* source;
        const ListedObject* target;
    };
    std::vector<Pair> both;
    std::vector<const ListedObject*> missing; // source objects the target lacks
    std::vector<const ListedObject*> extra;   // target objects the source lacks
    std::uint64_t outside_filter = 0;         // source keys outside the filter
};
VerifyPlan plan_verify(const std::vector<ListedObject>& source, const std::vector<ListedObject>& target,
                       const KeyFilter& filter);

// A --expect argument: "TABLE.COLUMN" or "SCHEMA.TABLE.COLUMN" (the column
// is after the last dot; a table without a schema is in public). Throws
// common::Error (usage) naming the text for anything else.
struct ExpectedColumn {
    std::string table; // as given: "wagtailimages_image" or "cms.wagtailimages_image"
    std::string column;
    std::string shown() const { return table + "." + column; }
};
ExpectedColumn parse_expected_column(std::string_view text);

// The non-empty values of `values` that are not keys of `target` (which is
// sorted by key, as listings are), in order and without repeats.
std::vector<std::string> keys_not_in(const std::vector<std::string>& values, const std::vector<ListedObject>& target);

} // namespace pgscrub::media
