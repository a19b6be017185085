#pragma once
// URLs split into their parts. Signed backup URLs (S3 pre-signed, `heroku
// pg:backups:url`) carry credentials in the query string, and service URLs
// (redis://:password@host) in the user info: how such a URL is shown is the
// masker's job (common/secret_masking.hpp).

#include <string>
#include <string_view>

namespace pgscrub::common {

// scheme://[user[:password]@]host[:port][/path][?query][#fragment]
// The parts are as written (not percent-decoded), except user and password,
// which are decoded because they are handed to a server, never shown.
struct UrlParts {
    std::string scheme;  // lower case: "https"
    bool has_user_info = false;
    std::string user;     // decoded
    bool has_password = false;
    std::string password; // decoded
    std::string host;     // as written; an IPv6 address without its brackets
    bool ipv6 = false;
    std::string port;     // digits, or empty
    std::string path;     // from the first '/' after the authority, or empty
    std::string query;    // without the '?'
    std::string fragment; // without the '#'
};

// Splits `text`; false when it is not scheme://authority... or the authority
// is not host[:port] (a password holding a raw '/', '?' or '#' looks like
// that). Does not validate the host name itself.
bool parse_url(std::string_view text, UrlParts& parts);

// Length of "scheme://" at the start of `text`, or 0: a scheme is a letter
// followed by letters, digits, '+', '-' or '.' (RFC 3986 §3.1).
std::size_t url_scheme_length(std::string_view text);

// shown_url(text) as a plain string, for the callers that build plain
// strings (scrub/, report/, dump/ until they take a ShownText).
std::string describe_url(std::string_view text);

// True for http:// and https:// (any case): inputs streamed over the network.
bool is_http_url(std::string_view text);

// %XX decoding; a '%' not followed by two hex digits is kept as is.
std::string percent_decode(std::string_view text);

} // namespace pgscrub::common
