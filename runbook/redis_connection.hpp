#pragma once
// One connection to a Redis server, plain (hiredis) or over TLS (OpenSSL,
// with hiredis only framing commands and parsing replies: Debian 12's
// hiredis 0.14 has no TLS of its own). The runbook's cache flush talks
// through it; nothing here knows what the commands mean.

#include "common/secret_masking.hpp"

#include <hiredis/hiredis.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace pgscrub::runbook {

// redis://[[user]:password@]host[:port][/db]   (db also as ?db=N; other
// query parameters are ignored). Defaults: host localhost, port 6379, db 0.
// rediss:// is the same over TLS (Heroku Key-Value Store accepts nothing
// else); unix:// is refused.
struct RedisAddress {
    bool tls = false; // rediss://
    std::string host = "localhost";
    int port = 6379;
    std::string user;     // Redis 6 ACL user; empty for the default user
    std::string password; // decoded
    bool has_password = false;
    int database = 0;
    common::ShownText shown; // common::shown_url(url): for messages and errors
};

// TLS for rediss://. The server's certificate must chain to the system's CAs
// (or to `ca_file`) and be issued for the URL's host (a name, or an IP
// address), unless `verify` is false — Heroku's Key-Value Store presents a
// self-signed certificate, so its run files say tls_verify: false.
struct RedisTls {
    bool verify = true;
    std::string ca_file; // PEM bundle to verify against instead of the system's CAs
};

struct RedisReplyFree {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RedisReplyPtr = std::unique_ptr<redisReply, RedisReplyFree>;

class RedisConnection {
public:
    virtual ~RedisConnection() = default;
    // One command, its words passed as they are (binary-safe). An error
    // reply is returned for the caller to judge; a lost connection or no
    // answer within the timeout throws dump::ArchiveError naming the masked
    // address.
    virtual RedisReplyPtr command(const std::vector<std::string>& words) = 0;
};

// Connects within `timeout` (which also bounds each reply). Throws
// dump::ArchiveError naming the masked address and the reason: refused,
// timed out, a TLS handshake or certificate that fails verification.
std::unique_ptr<RedisConnection> connect_redis(const RedisAddress& address, const RedisTls& tls,
                                               std::chrono::seconds timeout);

} // namespace pgscrub::runbook
