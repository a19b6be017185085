#pragma once
// One HTTP request on libcurl, under the one policy (net/curl_policy.hpp):
// what the S3 store (media/s3_store) sends — a ListObjectsV2 page, a HEAD, a
// GET streamed to a sink, a PUT streamed from a file, a CopyObject, a DELETE.
//
// The caller builds and signs the request (net/aws_sigv4.hpp); this sends it
// as given and hands back the status, the headers and the body. An HTTP
// status is not an error here (the caller knows what a 404 means); failing
// to get one — a connection refused, a TLS failure, a timeout, a body cut
// short — is common::Error of kind Network (exit 3), naming the URL only as
// common::shown_url() shows it, never a header (where the signature is).
//
// Retries: a request marked idempotent whose body can be replayed (none, in
// memory, or a streamed body with a rewind) is retried on 500, 503 (S3's
// SlowDown) and on connection errors and timeouts, at most max_attempts
// times in all, waiting base_delay·2^n (capped at max_delay) with full
// jitter in between. A response whose body has begun to reach the caller's
// sink is never retried: the sink cannot take the bytes back. See
// docs/media.md, "Transfers".

#include "common/byte_stream.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::net {

struct HttpRequest {
    std::string method = "GET"; // "HEAD" sends no body and expects none
    std::string url;            // http(s); encoded as it is to be sent
    std::vector<std::pair<std::string, std::string>> headers;

    // The body: nothing, `body` in memory, or `read_body` streamed with a
    // known `body_size` (read_body fills the buffer and returns how much; 0
    // only at the end). `rewind_body`, when given, restarts the stream so
    // that the request can be retried.
    std::optional<std::string> body;
    std::function<std::size_t(char* buffer, std::size_t size)> read_body;
    std::uint64_t body_size = 0;
    std::function<void()> rewind_body;

    bool idempotent = true; // GET, HEAD, PUT and DELETE of S3 are
    // A clean-up that must go out after Ctrl-C too (AbortMultipartUpload, so
    // that no parts are left stored): Ctrl-C does not stop it; give it short
    // timeouts instead.
    bool survives_interrupt = false;
    int max_attempts = 4;
    std::chrono::milliseconds base_delay{200};
    std::chrono::milliseconds max_delay{5000};

    std::chrono::seconds connect_timeout{30};
    // Slower than low_speed_limit bytes per second for low_speed_time: a
    // timeout (retried like one).
    long low_speed_limit = 1024;
    std::chrono::seconds low_speed_time{60};
    std::string ca_file; // a PEM file to trust instead of the system's CAs
};

struct HttpResponse {
    long status = 0;
    std::vector<std::pair<std::string, std::string>> headers; // names in lower case, of the final response
    // The body when no sink was given, or when the status was not 2xx (the
    // first 64 KiB: enough for an S3 <Error>).
    std::string body;
    int attempts = 0;

    // The value of header `name` (lower case), or "".
    std::string header(std::string_view name) const;
};

// Sends `request`; a 2xx response's body goes to `sink` when one is given.
// Throws common::Error (Network) when no complete response was received
// after the attempts allowed, and (Interrupted) on Ctrl-C between attempts.
HttpResponse http_request(const HttpRequest& request, common::ByteSink* sink = nullptr);

// True for the statuses worth retrying (500, 503).
bool retryable_status(long status);

} // namespace pgscrub::net
