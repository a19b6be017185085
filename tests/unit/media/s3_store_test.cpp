// The S3 store's pieces that need no server (tests/integration/media/sync_s3.sh
// runs it against s3rver): path-style URLs with keys encoded once, the
// endpoint default, the headers every copy carries, and the HTTP request's
// failures and retry rule.

#include "media/media_location.hpp"
#include "media/s3_store.hpp"
#include "net/http_request.hpp"

#include "common/error.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace pgscrub;
using namespace pgscrub::media;

namespace {

net::AwsSettings settings(std::string endpoint) {
    net::AwsSettings s;
    s.credentials.access_key_id = "AKIDEXAMPLE";
    s.credentials.secret_access_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    s.region = "eu-west-1";
    s.endpoint_url = std::move(endpoint);
    return s;
}

std::string header(const std::vector<std::pair<std::string, std::string>>& headers, std::string_view name) {
    auto found = std::find_if(headers.begin(), headers.end(), [&](const auto& h) { return h.first == name; });
    return found == headers.end() ? "<none>" : found->second;
}

} // namespace

TEST_CASE("S3 store: path-style URLs, keys encoded once, the endpoint from the settings or AWS's") {
    S3Store custom(parse_location("s3://live-media/site/"), settings("http://127.0.0.1:4568/"));
    CHECK(custom.url_of("site/a b+c=d%e ☃.jpg") ==
          "http://127.0.0.1:4568/live-media/site/a%20b%2Bc%3Dd%25e%20%E2%98%83.jpg");
    CHECK(custom.url_of("", true) == "http://127.0.0.1:4568/live-media");
    S3Store aws(parse_location("s3://media.example.org"), settings(""));
    CHECK(aws.url_of("x.jpg") == "https://s3.eu-west-1.amazonaws.com/media.example.org/x.jpg");
}

TEST_CASE("S3 store: every copy carries its record, an explicit ACL and the source's properties") {
    ListedObject source{"photo.jpg", 1234, "\"9b2cf535f27731c974343645a3985328\"", std::nullopt};
    auto plain = S3Store::copy_headers(source, {});
    CHECK(header(plain, "Content-Type") == "application/octet-stream");
    CHECK(header(plain, "x-amz-acl") == "private");
    CHECK(header(plain, "x-amz-meta-pgscrub-source-etag") == "\"9b2cf535f27731c974343645a3985328\"");
    CHECK(header(plain, "x-amz-meta-pgscrub-source-size") == "1234");
    CHECK(header(plain, "Cache-Control") == "<none>");

    ObjectProperties properties;
    properties.content_type = "image/jpeg";
    properties.cache_control = "max-age=60";
    properties.content_disposition = "inline";
    properties.user_metadata = {{"x-amz-meta-owner", "web"}};
    auto carried = S3Store::copy_headers(source, properties);
    CHECK(header(carried, "Content-Type") == "image/jpeg");
    CHECK(header(carried, "Cache-Control") == "max-age=60");
    CHECK(header(carried, "Content-Disposition") == "inline");
    CHECK(header(carried, "x-amz-meta-owner") == "web");
}

TEST_CASE(
    "http_request: 500 and 503 are retried; a refused connection is a network error naming the URL without its query") {
    CHECK(net::retryable_status(500));
    CHECK(net::retryable_status(503));
    CHECK_FALSE(net::retryable_status(404));
    CHECK_FALSE(net::retryable_status(403));

    net::HttpRequest request;
    request.url = "http://127.0.0.1:1/bucket/key?X-Amz-Signature=secretvalue";
    request.max_attempts = 2;
    request.base_delay = std::chrono::milliseconds(1);
    request.connect_timeout = std::chrono::seconds(2);
    try {
        net::http_request(request);
        FAIL("no error");
    } catch (const common::Error& error) {
        CHECK(error.kind() == common::ErrorKind::Network);
        const std::string text = error.describe();
        CHECK(text.find("http://127.0.0.1:1/bucket/key") != std::string::npos);
        CHECK(text.find("secretvalue") == std::string::npos);
        CHECK(text.find("after 2 attempts") != std::string::npos);
    }
}
