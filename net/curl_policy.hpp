#pragma once
// The one policy every libcurl request of pgscrub follows: the streamed dump
// (net/http_input) and the runbook's page check (net/http_status) both set
// their handles up here, so what is trusted and where a request may be sent
// cannot drift between them. For net/'s own .cpp files: it exposes libcurl,
// which no other layer links.
//
//   protocols   http and https only (no file://, ftp://, ... from a URL or a redirect)
//   redirects   followed only when asked, at most max_redirects, and from an
//               https URL to https only: TLS is never downgraded on the way
//   TLS         the peer's certificate and host name are always verified,
//               against ca_file when given, else the system's CAs
//   signals     none from libcurl's resolver: the process's handlers (Ctrl-C
//               removes partial output) stay in charge
// libcurl drops credentials from the URL on a redirect to another host by
// default (CURLOPT_UNRESTRICTED_AUTH is never set).

#include <curl/curl.h>

#include <string>

namespace pgscrub::net {

struct RequestPolicy {
    bool https = true; // the request URL's scheme
    bool follow_redirects = true;
    long max_redirects = 10;
    std::string ca_file; // a PEM file to trust instead of the system's CAs
};

// libcurl's process-wide setup, done once. Call it before any other libcurl
// function (curl_global_init is not thread-safe on its own).
void initialise_curl();

// Sets the policy's options on `easy`. False when libcurl refuses one, which
// is then stored in `refused` if given.
[[nodiscard]] bool apply_policy(CURL* easy, const RequestPolicy& policy, CURLoption* refused = nullptr);

} // namespace pgscrub::net
