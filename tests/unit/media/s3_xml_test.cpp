// S3's XML replies: ListObjectsV2 pages (continuation, url-encoded keys
// decoded only when the reply says so) and <Error> documents, including the
// one CopyObject sends inside a 200 OK.

#include "media/s3_xml.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub::media;

namespace {

const char* kTruncatedPage = R"(<?xml version="1.0" encoding="UTF-8"?>
<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">
  <Name>media-staging</Name><Prefix>original_images/</Prefix><KeyCount>2</KeyCount><MaxKeys>1000</MaxKeys>
  <EncodingType>url</EncodingType>
  <IsTruncated>true</IsTruncated>
  <NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>
  <Contents><Key>original_images/a+b%2Bc%3Dd%25e.jpg</Key><LastModified>2026-01-01T00:00:00.000Z</LastModified>
    <ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag><Size>434234</Size><StorageClass>STANDARD</StorageClass></Contents>
  <Contents><Key>original_images/%C3%BCn%C3%AFcode%20%E2%98%83.png</Key><ETag>"e2"</ETag><Size>0</Size></Contents>
</ListBucketResult>)";

} // namespace

TEST_CASE("S3 listing: a truncated page with url-encoded keys", "[media][s3]") {
    S3ListPage page = parse_list_page(kTruncatedPage);
    REQUIRE(page.objects.size() == 2);
    CHECK(page.objects[0].key == "original_images/a b+c=d%e.jpg");
    CHECK(page.objects[0].size == 434234);
    CHECK(page.objects[0].etag == "\"9b2cf535f27731c974343645a3985328\"");
    CHECK(page.objects[1].key == "original_images/ünïcode ☃.png");
    CHECK(page.objects[1].size == 0);
    CHECK(page.truncated);
    CHECK(page.next_continuation_token == "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
}

TEST_CASE("S3 listing: keys are decoded only when the reply says they are encoded", "[media][s3]") {
    // A server that ignores encoding-type=url sends keys as they are: a '+'
    // or '%' in them is part of the name.
    S3ListPage page = parse_list_page(R"(<ListBucketResult><IsTruncated>false</IsTruncated>
        <Contents><Key>a+b%20c.jpg</Key><ETag>"x"</ETag><Size>1</Size></Contents></ListBucketResult>)");
    REQUIRE(page.objects.size() == 1);
    CHECK(page.objects[0].key == "a+b%20c.jpg");
    CHECK_FALSE(page.truncated);
}

TEST_CASE("S3 listing: the same page parses the same whatever the text split", "[media][s3]") {
    // expat hands character data over in pieces (entities split a key):
    // collected pieces make the same key.
    S3ListPage page = parse_list_page(R"(<ListBucketResult><IsTruncated>false</IsTruncated>
        <Contents><Key>a&amp;b&lt;c&gt;.jpg</Key><ETag>&quot;q&quot;</ETag><Size>7</Size></Contents></ListBucketResult>)");
    REQUIRE(page.objects.size() == 1);
    CHECK(page.objects[0].key == "a&b<c>.jpg");
    CHECK(page.objects[0].etag == "\"q\"");
}

TEST_CASE("S3 listing: replies that are not a listing are errors that quote nothing", "[media][s3][errors]") {
    for (const char* bad : {"", "<ListBucketResult><Contents><Key>a</Key><Size>x1</Size></Contents></ListBucketResult>",
                            "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
                            "<ListBucketResult><Contents><Size>1</Size></Contents></ListBucketResult>",
                            "<Other/>", "<ListBucketResult><Contents><Key>secret-key-name",
                            "<ListBucketResult><EncodingType>url</EncodingType><Contents><Key>a%G1</Key><Size>1</Size></Contents></ListBucketResult>"}) {
        INFO(bad);
        try {
            parse_list_page(bad);
            FAIL("no error");
        } catch (const S3XmlError& error) {
            CHECK(std::string(error.what()).find("secret-key-name") == std::string::npos);
        }
    }
}

TEST_CASE("S3 errors: an <Error> document, also inside a 200 OK, and other documents", "[media][s3]") {
    auto error = parse_error_reply(R"(<?xml version="1.0" encoding="UTF-8"?>
<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message><RequestId>4442587FB7D0A2F9</RequestId></Error>)");
    REQUIRE(error);
    CHECK(error->code == "SlowDown");
    CHECK(error->message == "Please reduce your request rate.");
    CHECK_FALSE(parse_error_reply(R"(<CopyObjectResult><LastModified>2026-01-01T00:00:00Z</LastModified><ETag>"e"</ETag></CopyObjectResult>)"));
    CHECK_FALSE(parse_error_reply(""));
    CHECK_FALSE(parse_error_reply("  \n"));
    CHECK_THROWS_AS(parse_error_reply("<Error><Code>x"), S3XmlError);
}

TEST_CASE("S3 multipart replies: the one field they carry, or a named problem", "[media][s3]") {
    CHECK(parse_reply_field(R"(<?xml version="1.0"?><InitiateMultipartUploadResult xmlns="x"><Bucket>b</Bucket>)"
                            R"(<Key>k</Key><UploadId>VXBsb2FkIElE</UploadId></InitiateMultipartUploadResult>)",
                            "InitiateMultipartUploadResult", "UploadId") == "VXBsb2FkIElE");
    CHECK(parse_reply_field("<CopyPartResult><LastModified>2026-01-01T00:00:00Z</LastModified>"
                            "<ETag>&quot;b92f&quot;</ETag></CopyPartResult>",
                            "CopyPartResult", "ETag") == "\"b92f\"");
    CHECK_THROWS_AS(parse_reply_field("<Error><Code>InternalError</Code></Error>", "CopyPartResult", "ETag"),
                    S3XmlError);
    CHECK_THROWS_AS(parse_reply_field("<CopyPartResult></CopyPartResult>", "CopyPartResult", "ETag"), S3XmlError);
    CHECK_THROWS_AS(parse_reply_field("<CopyPartResult><ETag>", "CopyPartResult", "ETag"), S3XmlError);
}
