#pragma once
// URLs split into their parts, and shown safely. Signed backup URLs (S3
// pre-signed, `heroku pg:backups:url`) carry credentials in the query string,
// and service URLs (redis://:password@host) in the user info: every message,
// error and log line that names such a URL goes through describe_url().

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

// The URL as it may be shown: user info replaced by "***", a non-empty query
// by "?***", a non-empty fragment by "#***"; scheme, host, port and path kept
// so the reader still knows which server and object were meant:
//   https://user:pw@host:8443/b/site.dump?X-Amz-Signature=abc
//   -> https://***@host:8443/b/site.dump?***
// Text without a "scheme://" prefix (a file name, "-") is returned unchanged.
// A URL whose authority cannot be parsed, or with an '@' after its authority
// (the rest of a password holding a raw '/', '?' or '#'), shows only its
// scheme: "https://***".
std::string describe_url(std::string_view text);

// Removes the secrets of `url` from `text`, a message that came from
// elsewhere (a libcurl error, a server's reply) and may quote the URL or parts
// of it: the URL itself becomes describe_url(url); its query string, each
// query value and its password (as written and decoded) become "***". Pieces
// shorter than 4 characters are left, as replacing them would garble the
// message while hiding nothing a guess would not find.
std::string redact_url_secrets(std::string text, std::string_view url);

// True for http:// and https:// (any case): inputs streamed over the network.
bool is_http_url(std::string_view text);

// %XX decoding; a '%' not followed by two hex digits is kept as is.
std::string percent_decode(std::string_view text);

} // namespace pgscrub::common
