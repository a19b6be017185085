// The SigV4 signer against published answers: AWS's Signature Version 4 test
// suite (the request/canonical-request/signature triples that AWS published
// and that awslabs/aws-c-auth keeps under tests/aws-signing-test-suite/v4) and
// the four worked S3 examples of AWS's "Signature Calculations for the
// Authorization Header: Transferring Payload in a Single Chunk" page. Only
// the data is copied: inputs, canonical requests and signatures. The
// independent oracle for awkward keys is botocore, in
// tests/integration/sigv4_oracle.py.

#include "net/aws_sigv4.hpp"

#include "common/error.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <string>
#include <vector>

using namespace pgscrub::net;
using namespace std::chrono;

namespace {

// The test suite's account, region, service and time.
const AwsCredentials kSuiteKeys{"AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "", "test"};
const SigV4Scope kSuiteScope{"us-east-1", "service"};
const sys_seconds kSuiteTime = sys_days{year{2015} / 8 / 30} + hours{12} + minutes{36};

// The S3 page's account and time.
const AwsCredentials kS3Keys{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "", "test"};
const SigV4Scope kS3Scope{"us-east-1", "s3"};
const sys_seconds kS3Time = sys_days{year{2013} / 5 / 24};

const std::string kSuiteCredential =
    "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

SigV4Request suite_request(std::string method, std::string path, std::vector<HttpField> query = {},
                           std::vector<HttpField> headers = {}) {
    SigV4Request request;
    request.method = std::move(method);
    request.host = "example.amazonaws.com";
    request.path = std::move(path);
    request.query = std::move(query);
    request.headers = std::move(headers);
    request.send_content_sha256 = false; // the suite's services do not want it
    return request;
}

struct SuiteCase {
    const char* name;
    SigV4Request request;
    const char* signed_headers;
    const char* signature;
};

} // namespace

TEST_CASE("sign_v4 reproduces AWS's SigV4 test suite", "[net][sigv4]") {
    const std::string utf8 = "\xE1\x88\xB4"; // U+1234, as the suite writes it
    const std::string unreserved = "-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    const std::vector<SuiteCase> cases = {
        {"get-vanilla", suite_request("GET", "/"), "host;x-amz-date",
         "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
        {"get-vanilla-query-order-key-case", suite_request("GET", "/", {{"Param2", "value2"}, {"Param1", "value1"}}),
         "host;x-amz-date", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"},
        {"get-vanilla-query-order-encoded",
         suite_request("GET", "/", {{"Param-3", "Value3"}, {"Param", "Value2"}, {utf8, "Value1"}}), "host;x-amz-date",
         "371d3713e185cc334048618a97f809c9ffe339c62934c032af5a0e595648fcac"},
        {"get-vanilla-query-unreserved", suite_request("GET", "/", {{unreserved, unreserved}}), "host;x-amz-date",
         "9c3e54bfcdf0b19771a7f523ee5669cdf59bc7cc0884027167c21bb143a40197"},
        {"get-vanilla-utf8-query", suite_request("GET", "/", {{utf8, "bar"}}), "host;x-amz-date",
         "2cdec8eed098649ff3a119c94853b13c643bcf08f8b0a1d91e12c9027818dd04"},
        {"get-vanilla-empty-query-key", suite_request("GET", "/", {{"Param1", "value1"}}), "host;x-amz-date",
         "a67d582fa61cc504c4bae71f336f98b97f1ea3c7a6bfe1b6e45aec72011b9aeb"},
        {"get-space", suite_request("GET", "/example space/"), "host;x-amz-date",
         "652487583200325589f1fba4c7e578f72c47cb61beeca81406b39ddec1366741"},
        {"get-utf8", suite_request("GET", "/" + utf8), "host;x-amz-date",
         "8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"},
        {"get-unreserved", suite_request("GET", "/" + unreserved), "host;x-amz-date",
         "07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"},
        {"get-header-key-duplicate",
         suite_request("GET", "/", {}, {{"My-Header1", "value2"}, {"My-Header1", "value2"}, {"My-Header1", "value1"}}),
         "host;my-header1;x-amz-date", "c9d5ea9f3f72853aea855b47ea873832890dbdd183b4468f858259531a5138ea"},
        {"get-header-value-order",
         suite_request(
             "GET", "/", {},
             {{"My-Header1", "value4"}, {"My-Header1", "value1"}, {"My-Header1", "value3"}, {"My-Header1", "value2"}}),
         "host;my-header1;x-amz-date", "08c7e5a9acfcfeb3ab6b2185e75ce8b1deb5e634ec47601a50643f830c755c01"},
        {"get-header-value-trim",
         suite_request("GET", "/", {}, {{"My-Header1", " value1"}, {"My-Header2", "\"a   b   c\""}}),
         "host;my-header1;my-header2;x-amz-date", "acc3ed3afb60bb290fc8d2dd0098b9911fcaa05412b367055dee359757a9c736"},
        {"post-vanilla", suite_request("POST", "/"), "host;x-amz-date",
         "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b"},
        {"post-vanilla-query", suite_request("POST", "/", {{"Param1", "value1"}}), "host;x-amz-date",
         "28038455d6de14eafc1f9222cf5aa6f1a96197d7deb8263271d420d138af7f11"},
        {"post-header-key-sort", suite_request("POST", "/", {}, {{"My-Header1", "value1"}}),
         "host;my-header1;x-amz-date", "c5410059b04c1ee005303aed430f6e6645f61f4dc9e1461ec8f8916fdf18852c"},
        {"post-header-value-case", suite_request("POST", "/", {}, {{"My-Header1", "VALUE1"}}),
         "host;my-header1;x-amz-date", "cdbc9802e29d2942e5e10b5bccfdd67c5f22c7c4e8ae67b53629efa58b974b7d"},
    };
    for (const SuiteCase& c : cases) {
        INFO(c.name);
        const SigV4Signature signed_request = sign_v4(c.request, kSuiteKeys, kSuiteScope, kSuiteTime);
        CHECK(signed_request.signature == c.signature);
        CHECK(signed_request.authorization ==
              kSuiteCredential + "SignedHeaders=" + c.signed_headers + ", Signature=" + c.signature);
        CHECK(signed_request.amz_date == "20150830T123600Z");
    }
}

TEST_CASE("sign_v4's canonical requests are the suite's, byte for byte", "[net][sigv4]") {
    SigV4Request request =
        suite_request("GET", "/", {{"Param-3", "Value3"}, {"Param", "Value2"}, {"\xE1\x88\xB4", "Value1"}});
    CHECK(sign_v4(request, kSuiteKeys, kSuiteScope, kSuiteTime).canonical_request ==
          "GET\n/\n%E1%88%B4=Value1&Param=Value2&Param-3=Value3\n"
          "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

    request = suite_request("GET", "/", {}, {{"My-Header1", " value1"}, {"My-Header2", "\"a   b   c\""}});
    const SigV4Signature trimmed = sign_v4(request, kSuiteKeys, kSuiteScope, kSuiteTime);
    CHECK(trimmed.canonical_request == "GET\n/\n\nhost:example.amazonaws.com\nmy-header1:value1\nmy-header2:\"a b c\"\n"
                                       "x-amz-date:20150830T123600Z\n\nhost;my-header1;my-header2;x-amz-date\n"
                                       "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(trimmed.string_to_sign.rfind("AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n",
                                       0) == 0);
}

TEST_CASE("sign_v4 signs a session token and a form body with its hash header", "[net][sigv4]") {
    // get-vanilla-with-session-token and post-sts-header-before: the token is a signed header.
    AwsCredentials with_token = kSuiteKeys;
    with_token.session_token = "6e86291e8372ff2a2260956d9b8aae1d763fbf315fa00fa31553b73ebf194267";
    SigV4Signature signed_request = sign_v4(suite_request("GET", "/"), with_token, kSuiteScope, kSuiteTime);
    CHECK(signed_request.signed_headers == "host;x-amz-date;x-amz-security-token");
    CHECK(signed_request.signature == "07ec1639c89043aa0e3e2de82b96708f198cceab042d4a97044c66dd9f74e7f8");
    CHECK(signed_request.headers.at(2) == HttpField{"X-Amz-Security-Token", with_token.session_token});

    with_token.session_token =
        "AQoDYXdzEPT//////////wEXAMPLEtc764bNrC9SAPBSM22wDOk4x4HIZ8j4FZTwdQWLWsKWHGBuFqwAeMicRXmxfpSPfIeoIYRqTflfKD8Y"
        "UuwthAx7mSEI/qkPpKPi/kMcGdQrmGdeehM4IC1NtBmUpp2wUE8phUZampKsburEDy0KPkyQDYwT7WZ0wq5VSXDvp75YU9HFvlRd8Tx6q6fE"
        "8YQcHNVXAkiY9q6d+xo0rKwT38xVqr7ZD0u0iPPkUL64lIZbqBAz+scqKmlzm8FDrypNC9Yjc8fPOLn9FX9KSYvKTr4rvx3iSIlTJabIQwj"
        "2ICCR/oLxBA==";
    CHECK(sign_v4(suite_request("POST", "/"), with_token, kSuiteScope, kSuiteTime).signature ==
          "85d96828115b5dc0cfc3bd16ad9e210dd772bbebba041836c64533a82be05ead");

    // post-x-www-form-urlencoded(-parameters), in the suite's signed-body form:
    // the body's hash is sent and signed as x-amz-content-sha256.
    for (const auto& [content_type, signature] : std::vector<std::pair<std::string, std::string>>{
             {"application/x-www-form-urlencoded", "d3875051da38690788ef43de4db0d8f280229d82040bfac253562e56c3f20e0b"},
             {"application/x-www-form-urlencoded; charset=utf-8",
              "328d1b9eaadca9f5818ef05e8392801e091653bafec24fcab71e7344e7f51422"}}) {
        SigV4Request form = suite_request("POST", "/", {}, {{"Content-Type", content_type}, {"Content-Length", "13"}});
        form.payload_sha256 = sha256_hex("Param1=value1");
        form.send_content_sha256 = true;
        CHECK(form.payload_sha256 == "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e");
        signed_request = sign_v4(form, kSuiteKeys, kSuiteScope, kSuiteTime);
        CHECK(signed_request.signed_headers == "content-length;content-type;host;x-amz-content-sha256;x-amz-date");
        CHECK(signed_request.signature == signature);
    }
}

TEST_CASE("sign_v4 reproduces the S3 documentation's four examples", "[net][sigv4]") {
    SigV4Request request;
    request.host = "examplebucket.s3.amazonaws.com";

    // GET Object, first 10 bytes.
    request.method = "GET";
    request.path = "/test.txt";
    request.headers = {{"Range", "bytes=0-9"}};
    SigV4Signature signed_request = sign_v4(request, kS3Keys, kS3Scope, kS3Time);
    CHECK(signed_request.canonical_request ==
          "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
          "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
          "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
          "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(signed_request.string_to_sign == "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
                                           "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
    CHECK(signed_request.authorization ==
          "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
          "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
          "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");

    // PUT Object: a '$' in the key, a signed body.
    request.method = "PUT";
    request.path = "/test$file.text";
    request.headers = {{"Date", "Fri, 24 May 2013 00:00:00 GMT"}, {"x-amz-storage-class", "REDUCED_REDUNDANCY"}};
    request.payload_sha256 = sha256_hex("Welcome to Amazon S3.");
    CHECK(request.payload_sha256 == "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
    signed_request = sign_v4(request, kS3Keys, kS3Scope, kS3Time);
    CHECK(encoded_path(request.path) == "/test%24file.text");
    CHECK(signed_request.signed_headers == "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class");
    CHECK(signed_request.signature == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");

    // GET Bucket Lifecycle: a parameter without a value.
    request.method = "GET";
    request.path = "/";
    request.headers.clear();
    request.payload_sha256 = kEmptyPayloadSha256;
    request.query = {{"lifecycle", ""}};
    signed_request = sign_v4(request, kS3Keys, kS3Scope, kS3Time);
    CHECK(signed_request.canonical_request.rfind("GET\n/\nlifecycle=\n", 0) == 0);
    CHECK(signed_request.signature == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");

    // Get Bucket (List Objects): parameters given out of order.
    request.query = {{"prefix", "J"}, {"max-keys", "2"}};
    signed_request = sign_v4(request, kS3Keys, kS3Scope, kS3Time);
    CHECK(encoded_query(request.query) == "max-keys=2&prefix=J");
    CHECK(signed_request.signature == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
    CHECK(signed_request.headers == std::vector<HttpField>{{"Host", "examplebucket.s3.amazonaws.com"},
                                                           {"X-Amz-Date", "20130524T000000Z"},
                                                           {"X-Amz-Content-SHA256", std::string(kEmptyPayloadSha256)},
                                                           {"Authorization", signed_request.authorization}});
}

TEST_CASE("keys and query values are encoded once, RFC 3986, each UTF-8 byte", "[net][sigv4]") {
    CHECK(encoded_path("/bucket/photos/a b+c=d%e~f.jpg") == "/bucket/photos/a%20b%2Bc%3Dd%25e~f.jpg");
    CHECK(encoded_path("/b/caf\xC3\xA9/\xE6\x97\xA5.png") == "/b/caf%C3%A9/%E6%97%A5.png");
    CHECK(encoded_path("/b/a//./../x") == "/b/a//./../x"); // S3 keys: nothing normalised
    CHECK(encoded_path("/b/already%20encoded") == "/b/already%2520encoded");
    CHECK(encoded_path("") == "/");
    CHECK(aws_uri_encode("a/b", false) == "a%2Fb");
    CHECK(aws_uri_encode("!'()*", false) == "%21%27%28%29%2A");
    // Space is %20 (never '+'), '+' and '=' and '%' in values are encoded,
    // repeated names are kept and sorted by value, empty values keep their '='.
    CHECK(encoded_query({{"prefix", "a b+c=d%"}, {"k", "2"}, {"k", "1"}, {"empty", ""}}) ==
          "empty=&k=1&k=2&prefix=a%20b%2Bc%3Dd%25");
    // Sorted by the encoded name: "%E1..." sorts before "A", "a" after "B".
    CHECK(encoded_query({{"a", "1"}, {"B", "2"}, {"\xE1\x88\xB4", "3"}}) == "%E1%88%B4=3&B=2&a=1");
    CHECK(encoded_query({}).empty());
}

TEST_CASE("header names that prefix each other sort as names, not as name:value lines", "[net][sigv4]") {
    // libcurl 7.88 sorts "x-amz-meta-a-b:…" before "x-amz-meta-a:…"; SigV4 sorts names.
    SigV4Request request;
    request.method = "PUT";
    request.host = "LocalHost:4568";
    request.path = "/b/k";
    request.headers = {{"X-Amz-Meta-A-B", "1"}, {"X-Amz-Meta-A", "2"}};
    request.payload_sha256 = std::string(kUnsignedPayload);
    const SigV4Signature signed_request = sign_v4(request, kS3Keys, kS3Scope, kS3Time);
    CHECK(signed_request.signed_headers == "host;x-amz-content-sha256;x-amz-date;x-amz-meta-a;x-amz-meta-a-b");
    CHECK(signed_request.canonical_request.find("host:localhost:4568\n") != std::string::npos);
    CHECK(signed_request.headers.front() == HttpField{"Host", "localhost:4568"});
    CHECK(signed_request.canonical_request.find("x-amz-content-sha256:UNSIGNED-PAYLOAD\n") != std::string::npos);
    CHECK(signed_request.canonical_request.substr(signed_request.canonical_request.rfind('\n') + 1) ==
          "UNSIGNED-PAYLOAD");
}

TEST_CASE("a request the signer cannot sign honestly is a bug named without secrets", "[net][sigv4]") {
    const auto message_of = [](const SigV4Request& request, const AwsCredentials& keys) {
        try {
            sign_v4(request, keys, kS3Scope, kS3Time);
        } catch (const pgscrub::common::Error& e) {
            CHECK(e.kind() == pgscrub::common::ErrorKind::Internal);
            return std::string(e.what());
        }
        FAIL("no error");
        return std::string();
    };
    SigV4Request request;
    request.method = "GET";
    request.host = "h";
    request.headers = {{"X-Amz-Meta-Note", "line\r\nInjected: secretvalue"}};
    std::string message = message_of(request, kS3Keys);
    CHECK(message.find("x-amz-meta-note") != std::string::npos);
    CHECK(message.find("secretvalue") == std::string::npos);

    request.headers = {{"x-amz-date", "20130524T000000Z"}};
    CHECK(message_of(request, kS3Keys).find("set by the signer") != std::string::npos);
    request.headers = {{"Bad Name", "x"}};
    CHECK(message_of(request, kS3Keys).find("not an HTTP token") != std::string::npos);
    request.headers.clear();
    request.path = "relative";
    CHECK(message_of(request, kS3Keys).find("'/'") != std::string::npos);

    request.path = "/";
    AwsCredentials bad = kS3Keys;
    bad.access_key_id = "AKIA/EXAMPLE";
    message = message_of(request, bad);
    CHECK(message.find("AKIA/EXAMPLE") == std::string::npos);
    CHECK(message.find(kS3Keys.secret_access_key) == std::string::npos);
}

TEST_CASE("Sha256 fed in pieces equals one sha256_hex", "[net][sigv4]") {
    Sha256 hash;
    hash.update(std::string_view("Welcome to "));
    hash.update(std::string_view("Amazon S3."));
    CHECK(hash.finish_hex() == sha256_hex("Welcome to Amazon S3."));
    CHECK(sha256_hex("") == kEmptyPayloadSha256);
    CHECK(aws_timestamp(kS3Time) == "20130524T000000Z");
}
