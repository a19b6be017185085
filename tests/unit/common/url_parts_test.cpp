// URLs in messages: describe_url() must never show user info, a query string
// (where signed backup URLs keep their credentials) or a fragment, whatever
// the URL looks like; and the parts handed to servers must be decoded right.

#include "common/url_parts.hpp"

#include <catch2/catch.hpp>

using namespace pgscrub::common;

TEST_CASE("describe_url hides a signed URL's query string", "[url]") {
    const std::string signed_url =
        "https://xfrtu.s3.amazonaws.com/2b3c/2024-05-01T00%3A00%3A00Z/site.dump"
        "?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20240501%2Fus-east-1%2Fs3%2Faws4_request"
        "&X-Amz-Date=20240501T000000Z&X-Amz-Expires=3600&X-Amz-SignedHeaders=host&X-Amz-Signature=0123456789abcdef";
    const std::string shown = describe_url(signed_url);
    CHECK(shown == "https://xfrtu.s3.amazonaws.com/2b3c/2024-05-01T00%3A00%3A00Z/site.dump?***");
    CHECK(shown.find("AKIAEXAMPLE") == std::string::npos);
    CHECK(shown.find("0123456789abcdef") == std::string::npos);
}

TEST_CASE("describe_url hides user info, keeps host, port and path", "[url]") {
    CHECK(describe_url("https://user:pa%40ss@host.example:8443/b/site.dump") == "https://***@host.example:8443/b/site.dump");
    CHECK(describe_url("https://user@host/x") == "https://***@host/x");
    CHECK(describe_url("https://:secret@host") == "https://***@host");
    // A raw '@' in the password: user info ends at the last '@' of the authority.
    CHECK(describe_url("https://us@er:p@ss@host/x") == "https://***@host/x");
    CHECK(describe_url("redis://:secret@127.0.0.1:6379/2") == "redis://***@127.0.0.1:6379/2");
}

TEST_CASE("describe_url hides fragments, and a '?' inside one", "[url]") {
    CHECK(describe_url("https://host/x#token=abc") == "https://host/x#***");
    CHECK(describe_url("https://host/x?a=1#frag") == "https://host/x?***#***");
    CHECK(describe_url("https://host/x#frag?notquery") == "https://host/x#***");
    CHECK(describe_url("https://host?q=1") == "https://host?***");
    CHECK(describe_url("https://host/x?") == "https://host/x"); // nothing to hide
}

TEST_CASE("describe_url keeps IPv6 hosts whole", "[url]") {
    CHECK(describe_url("http://[::1]:8080/site.dump?token=abc") == "http://[::1]:8080/site.dump?***");
    CHECK(describe_url("http://u:p@[2001:db8::1]/x#f") == "http://***@[2001:db8::1]/x#***");
    CHECK(describe_url("http://[fe80::1%25eth0]/x") == "http://[fe80::1%25eth0]/x");
}

TEST_CASE("describe_url shows only the scheme of a URL it cannot split", "[url]") {
    // A password with a raw '/', '?' or '#' ends the authority early; what
    // follows the ':' is then no port, and may be secret.
    CHECK(describe_url("https://user:pa/ss@host/x") == "https://***");
    CHECK(describe_url("https://user:p?ss@host/") == "https://***");
    CHECK(describe_url("https://user:p#ss@host/") == "https://***");
    CHECK(describe_url("https://[::1/x?sig=1") == "https://***");
    CHECK(describe_url("https://[::1]x/") == "https://***");
    // An '@' after the authority may end such a password; what looks like the
    // host ("ss") and the path are then pieces of it.
    CHECK(describe_url("redis://:wrong-p@ss/pw-secret@127.0.0.1:6379/1") == "redis://***");
    CHECK(describe_url("https://user:12?34@host/x") == "https://***");
    CHECK(describe_url("https://user:12#34@host/x") == "https://***");
    // ... which hides a legitimate '@' in a path too: safe over pretty.
    CHECK(describe_url("https://host/people/a@b.dump") == "https://***");
    CHECK(describe_url("https://host/people/a%40b.dump") == "https://host/people/a%40b.dump");
}

TEST_CASE("describe_url leaves file names and stdin alone", "[url]") {
    CHECK(describe_url("backups/site.dump") == "backups/site.dump");
    CHECK(describe_url("-") == "-");
    CHECK(describe_url("/tmp/a?b") == "/tmp/a?b");
    CHECK(describe_url("") == "");
    CHECK(describe_url("HTTPS://Host/X?y=1") == "https://Host/X?***"); // the scheme in lower case
}

TEST_CASE("parse_url splits and decodes the parts a server needs", "[url]") {
    UrlParts p;
    REQUIRE(parse_url("redis://default:p%40ss%3Aword@[::1]:6380/3?db=1#f", p));
    CHECK(p.scheme == "redis");
    CHECK(p.has_user_info);
    CHECK(p.user == "default");
    CHECK(p.has_password);
    CHECK(p.password == "p@ss:word");
    CHECK(p.host == "::1");
    CHECK(p.ipv6);
    CHECK(p.port == "6380");
    CHECK(p.path == "/3");
    CHECK(p.query == "db=1");
    CHECK(p.fragment == "f");

    REQUIRE(parse_url("https://host", p));
    CHECK(p.host == "host");
    CHECK_FALSE(p.has_user_info);
    CHECK(p.port.empty());
    CHECK(p.path.empty());

    REQUIRE(parse_url("redis://", p));
    CHECK(p.host.empty());

    CHECK_FALSE(parse_url("host:80/x", p));
    CHECK_FALSE(parse_url("https://host:http/", p));
}

TEST_CASE("is_http_url and percent_decode", "[url]") {
    CHECK(is_http_url("http://h/x"));
    CHECK(is_http_url("HTTPS://h/x"));
    CHECK_FALSE(is_http_url("ftp://h/x"));
    CHECK_FALSE(is_http_url("http:/h"));
    CHECK_FALSE(is_http_url("httpsx://h"));
    CHECK_FALSE(is_http_url("site.dump"));
    CHECK(percent_decode("a%2Fb%40c") == "a/b@c");
    CHECK(percent_decode("100%") == "100%");
    CHECK(percent_decode("%zz%4") == "%zz%4");
}
