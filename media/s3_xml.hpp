#pragma once
// S3's XML replies, read with expat as they stream in: a ListObjectsV2 page,
// the <Error> document S3 sends with a failed request — and, for CopyObject,
// UploadPartCopy and CompleteMultipartUpload, inside a 200 OK (docs/media.md)
// — and the one field a multipart reply carries (UploadId, ETag).
//
// Keys are returned as S3 stores them. With `encoding-type=url` a listing
// percent-encodes keys (and '+' stands for a space); they are decoded only
// when the reply echoes <EncodingType>url</EncodingType>, as botocore does,
// so a server that ignores the request is not mis-decoded.

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::media {

struct S3ListedObject {
    std::string key;
    std::uint64_t size = 0;
    std::string etag; // as S3 quotes it: "\"9b2cf535f27731c974343645a3985328\""
};

struct S3ListPage {
    std::vector<S3ListedObject> objects;
    bool truncated = false;
    std::string next_continuation_token;
};

struct S3ErrorReply {
    std::string code;    // "NoSuchBucket", "SlowDown", ...
    std::string message; // S3's text; may name the bucket or key, never a credential
};

// A reply that is not the XML expected: its message says what was wrong and
// where (line and column of the reply), never the reply's text.
class S3XmlError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// Parses one ListObjectsV2 page. Throws S3XmlError.
S3ListPage parse_list_page(std::string_view xml);

// The <Error> of `xml`, or nullopt when `xml` is not an error document
// (an empty body, or another document such as a CopyObjectResult).
// Throws S3XmlError for malformed XML.
std::optional<S3ErrorReply> parse_error_reply(std::string_view xml);

// The text of <ROOT><FIELD> of a reply: the UploadId of an
// InitiateMultipartUploadResult, the ETag of a CopyPartResult. Throws
// S3XmlError for malformed XML, another root element (an <Error>, say), or a
// reply without the field.
std::string parse_reply_field(std::string_view xml, std::string_view root, std::string_view field);

// Undoes S3's url encoding of listing keys: %XX, and '+' for a space.
// Throws S3XmlError for a malformed escape.
std::string url_decode_key(std::string_view encoded);

} // namespace pgscrub::media
