#pragma once
// What a runbook does to the site around the database once the data is in
// place: empty the application cache, so no page rendered from the old data
// is served, and fetch a page to see the site answer as expected.
//
// Plain functions with no output of their own: the caller (the runbook)
// prints and reports. Failures are common::Error of kind Network (exit 3),
// one line, naming the address as common::shown_url() shows it — never a
// password or a query string.

#include "runbook/redis_connection.hpp"

#include <chrono>
#include <string>

namespace pgscrub::runbook {

// Throws common::Error naming the masked URL and what is wrong.
RedisAddress parse_redis_url(const std::string& url);

struct RedisFlushResult {
    std::string address; // masked, as common::shown_url() shows it
    int database = 0;
    long long keys_before = 0; // DBSIZE just before the flush
};

// Connects (`timeout` for the connection and for each reply), AUTHs when the
// URL has a password (AUTH user password for an ACL user; for a server older
// than Redis 6, which knows no users, AUTH password alone — old Heroku URLs
// carry the placeholder user "h"), SELECTs the database, counts its keys and
// empties it with FLUSHDB ASYNC (plain FLUSHDB before Redis 4). Only that
// database is emptied; the server's other databases are left alone.
//
// rediss:// speaks TLS (runbook/redis_connection.hpp): the certificate is
// verified, for the URL's host, unless `tls` says not to.
RedisFlushResult flush_redis(const std::string& url, std::chrono::seconds timeout = std::chrono::seconds{10},
                             const RedisTls& tls = {});

struct CheckResult {
    std::string url;            // masked, as common::shown_url() shows it
    long status = 0;            // the HTTP status of the last response
    long expected_status = 0;
    std::chrono::milliseconds elapsed{0}; // the whole exchange, redirects included
    std::string redirect_to;    // a 3xx's Location, masked, when not followed
    bool matches() const { return status == expected_status; }
    // "https://staging.example.org/: HTTP 404, expected 200, in 0.12 s"
    std::string summary() const;
};

// GETs `url` (the body is read and dropped) within `timeout` and returns the
// status; the caller decides what a mismatch means. Redirects are not
// followed unless asked, so `status: 301` can be checked; followed, at most
// 10, and an https URL is never redirected to http. TLS certificates are
// verified. A failure to get any response (no connection, TLS, timeout) is a
// common::Error (Network) with libcurl's reason. The request itself is
// net::get_status (net/http_status.hpp), under net/'s one TLS and redirect
// policy.
CheckResult check_url(const std::string& url, long expected_status, std::chrono::seconds timeout,
                      bool follow_redirects = false);

} // namespace pgscrub::runbook
