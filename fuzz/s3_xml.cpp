// S3's XML replies (media/s3_xml.hpp): the same bytes as a ListObjectsV2
// page, as an <Error> document and as a url-encoded key. Each either fails
// with S3XmlError — one line, quoting nothing of the reply — or gives a
// result that holds its contract: every listed key is non-empty, a truncated
// page has a continuation token, and the page written back as S3 would send
// it (keys url-encoded) parses to the same page. A key encoded as S3 encodes
// it decodes to itself.

#include "media/s3_xml.hpp"
#include "fuzz/fuzz_support.hpp"
#include "media/s3_multipart.hpp"

#include <string>

using namespace pgscrub;

namespace {

// What an S3XmlError says is fixed text with a line and column: never the
// reply's bytes (a key may be personal).
void check_error(const media::S3XmlError& error) {
    std::string_view what = error.what();
    PGSCRUB_FUZZ_EXPECT(!what.empty());
    PGSCRUB_FUZZ_EXPECT(what.find('\n') == std::string_view::npos);
}

std::string url_encode(std::string_view text) {
    static const char* hex = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : text) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
            c == '_' || c == '~' || c == '/') {
            out.push_back(static_cast<char>(c));
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

std::string as_listing(const media::S3ListPage& page) {
    std::string xml = "<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
                      "<EncodingType>url</EncodingType><IsTruncated>";
    xml += page.truncated ? "true" : "false";
    xml += "</IsTruncated>";
    if (!page.next_continuation_token.empty()) {
        xml += "<NextContinuationToken>" + media::xml_escape_text(page.next_continuation_token) +
               "</NextContinuationToken>";
    }
    for (const media::S3ListedObject& object : page.objects) {
        xml += "<Contents><Key>" + url_encode(object.key) + "</Key><ETag>" + media::xml_escape_text(object.etag) +
               "</ETag><Size>" + std::to_string(object.size) + "</Size></Contents>";
    }
    return xml + "</ListBucketResult>";
}

void check_listing(std::string_view input) {
    media::S3ListPage page;
    try {
        page = media::parse_list_page(input);
    } catch (const media::S3XmlError& error) {
        check_error(error);
        return;
    }
    for (const media::S3ListedObject& object : page.objects) PGSCRUB_FUZZ_EXPECT(!object.key.empty());
    PGSCRUB_FUZZ_EXPECT(!page.truncated || !page.next_continuation_token.empty());
    media::S3ListPage again;
    try {
        again = media::parse_list_page(as_listing(page));
    } catch (const media::S3XmlError&) {
        PGSCRUB_FUZZ_EXPECT(!"a listing written back parses");
    }
    PGSCRUB_FUZZ_EXPECT(again.truncated == page.truncated);
    PGSCRUB_FUZZ_EXPECT(again.next_continuation_token == page.next_continuation_token);
    PGSCRUB_FUZZ_EXPECT(again.objects.size() == page.objects.size());
    for (std::size_t i = 0; i < page.objects.size(); ++i) {
        PGSCRUB_FUZZ_EXPECT(again.objects[i].key == page.objects[i].key);
        PGSCRUB_FUZZ_EXPECT(again.objects[i].etag == page.objects[i].etag);
        PGSCRUB_FUZZ_EXPECT(again.objects[i].size == page.objects[i].size);
    }
}

void check_error_reply(std::string_view input) {
    try {
        (void)media::parse_error_reply(input);
    } catch (const media::S3XmlError& error) {
        check_error(error);
    }
}

void check_key(std::string_view input) {
    try {
        std::string key = media::url_decode_key(input);
        PGSCRUB_FUZZ_EXPECT(key.size() <= input.size());
    } catch (const media::S3XmlError& error) {
        check_error(error);
    }
    PGSCRUB_FUZZ_EXPECT(media::url_decode_key(url_encode(input)) == input);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view input = fuzz::as_text(data, size);
    check_listing(input);
    check_error_reply(input);
    check_key(input);
    return 0;
}
