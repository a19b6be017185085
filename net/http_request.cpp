#include "net/http_request.hpp"

#include "common/error.hpp"
#include "common/interrupts.hpp"
#include "common/secret_masking.hpp"
#include "common/url_parts.hpp"
#include "net/curl_policy.hpp"

#include <algorithm>
#include <cctype>
#include <random>
#include <thread>

namespace pgscrub::net {

namespace {

constexpr std::size_t kErrorBodyLimit = 64 * 1024;

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// One attempt's state, seen by libcurl's callbacks.
struct Attempt {
    const HttpRequest* request = nullptr;
    common::ByteSink* sink = nullptr;
    CURL* easy = nullptr;
    HttpResponse response;
    bool status_known = false;
    bool sink_touched = false; // bytes went to the caller's sink: no retry
    std::uint64_t body_sent = 0;
    bool survives_interrupt = false;

    static std::size_t on_header(char* data, std::size_t, std::size_t size, void* user) {
        auto* self = static_cast<Attempt*>(user);
        std::string_view line(data, size);
        if (line.starts_with("HTTP/")) {
            self->response.headers.clear(); // a new response (after 100 Continue or a redirect)
            return size;
        }
        std::size_t colon = line.find(':');
        if (colon == std::string_view::npos) return size;
        std::string_view value = line.substr(colon + 1);
        while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
        while (!value.empty() && (value.back() == '\r' || value.back() == '\n' || value.back() == ' '))
            value.remove_suffix(1);
        self->response.headers.emplace_back(lower(line.substr(0, colon)), std::string(value));
        return size;
    }

    static std::size_t on_body(char* data, std::size_t, std::size_t size, void* user) {
        auto* self = static_cast<Attempt*>(user);
        if (!self->status_known) {
            curl_easy_getinfo(self->easy, CURLINFO_RESPONSE_CODE, &self->response.status);
            self->status_known = true;
        }
        const bool success = self->response.status >= 200 && self->response.status < 300;
        if (success && self->sink) {
            self->sink_touched = true;
            try {
                self->sink->write(std::string_view(data, size));
            } catch (...) {
                return 0; // libcurl stops with CURLE_WRITE_ERROR; the caller's sink reports its own error
            }
            return size;
        }
        std::size_t room =
            success ? size : std::min(size, kErrorBodyLimit - std::min(kErrorBodyLimit, self->response.body.size()));
        self->response.body.append(data, room);
        return size;
    }

    static std::size_t on_read(char* buffer, std::size_t, std::size_t size, void* user) {
        auto* self = static_cast<Attempt*>(user);
        std::size_t n = self->request->read_body(buffer, size);
        self->body_sent += n;
        return n;
    }

    static int on_progress(void* user, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
        const auto* self = static_cast<Attempt*>(user);
        // Aborts with CURLE_ABORTED_BY_CALLBACK.
        return common::interrupted() && !self->survives_interrupt ? 1 : 0;
    }
};

bool retryable_curl_error(CURLcode code) {
    switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
    case CURLE_OPERATION_TIMEDOUT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_SSL_CONNECT_ERROR:
        return true;
    default:
        return false;
    }
}

std::chrono::milliseconds backoff(const HttpRequest& request, int attempt) {
    // Full jitter: a uniform wait below the capped exponential.
    thread_local std::mt19937 random{std::random_device{}()};
    auto ceiling =
        std::min<std::int64_t>(request.max_delay.count(), request.base_delay.count() << std::min(attempt, 20));
    return std::chrono::milliseconds(
        std::uniform_int_distribution<std::int64_t>(ceiling / 2, std::max<std::int64_t>(ceiling, 1))(random));
}

void sleep_interruptibly(std::chrono::milliseconds wait, const common::ShownText& shown) {
    const auto until = std::chrono::steady_clock::now() + wait;
    while (std::chrono::steady_clock::now() < until) {
        if (common::interrupted()) throw common::Error(common::ErrorKind::Interrupted, "interrupted", shown);
        std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(wait, std::chrono::milliseconds(100)));
    }
}

} // namespace

bool retryable_status(long status) {
    return status == 500 || status == 503;
}

std::string HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key == name) return value;
    }
    return "";
}

namespace {

// One libcurl handle per thread, reset between requests. curl_easy_reset
// keeps the handle's connection cache, so the thread's next request to the
// same host reuses the open connection instead of a new TCP and TLS
// handshake: what makes a HEAD per key, or thousands of small objects, cost
// a round trip each rather than three.
CURL* thread_handle() {
    struct Handle {
        CURL* easy = nullptr;
        ~Handle() {
            if (easy) curl_easy_cleanup(easy);
        }
    };
    thread_local Handle handle;
    if (!handle.easy) handle.easy = curl_easy_init();
    return handle.easy;
}

} // namespace

HttpResponse http_request(const HttpRequest& request, common::ByteSink* sink) {
    initialise_curl();
    const common::ShownText shown = common::shown_url(request.url);
    auto fail = [&](const std::string& what) { throw common::Error(common::ErrorKind::Network, what, shown); };
    common::UrlParts parts;
    if (!common::is_http_url(request.url) || !common::parse_url(request.url, parts) || parts.host.empty()) {
        fail("not an http:// or https:// URL");
    }
    const bool streamed = static_cast<bool>(request.read_body);
    const bool replayable = !streamed || static_cast<bool>(request.rewind_body);
    const int attempts = request.idempotent && replayable ? std::max(request.max_attempts, 1) : 1;

    for (int attempt = 1;; ++attempt) {
        if (attempt > 1 && streamed) request.rewind_body();
        CURL* easy = thread_handle();
        if (!easy) fail("cannot start a libcurl transfer");
        struct Cleanup {
            CURL* easy;
            curl_slist* headers = nullptr;
            ~Cleanup() {
                // The handle outlives the request: nothing may point into this frame.
                curl_easy_reset(easy);
                curl_slist_free_all(headers);
            }
        } cleanup{easy};
        Attempt state;
        state.request = &request;
        state.sink = sink;
        state.easy = easy;
        state.survives_interrupt = request.survives_interrupt;
        char error_text[CURL_ERROR_SIZE] = {};

        bool ok = true;
        auto set = [&](CURLoption option, auto value) { ok = ok && curl_easy_setopt(easy, option, value) == CURLE_OK; };
        RequestPolicy policy;
        policy.https = parts.scheme == "https";
        policy.follow_redirects = false; // S3 answers a wrong region with 301 + <Error>: reported, not followed
        policy.ca_file = request.ca_file;
        CURLoption refused{};
        if (!apply_policy(easy, policy, &refused)) fail("libcurl refused an option (" + std::to_string(refused) + ")");
        set(CURLOPT_URL, request.url.c_str());
        set(CURLOPT_ERRORBUFFER, error_text);
        set(CURLOPT_HEADERFUNCTION, &Attempt::on_header);
        set(CURLOPT_HEADERDATA, &state);
        set(CURLOPT_WRITEFUNCTION, &Attempt::on_body);
        set(CURLOPT_WRITEDATA, &state);
        set(CURLOPT_XFERINFOFUNCTION, &Attempt::on_progress);
        set(CURLOPT_XFERINFODATA, &state);
        set(CURLOPT_NOPROGRESS, 0L);
        set(CURLOPT_CONNECTTIMEOUT, static_cast<long>(request.connect_timeout.count()));
        set(CURLOPT_LOW_SPEED_LIMIT, request.low_speed_limit);
        set(CURLOPT_LOW_SPEED_TIME, static_cast<long>(request.low_speed_time.count()));
        set(CURLOPT_USERAGENT, "pgscrub");
        // Bytes as stored: never let libcurl decode a Content-Encoding.
        set(CURLOPT_HTTP_CONTENT_DECODING, 0L);
        if (request.method == "HEAD") {
            set(CURLOPT_NOBODY, 1L);
        } else if (request.body || streamed) {
            set(CURLOPT_UPLOAD, 1L);
            if (request.body) {
                // In memory: handed over through the same read callback.
                set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body->size()));
            } else {
                set(CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(request.body_size));
            }
            set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
        } else if (request.method != "GET") {
            set(CURLOPT_CUSTOMREQUEST, request.method.c_str());
        }
        std::size_t memory_offset = 0;
        HttpRequest memory_reader; // read_body over request.body
        if (request.body) {
            memory_reader.read_body = [&](char* buffer, std::size_t size) {
                std::size_t n = std::min(size, request.body->size() - memory_offset);
                std::copy_n(request.body->data() + memory_offset, n, buffer);
                memory_offset += n;
                return n;
            };
            state.request = &memory_reader;
        }
        if (request.body || streamed) {
            set(CURLOPT_READFUNCTION, &Attempt::on_read);
            set(CURLOPT_READDATA, &state);
        }
        // No "Expect: 100-continue" round trip; an empty value removes a header.
        cleanup.headers = curl_slist_append(cleanup.headers, "Expect:");
        if (!request.body && !streamed && (request.method == "PUT" || request.method == "POST")) {
            cleanup.headers = curl_slist_append(cleanup.headers, "Content-Length: 0");
        }
        for (const auto& [name, value] : request.headers) {
            std::string line = value.empty() ? name + ";" : name + ": " + value;
            cleanup.headers = curl_slist_append(cleanup.headers, line.c_str());
        }
        set(CURLOPT_HTTPHEADER, cleanup.headers);
        if (!ok) fail("libcurl refused an option");

        CURLcode result = curl_easy_perform(easy);
        curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &state.response.status);
        state.response.attempts = attempt;
        if (result == CURLE_ABORTED_BY_CALLBACK && common::interrupted() && !request.survives_interrupt) {
            throw common::Error(common::ErrorKind::Interrupted, "interrupted", shown);
        }
        const bool can_retry = attempt < attempts && !state.sink_touched;
        if (result != CURLE_OK) {
            if (can_retry && retryable_curl_error(result)) {
                sleep_interruptibly(backoff(request, attempt), shown);
                continue;
            }
            if (result == CURLE_WRITE_ERROR && state.sink_touched) {
                fail("cannot store the response body");
            }
            std::string detail = error_text[0] ? error_text : curl_easy_strerror(result);
            detail = common::mask_secrets(detail, common::KnownSecrets::of_url(request.url)).str();
            fail(request.method + " failed" + (attempt > 1 ? " after " + std::to_string(attempt) + " attempts" : "") +
                 ": " + detail);
        }
        if (retryable_status(state.response.status) && can_retry) {
            sleep_interruptibly(backoff(request, attempt), shown);
            continue;
        }
        return std::move(state.response);
    }
}

} // namespace pgscrub::net
