#pragma once
// AWS Signature Version 4 for one HTTP request sent with an Authorization
// header (docs/aws-signing.md). media/ signs every S3 request with it;
// libcurl only carries the headers.
//
// Why not libcurl's CURLOPT_AWS_SIGV4: the libcurl of Debian 12 (7.88) signs
// the query string as written (unsorted, not re-encoded) and the path as
// given, sends no x-amz-content-sha256 (S3 requires it), and sorts headers
// whose names prefix each other wrongly (docs/aws-signing.md §1). Each
// makes S3 answer SignatureDoesNotMatch for some keys. Signing here, with OpenSSL's
// HMAC-SHA256, keeps the canonical form under our control and testable
// offline against AWS's published examples and botocore.
//
// The contract that makes "sign what you send" hold: the request is given
// *decoded* (the object key's bytes, query values as they are meant), the
// signer encodes it once (RFC 3986, uppercase hex, each byte of UTF-8), and
// the caller builds the URL from encoded_path() / encoded_query() — the very
// strings that were signed — never from its own encoding.
//
// Paths are signed the S3 way: each segment encoded once, '/' kept, no
// normalisation of "." / ".." / "//" (they are legal in S3 keys). Other
// services encode an already encoded path a second time; pgscrub signs
// nothing but S3, and for a decoded path the two agree.
//
// Secrets: the secret access key is used only inside sign_v4(); nothing here
// throws a message holding a credential, a header value or a query value.

#include "net/aws_credentials.hpp"

#include <chrono>
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::net {

using HttpField = std::pair<std::string, std::string>;

// The hex SHA-256 of an empty body, and the payload hash that leaves the body
// out of the signature (for a streamed body whose hash is not known up front).
inline constexpr std::string_view kEmptyPayloadSha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
inline constexpr std::string_view kUnsignedPayload = "UNSIGNED-PAYLOAD";

struct SigV4Request {
    std::string method; // "GET", "PUT" …, as sent
    // The Host header as libcurl will send it: host, and ":port" when the port
    // is not the scheme's default ("127.0.0.1:4568"). Signed and returned in
    // lower case, as botocore signs it.
    std::string host;
    std::string path = "/";       // decoded: "/bucket/photos/a b.jpg"
    std::vector<HttpField> query; // decoded name/value pairs; order and repeats kept as given
    // Every other header to sign and send (Content-Type, Range, x-amz-meta-…).
    // libcurl drops a header given as "Name:": send an empty value as "Name;".
    std::vector<HttpField> headers;
    std::string payload_sha256{kEmptyPayloadSha256}; // lower-case hex SHA-256 of the body, or kUnsignedPayload
    // S3 requires x-amz-content-sha256 on every request; the generic AWS test
    // suite's requests do not carry it.
    bool send_content_sha256 = true;
};

struct SigV4Scope {
    std::string region;  // "eu-west-1"
    std::string service; // "s3"
};

struct SigV4Signature {
    // What to send, besides `headers` of the request: Host, X-Amz-Date,
    // X-Amz-Content-SHA256 (when asked), X-Amz-Security-Token (with a session
    // token) and Authorization, in that order.
    std::vector<HttpField> headers;
    std::string authorization;
    std::string amz_date;          // "20150830T123600Z"
    std::string signed_headers;    // "host;x-amz-content-sha256;x-amz-date"
    std::string canonical_request; // for tests and debugging: holds no secret
    std::string string_to_sign;
    std::string signature; // hex
};

// Signs `request` at `when` (UTC). A header the signer sets itself (Host,
// X-Amz-Date, X-Amz-Content-SHA256, X-Amz-Security-Token, Authorization) in
// request.headers, a header name that is not an HTTP token, a header value
// with a line break, a method or scope that is empty or has spaces, or a path
// that does not start with '/' is a bug in the caller: common::Error of kind
// Internal, naming the header or the field, never a value.
SigV4Signature sign_v4(const SigV4Request& request, const AwsCredentials& credentials, const SigV4Scope& scope,
                       std::chrono::sys_seconds when);

// The pieces, public so the URL is built from what was signed and the tests
// can check each step.

// RFC 3986 percent-encoding as SigV4 wants it: every byte but A-Z a-z 0-9
// - . _ ~ becomes %XX (uppercase hex); '/' too unless `keep_slash`.
std::string aws_uri_encode(std::string_view bytes, bool keep_slash);
// The path as signed and as it goes in the URL: "/a b/c+d" -> "/a%20b/c%2Bd".
std::string encoded_path(std::string_view decoded_path);
// The canonical query string, which is also the URL's query: names and values
// encoded, pairs sorted by encoded name then encoded value, "name=" for an
// empty value. "" for no parameters.
std::string encoded_query(const std::vector<HttpField>& decoded_query);
// "20150830T123600Z"
std::string aws_timestamp(std::chrono::sys_seconds when);

// Lower-case hex SHA-256, for payload hashes.
std::string sha256_hex(std::string_view bytes);

// SHA-256 of a body fed in pieces (an upload streamed from disk).
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(std::span<const std::byte> bytes);
    void update(std::string_view bytes);
    // Lower-case hex; the object cannot be fed after it.
    std::string finish_hex();

private:
    void* context_; // EVP_MD_CTX, kept out of the header
};

} // namespace pgscrub::net
