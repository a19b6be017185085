#pragma once
// An input streamed from an http(s) URL, such as the signed S3 URL of a
// production backup (`heroku pg:backups:url`), so a dump can be scrubbed as it
// downloads: no copy of the unscrubbed data on disk, and only a bounded
// buffer of it in memory.
//
// The download is driven from read_raw() (libcurl's multi interface, no
// thread): nothing is fetched while the consumer is busy, so a slow
// pg_restore downstream holds the server back through TCP flow control
// instead of filling memory.
//
// Everything that would make the bytes differ from the file on the server is
// an ArchiveError (exit 3), never a short stream that could pass for a
// smaller archive: an HTTP status other than 2xx (with S3's error code and
// message when the body holds one), a connection or TLS failure, a body that
// ends before its Content-Length or before the end of its chunked encoding,
// a stall below the low-speed limit, too many redirects.
//
// The stream's name(), and every message it produces, show the URL through
// common::shown_url(): no user info, no query string (where a signed URL keeps
// its credentials).

#include "common/byte_stream.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

namespace pgscrub::net {

struct HttpInputOptions {
    // Resolving and connecting (TCP and TLS), per attempt.
    std::chrono::seconds connect_timeout{30};
    // A download slower than low_speed_limit bytes per second for
    // low_speed_time fails rather than hanging the run forever. Time spent
    // waiting for the consumer does not count against it.
    long low_speed_limit = 1024;
    std::chrono::seconds low_speed_time{60};
    // Redirects followed (S3 and CDNs redirect); an https URL is only ever
    // redirected to https. Credentials in the URL are not sent to another host
    // (net/curl_policy.hpp, the policy every request follows).
    long max_redirects = 10;
    // A PEM file of certificates to trust instead of the system's (a backup
    // server behind a private CA). TLS is always verified.
    std::string ca_file;
};

class HttpInput final : public common::InputStream {
public:
    // Starts nothing yet: the request goes out on the first read, and its
    // errors surface there. `url` must satisfy is_http_url().
    static std::unique_ptr<HttpInput> open(const std::string& url, const HttpInputOptions& options = {});
    ~HttpInput() override;

    // Body bytes received so far (including any not yet read from the stream).
    std::uint64_t bytes_received() const;

private:
    struct Transfer;
    explicit HttpInput(std::unique_ptr<Transfer> transfer);
    std::size_t read_raw(char* buffer, std::size_t size) override;

    std::unique_ptr<Transfer> transfer_;
};

} // namespace pgscrub::net
