// The S3 store's pieces that need no server (tests/integration/media/sync_s3.sh
// runs it against s3rver): path-style URLs with keys encoded once, the
// endpoint default, the headers every copy carries, and the HTTP request's
// failures and retry rule.

#include "media/media_location.hpp"
#include "media/s3_store.hpp"
#include "media/spool_file.hpp"
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
    auto plain = S3Store::copy_headers(source, {}, StoreOptions{}.acl);
    CHECK(header(plain, "Content-Type") == "application/octet-stream");
    CHECK(header(plain, "x-amz-acl") == "bucket-owner-full-control");
    CHECK(header(S3Store::copy_headers(source, {}, "public-read"), "x-amz-acl") == "public-read");
    CHECK(header(plain, "x-amz-meta-pgscrub-source-etag") == "\"9b2cf535f27731c974343645a3985328\"");
    CHECK(header(plain, "x-amz-meta-pgscrub-source-size") == "1234");
    CHECK(header(plain, "Cache-Control") == "<none>");

    ObjectProperties properties;
    properties.content_type = "image/jpeg";
    properties.cache_control = "max-age=60";
    properties.content_disposition = "inline";
    properties.user_metadata = {{"x-amz-meta-owner", "web"}};
    auto carried = S3Store::copy_headers(source, properties, "private");
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

TEST_CASE("S3 store: a bucket that refuses ACLs is one usage line saying which --acl to pass") {
    S3Store store(parse_location("s3://staging-media/"), settings("http://127.0.0.1:4568"), StoreOptions{"public-read"});
    net::HttpResponse response;
    response.status = 400;
    response.body = "<?xml version=\"1.0\"?><Error><Code>AccessControlListNotSupported</Code>"
                    "<Message>The bucket does not allow ACLs</Message></Error>";
    try {
        store.fail(response, "PUT", "photos/a.jpg");
        FAIL("no error");
    } catch (const common::Error& error) {
        CHECK(error.kind() == common::ErrorKind::Usage);
        const std::string text = error.describe();
        CHECK(text.find('\n') == std::string::npos);
        CHECK(text.find("public-read") != std::string::npos);
        CHECK(text.find("pass --acl bucket-owner-full-control") != std::string::npos);
        CHECK(text.find("http://127.0.0.1:4568/staging-media/photos/a.jpg") != std::string::npos);
        CHECK(text.find("wJalrXUtnFEMI") == std::string::npos);
    }
}

TEST_CASE("S3 store: the multipart requests name the upload, the part and the copy source range") {
    S3Store store(parse_location("s3://staging-media/"), settings("http://127.0.0.1:4568"));
    auto create = store.create_multipart_request("a b.bin", {{"x-amz-acl", "private"}});
    CHECK(create.method == "POST");
    CHECK(create.query == std::vector<std::pair<std::string, std::string>>{{"uploads", ""}});
    const std::chrono::sys_seconds when{std::chrono::seconds{1369353600}};
    CHECK(store.signed_request(create, when).url == "http://127.0.0.1:4568/staging-media/a%20b.bin?uploads=");

    auto part = store.upload_part_request("a b.bin", "id+/=", 7);
    CHECK(part.method == "PUT");
    CHECK(store.signed_request(part, when).url ==
          "http://127.0.0.1:4568/staging-media/a%20b.bin?partNumber=7&uploadId=id%2B%2F%3D");

    PartRange range{2, 100, 50};
    auto copy = store.upload_part_copy_request("a b.bin", "id", range, "live-media", "site/a b+c.bin");
    CHECK(header(copy.headers, "x-amz-copy-source") == "/live-media/site/a%20b%2Bc.bin");
    CHECK(header(copy.headers, "x-amz-copy-source-range") == "bytes=100-149");

    auto complete = store.complete_multipart_request("a b.bin", "id", {"\"e1\"", "\"e2\""});
    CHECK(complete.method == "POST");
    REQUIRE(complete.http.body);
    CHECK(complete.http.body->find("<PartNumber>2</PartNumber>") != std::string::npos);

    auto abort = store.abort_multipart_request("a b.bin", "id");
    CHECK(abort.method == "DELETE");
    CHECK(store.signed_request(abort, when).url == "http://127.0.0.1:4568/staging-media/a%20b.bin?uploadId=id");
}

TEST_CASE("spool file: dropping a sent part keeps what follows, and appending continues after it") {
    SpoolFile file;
    file.append("0123456789");
    file.drop_front(7);
    CHECK(file.size() == 3);
    file.append("abc");
    char buffer[16] = {};
    CHECK(file.read_at(0, buffer, sizeof buffer) == 6);
    CHECK(std::string(buffer, 6) == "789abc");
    file.drop_front(6);
    CHECK(file.size() == 0);
    CHECK(file.read_at(0, buffer, sizeof buffer) == 0);
}
