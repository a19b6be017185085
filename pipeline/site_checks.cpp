#include "pipeline/site_checks.hpp"

#include "dump/archive_error.hpp"
#include "dump/http_input.hpp"
#include "dump/url_parts.hpp"
#include "restore/pg_tools.hpp"

#include <curl/curl.h>
#include <hiredis/hiredis.h>

#include <charconv>
#include <cerrno>
#include <cstdio>
#include <unistd.h>
#include <memory>
#include <vector>

namespace pgscrub::pipeline {

namespace {

[[noreturn]] void fail(const std::string& shown, const std::string& what) {
    throw dump::ArchiveError(what, dump::ErrorLocation{shown, {}, {}, {}});
}

// A whole decimal number in [low, high], or false.
bool parse_int(std::string_view text, int low, int high, int& value) {
    if (text.empty()) return false;
    auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    return error == std::errc{} && end == text.data() + text.size() && value >= low && value <= high;
}

struct RedisContextFree {
    void operator()(redisContext* c) const { redisFree(c); }
};
struct RedisReplyFree {
    void operator()(redisReply* r) const { freeReplyObject(r); }
};
using RedisReplyPtr = std::unique_ptr<redisReply, RedisReplyFree>;

// One command, its arguments passed as they are (binary-safe, no format
// string). A lost connection or a timeout throws; an error reply is returned
// for the caller to judge.
RedisReplyPtr redis_command(redisContext& c, const RedisAddress& address, const std::vector<std::string>& words) {
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
    for (const std::string& w : words) {
        argv.push_back(w.data());
        lengths.push_back(w.size());
    }
    RedisReplyPtr reply(static_cast<redisReply*>(
        redisCommandArgv(&c, static_cast<int>(argv.size()), argv.data(), lengths.data())));
    if (!reply) {
        fail(address.shown, words[0] + " failed: " + (c.errstr[0] ? std::string(c.errstr) : "connection lost"));
    }
    return reply;
}

bool is_error(const redisReply& reply) { return reply.type == REDIS_REPLY_ERROR; }
std::string reply_text(const redisReply& reply) { return std::string(reply.str ? reply.str : "", reply.len); }

// An error reply, as a message: Redis's own words, and what to do about the
// usual ones.
[[noreturn]] void fail_with_reply(const RedisAddress& address, const std::string& url, const std::string& command,
                                  const redisReply& reply) {
    std::string text = dump::redact_url_secrets(reply_text(reply), url);
    std::string message = command + " failed: " + text;
    if (text.starts_with("NOAUTH")) message += " — give the password in the URL: redis://:PASSWORD@host:port/db";
    if (text.starts_with("WRONGPASS") || text.find("invalid password") != std::string::npos) {
        message += " — check the password (and user) in the URL";
    }
    fail(address.shown, message);
}

CURL* new_curl(const std::string& shown) {
    dump::initialise_curl();
    CURL* easy = curl_easy_init();
    if (!easy) fail(shown, "cannot start a libcurl transfer");
    return easy;
}

std::size_t drop_body(char*, std::size_t, std::size_t size, void*) { return size; }

} // namespace

RedisAddress parse_redis_url(const std::string& url) {
    RedisAddress address;
    address.shown = dump::describe_url(url);
    dump::UrlParts parts;
    // An '@' after the authority: a password with a raw '/', '?' or '#' cut
    // the authority short, and the "path" is the rest of it.
    if (!dump::parse_url(url, parts) || (parts.path + parts.query + parts.fragment).find('@') != std::string::npos) {
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

namespace {

// One redis-cli --tls run of `command` in the URL's database: its standard
// output, trimmed. Throws, naming the masked address and never the password,
// when it cannot connect, authenticate or select the database.
std::string redis_cli(const RedisAddress& address, const std::string& url, const RedisTls& tls,
                      std::chrono::seconds timeout, const std::vector<std::string>& command) {
    restore::PgTools path;
    restore::ChildCommand child;
    child.tool = "redis-cli";
    try {
        // coreutils' timeout bounds the whole exchange: redis-cli has no connect timeout.
        child.program = path.path("timeout");
        child.arguments = {std::to_string(timeout.count()), path.path("redis-cli")};
    } catch (const dump::ArchiveError&) {
        fail(address.shown, "rediss:// needs redis-cli, which is not on the PATH — apt-get install redis-tools");
    }
    std::vector<std::string>& a = child.arguments;
    a.insert(a.end(), {"--tls", "-h", address.host, "-p", std::to_string(address.port), "-n",
                       std::to_string(address.database)});
    if (!address.user.empty()) a.insert(a.end(), {"--user", address.user});
    if (!tls.verify) a.push_back("--insecure");
    else if (!tls.ca_file.empty()) a.insert(a.end(), {"--cacert", tls.ca_file});
    a.insert(a.end(), command.begin(), command.end());
    if (address.has_password) child.environment.emplace_back("REDISCLI_AUTH", address.password);
    child.secret = address.password;
    child.output = restore::ChildCommand::Output::Pipe;
    std::vector<std::string> errors;
    child.on_stderr_line = [&](std::string_view line) {
        if (errors.size() < 8) errors.emplace_back(line);
    };

    restore::ChildProcess process(std::move(child));
    std::string out;
    char buffer[4096];
    for (;;) {
        ssize_t n = ::read(process.output_fd(), buffer, sizeof buffer);
        if (n > 0) out.append(buffer, static_cast<std::size_t>(n));
        else if (n == 0 || errno != EINTR) break;
    }
    auto masked = [&](const std::string& text) { return dump::redact_url_secrets(restore::mask_secrets(text, address.password), url); };
    try {
        process.finish();
    } catch (const dump::ArchiveError&) {
        if (process.exit_code() == 124) fail(address.shown, "no answer within " + std::to_string(timeout.count()) + " s");
        std::string why = errors.empty() ? "redis-cli failed" : errors.back();
        if (why.find("certificate verify failed") != std::string::npos) {
            why += " — the server's certificate is not signed by a trusted CA: give tls_ca: FILE, or tls_verify: false "
                   "for a server with a self-signed certificate (Heroku)";
        }
        fail(address.shown, "cannot connect over TLS: " + masked(why));
    }
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) out.pop_back();
    for (const std::string& e : errors) {
        // redis-cli reports these on stderr and carries on, in database 0.
        if (e.starts_with("SELECT ")) fail(address.shown, masked(e) + " — nothing was flushed");
        if (e.starts_with("AUTH failed")) fail(address.shown, masked(e) + " — check the password (and user) in the URL");
    }
    if (out.starts_with("NOAUTH")) fail(address.shown, "the server wants a password: give it in the URL, rediss://:PASSWORD@host:port/db");
    return out;
}

RedisFlushResult flush_redis_tls(const RedisAddress& address, const std::string& url, std::chrono::seconds timeout,
                                 const RedisTls& tls) {
    std::string size = redis_cli(address, url, tls, timeout, {"DBSIZE"});
    long long keys = 0;
    auto [end, error] = std::from_chars(size.data(), size.data() + size.size(), keys);
    if (error != std::errc{} || end != size.data() + size.size()) fail(address.shown, "DBSIZE did not answer with a number");
    std::string flushed = redis_cli(address, url, tls, timeout, {"FLUSHDB", "ASYNC"});
    if (flushed != "OK") flushed = redis_cli(address, url, tls, timeout, {"FLUSHDB"}); // Redis before 4
    if (flushed != "OK") {
        fail(address.shown, "FLUSHDB failed: " + dump::redact_url_secrets(restore::mask_secrets(flushed, address.password), url));
    }
    return RedisFlushResult{address.shown, address.database, keys};
}

} // namespace

RedisFlushResult flush_redis(const std::string& url, std::chrono::seconds timeout, const RedisTls& tls) {
    RedisAddress address = parse_redis_url(url);
    if (address.tls) return flush_redis_tls(address, url, timeout, tls);
    timeval limit{};
    limit.tv_sec = static_cast<decltype(limit.tv_sec)>(timeout.count());
    std::unique_ptr<redisContext, RedisContextFree> context(redisConnectWithTimeout(address.host.c_str(), address.port, limit));
    if (!context) fail(address.shown, "cannot connect: out of memory");
    if (context->err) fail(address.shown, std::string("cannot connect: ") + context->errstr);
    if (redisSetTimeout(context.get(), limit) != REDIS_OK) fail(address.shown, "cannot set the reply timeout");
    redisContext& c = *context;

    if (address.has_password) {
        RedisReplyPtr reply = address.user.empty() ? redis_command(c, address, {"AUTH", address.password})
                                                   : redis_command(c, address, {"AUTH", address.user, address.password});
        // Before Redis 6 there are no users: AUTH takes the password alone.
        if (is_error(*reply) && !address.user.empty() && reply_text(*reply).find("wrong number of arguments") != std::string::npos) {
            reply = redis_command(c, address, {"AUTH", address.password});
        }
        if (is_error(*reply)) fail_with_reply(address, url, "AUTH", *reply);
    }
    std::string database = std::to_string(address.database);
    RedisReplyPtr selected = redis_command(c, address, {"SELECT", database});
    if (is_error(*selected)) fail_with_reply(address, url, "SELECT " + database, *selected);

    RedisReplyPtr size = redis_command(c, address, {"DBSIZE"});
    if (is_error(*size)) fail_with_reply(address, url, "DBSIZE", *size);
    if (size->type != REDIS_REPLY_INTEGER) fail(address.shown, "DBSIZE did not answer with a number");

    // ASYNC: the keys are gone at once and their memory is freed in the
    // background, so a large cache does not stall the server. Redis before 4
    // knows only the plain form.
    RedisReplyPtr flushed = redis_command(c, address, {"FLUSHDB", "ASYNC"});
    if (is_error(*flushed) && !reply_text(*flushed).starts_with("NOPERM")) flushed = redis_command(c, address, {"FLUSHDB"});
    if (is_error(*flushed)) fail_with_reply(address, url, "FLUSHDB", *flushed);

    return RedisFlushResult{address.shown, address.database, size->integer};
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
    CheckResult result;
    result.url = dump::describe_url(url);
    result.expected_status = expected_status;
    dump::UrlParts parts;
    if (!dump::is_http_url(url) || !dump::parse_url(url, parts) || parts.host.empty()) {
        fail(result.url, "not an http(s) URL: expected http(s)://host[:port]/path");
    }
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(new_curl(result.url), curl_easy_cleanup);
    char error_text[CURL_ERROR_SIZE] = {};
    bool https = parts.scheme == "https";
    bool options_ok =
        curl_easy_setopt(easy.get(), CURLOPT_URL, url.c_str()) == CURLE_OK &&
        curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, error_text) == CURLE_OK &&
        curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &drop_body) == CURLE_OK &&
        curl_easy_setopt(easy.get(), CURLOPT_PROTOCOLS_STR, "http,https") == CURLE_OK &&
        curl_easy_setopt(easy.get(), CURLOPT_REDIR_PROTOCOLS_STR, https ? "https" : "http,https") == CURLE_OK &&
        curl_easy_setopt(easy.get(), CURLOPT_FOLLOWLOCATION, follow_redirects ? 1L : 0L) == CURLE_OK &&
        curl_easy_setopt(easy.get(), CURLOPT_MAXREDIRS, 10L) == CURLE_OK &&
        curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout.count())) == CURLE_OK &&
        curl_easy_setopt(easy.get(), CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
        curl_easy_setopt(easy.get(), CURLOPT_USERAGENT, "pgscrub check_url") == CURLE_OK;
    if (!options_ok) fail(result.url, "libcurl refused an option");

    CURLcode performed = curl_easy_perform(easy.get());
    if (performed != CURLE_OK) {
        std::string detail = error_text[0] ? error_text : curl_easy_strerror(performed);
        fail(result.url, "request failed: " + dump::redact_url_secrets(detail, url));
    }
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &result.status);
    curl_off_t microseconds = 0;
    curl_easy_getinfo(easy.get(), CURLINFO_TOTAL_TIME_T, &microseconds);
    result.elapsed = std::chrono::milliseconds(microseconds / 1000);
    char* location = nullptr;
    if (curl_easy_getinfo(easy.get(), CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
        result.redirect_to = dump::describe_url(location);
    }
    return result;
}

} // namespace pgscrub::pipeline
