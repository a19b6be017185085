#include "runbook/site_checks.hpp"

#include "common/secret_masking.hpp"
#include "common/error.hpp"
#include "common/url_parts.hpp"
#include "net/http_status.hpp"

#include <charconv>
#include <cstdio>
#include <memory>
#include <utility>
#include <vector>

namespace pgscrub::runbook {

namespace {

[[noreturn]] void fail(const common::ShownText& shown, const std::string& what) {
    throw common::Error(common::ErrorKind::Network, what, shown);
}

// A whole decimal number in [low, high], or false.
bool parse_int(std::string_view text, int low, int high, int& value) {
    if (text.empty()) return false;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc{} && end == text.data() + text.size() && value >= low && value <= high;
}

bool is_error(const redisReply& reply) { return reply.type == REDIS_REPLY_ERROR; }
std::string reply_text(const redisReply& reply) { return std::string(reply.str ? reply.str : "", reply.len); }

// An error reply, as a message: Redis's own words, and what to do about the
// usual ones.
[[noreturn]] void fail_with_reply(const RedisAddress& address, const std::string& url, const std::string& command,
                                  const redisReply& reply) {
    std::string text = common::mask_secrets(reply_text(reply), common::KnownSecrets::of_url(url)).str();
    std::string message = command + " failed: " + text;
    if (text.starts_with("NOAUTH")) message += " — give the password in the URL: redis://:PASSWORD@host:port/db";
    if (text.starts_with("WRONGPASS") || text.find("invalid password") != std::string::npos) {
        message += " — check the password (and user) in the URL";
    }
    fail(address.shown, message);
}

} // namespace

RedisAddress parse_redis_url(const std::string& url) {
    RedisAddress address;
    address.shown = common::shown_url(url);
    common::UrlParts parts;
    // An '@' after the authority: a password with a raw '/', '?' or '#' cut
    // the authority short, and the "path" is the rest of it.
    if (!common::parse_url(url, parts) || (parts.path + parts.query + parts.fragment).find('@') != std::string::npos) {
        fail(address.shown, "not a Redis URL: expected redis://[[user]:password@]host[:port][/db] "
                            "(percent-encode '/', '?', '#' and '@' inside a password)");
    }
    if (parts.scheme == "unix") fail(address.shown, "unix:// Redis sockets are not supported; give redis://host:port/db");
    if (parts.scheme != "redis" && parts.scheme != "rediss") {
        fail(address.shown, "not a Redis URL: expected redis:// or rediss://[[user]:password@]host[:port][/db]");
    }
    address.tls = parts.scheme == "rediss";

    if (!parts.host.empty()) address.host = parts.host;
    if (!parts.port.empty() && !parse_int(parts.port, 1, 65535, address.port)) {
        fail(address.shown, "port \"" + parts.port + "\" is not a TCP port (1-65535)");
    }
    address.user = parts.user;
    address.password = parts.password;
    address.has_password = parts.has_password && !parts.password.empty();

    std::string_view db = parts.path;
    if (!db.empty()) db.remove_prefix(1); // the '/'
    std::string_view query = parts.query;
    while (!query.empty()) {
        std::size_t amp = std::min(query.find('&'), query.size());
        std::string_view pair = query.substr(0, amp);
        if (pair.starts_with("db=")) {
            if (!db.empty()) fail(address.shown, "the database is given twice, in the path and as ?db=");
            db = pair.substr(3);
        }
        query.remove_prefix(std::min(amp + 1, query.size()));
    }
    // Redis's default is 16 databases, but servers may have more.
    if (!db.empty() && !parse_int(db, 0, 1'000'000, address.database)) {
        // Not echoed: in a mistyped URL the path may be a piece of the password.
        fail(address.shown, "the database is not a number: give redis://host:port/N");
    }
    return address;
}

RedisFlushResult flush_redis(const std::string& url, std::chrono::seconds timeout, const RedisTls& tls) {
    RedisAddress address = parse_redis_url(url);
    std::unique_ptr<RedisConnection> connection = connect_redis(address, tls, timeout);
    RedisConnection& c = *connection;
    if (address.has_password) {
        RedisReplyPtr reply = address.user.empty() ? c.command({"AUTH", address.password})
                                                   : c.command({"AUTH", address.user, address.password});
        // Before Redis 6 there are no users: AUTH takes the password alone.
        if (is_error(*reply) && !address.user.empty() && reply_text(*reply).find("wrong number of arguments") != std::string::npos) {
            reply = c.command({"AUTH", address.password});
        }
        if (is_error(*reply)) fail_with_reply(address, url, "AUTH", *reply);
    }
    std::string database = std::to_string(address.database);
    RedisReplyPtr selected = c.command({"SELECT", database});
    if (is_error(*selected)) fail_with_reply(address, url, "SELECT " + database, *selected);

    RedisReplyPtr size = c.command({"DBSIZE"});
    if (is_error(*size)) fail_with_reply(address, url, "DBSIZE", *size);
    if (size->type != REDIS_REPLY_INTEGER) fail(address.shown, "DBSIZE did not answer with a number");

    // ASYNC: the keys are gone at once and their memory is freed in the
    // background, so a large cache does not stall the server. Redis before 4
    // knows only the plain form.
    RedisReplyPtr flushed = c.command({"FLUSHDB", "ASYNC"});
    if (is_error(*flushed) && !reply_text(*flushed).starts_with("NOPERM")) flushed = c.command({"FLUSHDB"});
    if (is_error(*flushed)) fail_with_reply(address, url, "FLUSHDB", *flushed);

    return RedisFlushResult{address.shown.str(), address.database, size->integer};
}

std::string CheckResult::summary() const {
    char seconds[32];
    std::snprintf(seconds, sizeof seconds, "%.2f", static_cast<double>(elapsed.count()) / 1000.0);
    std::string text = url + ": HTTP " + std::to_string(status);
    if (!matches()) text += ", expected " + std::to_string(expected_status);
    if (!redirect_to.empty()) text += " (redirect to " + redirect_to + ")";
    return text + ", in " + seconds + " s";
}

CheckResult check_url(const std::string& url, long expected_status, std::chrono::seconds timeout, bool follow_redirects) {
    net::HttpStatus answer = net::get_status(url, timeout, follow_redirects);
    CheckResult result;
    const common::ShownText shown = common::shown_url(url);
    result.url = shown.str();
    result.expected_status = expected_status;
    result.status = answer.status;
    result.elapsed = answer.elapsed;
    result.redirect_to = std::move(answer.redirect_to);
    return result;
}

} // namespace pgscrub::runbook
