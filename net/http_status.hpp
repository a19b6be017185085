#pragma once
// One GET whose answer is its status: the runbook's check_url step asks a
// site whether it serves the expected page after a reset. The body is read
// and dropped. The request follows net/curl_policy.hpp (TLS verified, http
// and https only, an https URL never redirected to http).

#include <chrono>
#include <string>

namespace pgscrub::net {

struct HttpStatus {
    long status = 0;                      // of the last response
    std::chrono::milliseconds elapsed{0}; // the whole exchange, redirects included
    std::string redirect_to;              // a 3xx's Location when not followed, through describe_url()
};

// GETs `url` within `timeout`. Redirects are followed only when asked (at
// most 10), so a 301 itself can be checked. Failing to get any response (not
// an http(s) URL, no connection, TLS, timeout) is a common::Error of kind
// Network, naming the URL through describe_url() and giving libcurl's reason
// with the URL's secrets masked.
HttpStatus get_status(const std::string& url, std::chrono::seconds timeout, bool follow_redirects);

} // namespace pgscrub::net
