#include "net/http_input.hpp"

#include "common/error.hpp"
#include "common/interrupts.hpp"
#include "common/secret_masking.hpp"
#include "common/url_parts.hpp"
#include "net/curl_policy.hpp"

#include <algorithm>
#include <cstring>

namespace pgscrub::net {

namespace {

// Body bytes held between libcurl and the consumer. Beyond this the transfer
// is paused until the consumer has taken them: memory stays bounded however
// fast the network is.
constexpr std::size_t kPendingLimit = 1024 * 1024;
// libcurl's receive buffer: one write callback delivers at most this much.
constexpr long kReceiveBufferSize = 128 * 1024;
// Enough of an error response to find S3's <Code> and <Message>.
constexpr std::size_t kErrorBodyLimit = 8 * 1024;
// How long one wait for data may last before interruption (Ctrl-C) is
// checked again.
constexpr int kPollMilliseconds = 500;

const char* reason_phrase(long status) {
    switch (status) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 410: return "Gone";
    case 416: return "Range Not Satisfiable";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

// The text of <tag>...</tag> in an XML error body (S3: Code, Message).
std::string xml_element(const std::string& body, const std::string& tag) {
    std::size_t start = body.find("<" + tag + ">");
    if (start == std::string::npos) return "";
    start += tag.size() + 2;
    std::size_t end = body.find("</" + tag + ">", start);
    if (end == std::string::npos) return "";
    std::string text = body.substr(start, std::min<std::size_t>(end - start, 300));
    // One line, printable: the message ends up on a terminal.
    for (char& c : text) {
        if (static_cast<unsigned char>(c) < 0x20) c = ' ';
    }
    return text;
}

} // namespace

struct HttpInput::Transfer {
    std::string url;   // as given: credentials included, never shown
    common::ShownText shown; // common::shown_url(url)
    HttpInputOptions options;
    CURLM* multi = nullptr;
    CURL* easy = nullptr;
    bool added = false;
    char error_text[CURL_ERROR_SIZE] = {};

    std::string pending; // received, not yet read
    std::size_t pending_offset = 0;
    bool paused = false;   // the write callback refused data: resume when drained
    bool finished = false; // libcurl reported the transfer done
    CURLcode result = CURLE_OK;
    bool status_known = false;
    long status = 0;
    std::string error_body; // the start of a non-2xx response's body
    std::uint64_t received = 0;

    ~Transfer() {
        if (added) curl_multi_remove_handle(multi, easy);
        if (easy) curl_easy_cleanup(easy);
        if (multi) curl_multi_cleanup(multi);
    }

    [[noreturn]] void fail(const std::string& what) const {
        throw common::Error(common::ErrorKind::Network, what, shown);
    }

    void set(CURLoption option, long value) {
        if (curl_easy_setopt(easy, option, value) != CURLE_OK) fail("libcurl refused an option (" + std::to_string(option) + ")");
    }
    void set(CURLoption option, const char* value) {
        if (curl_easy_setopt(easy, option, value) != CURLE_OK) fail("libcurl refused an option (" + std::to_string(option) + ")");
    }

    static std::size_t on_body(char* data, std::size_t, std::size_t size, void* user) {
        auto* self = static_cast<Transfer*>(user);
        if (!self->status_known) {
            // Bodies of redirects that are followed never reach here, so
            // this is the final response's status.
            curl_easy_getinfo(self->easy, CURLINFO_RESPONSE_CODE, &self->status);
            self->status_known = true;
        }
        if (self->status < 200 || self->status >= 300) {
            std::size_t keep = std::min(size, kErrorBodyLimit - std::min(kErrorBodyLimit, self->error_body.size()));
            self->error_body.append(data, keep);
            return size;
        }
        if (self->pending.size() - self->pending_offset >= kPendingLimit) {
            self->paused = true;
            return CURL_WRITEFUNC_PAUSE; // libcurl keeps these bytes and offers them again on resume
        }
        self->pending.append(data, size);
        self->received += size;
        return size;
    }

    std::string redirect_note() const {
        char* effective = nullptr;
        if (curl_easy_getinfo(easy, CURLINFO_EFFECTIVE_URL, &effective) != CURLE_OK || !effective || url == effective) return "";
        return " (redirected to " + common::shown_url(effective) + ")";
    }

    // After libcurl reported the end: throws unless every byte of a 2xx
    // response arrived.
    void check_complete() const {
        long final_status = status;
        if (!status_known) curl_easy_getinfo(easy, CURLINFO_RESPONSE_CODE, &final_status);
        // The server's refusal first: a 404 whose body was also cut is a 404.
        if (final_status >= 400) {
            std::string message = "download failed: HTTP status " + std::to_string(final_status);
            if (*reason_phrase(final_status)) message += std::string(" (") + reason_phrase(final_status) + ")";
            message += redirect_note();
            std::string code = xml_element(error_body, "Code");
            std::string text = xml_element(error_body, "Message");
            if (!code.empty() || !text.empty()) {
                message += "; the server says: " + common::mask_secrets(code + (code.empty() || text.empty() ? "" : ": ") + text, common::KnownSecrets::of_url(url));
            }
            if (final_status == 403 || final_status == 400) {
                message += " — a signed URL expires (heroku pg:backups:url signs for minutes): get a fresh one";
            }
            fail(message);
        }
        if (result != CURLE_OK) {
            std::string detail = error_text[0] ? error_text : curl_easy_strerror(result);
            detail = common::mask_secrets(detail, common::KnownSecrets::of_url(url)).str();
            std::string message = "download failed after " + std::to_string(received) + " bytes: " + detail;
            if (result == CURLE_PARTIAL_FILE) message += "; the archive is incomplete";
            if (result == CURLE_UNSUPPORTED_PROTOCOL) message += " — an https download is redirected to https only";
            fail(message);
        }
        if (final_status >= 300 || (final_status != 0 && final_status < 200)) {
            fail("download failed: HTTP status " + std::to_string(final_status) + redirect_note() +
                 (final_status < 400 && final_status >= 300 ? " — a redirect without a Location to follow" : ""));
        }
        // libcurl reports a short body as CURLE_PARTIAL_FILE; this catches any
        // path where it would not, since a short archive must never pass.
        curl_off_t announced = -1;
        curl_easy_getinfo(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &announced);
        if (announced >= 0 && static_cast<std::uint64_t>(announced) != received) {
            fail("download ended after " + std::to_string(received) + " of " + std::to_string(announced) +
                 " bytes announced by the server; the archive is incomplete");
        }
    }
};

std::unique_ptr<HttpInput> HttpInput::open(const std::string& url, const HttpInputOptions& options) {
    initialise_curl();
    auto transfer = std::make_unique<Transfer>();
    transfer->url = url;
    transfer->shown = common::shown_url(url);
    transfer->options = options;
    if (!common::is_http_url(url)) transfer->fail("not an http:// or https:// URL");
    common::UrlParts parts;
    if (!common::parse_url(url, parts) || parts.host.empty()) {
        transfer->fail("not a valid URL: expected http(s)://[user:password@]host[:port]/path[?query] "
                       "(percent-encode '/', '?', '#' and '@' inside a password)");
    }
    transfer->multi = curl_multi_init();
    transfer->easy = curl_easy_init();
    if (!transfer->multi || !transfer->easy) transfer->fail("cannot start a libcurl transfer");

    Transfer& t = *transfer;
    t.set(CURLOPT_URL, url.c_str());
    if (curl_easy_setopt(t.easy, CURLOPT_ERRORBUFFER, t.error_text) != CURLE_OK) t.fail("libcurl refused its error buffer");
    if (curl_easy_setopt(t.easy, CURLOPT_WRITEFUNCTION, &Transfer::on_body) != CURLE_OK ||
        curl_easy_setopt(t.easy, CURLOPT_WRITEDATA, &t) != CURLE_OK) {
        t.fail("libcurl refused the body callback");
    }
    RequestPolicy policy;
    policy.https = parts.scheme == "https";
    policy.follow_redirects = true;
    policy.max_redirects = options.max_redirects;
    policy.ca_file = options.ca_file;
    CURLoption refused{};
    if (!apply_policy(t.easy, policy, &refused)) t.fail("libcurl refused an option (" + std::to_string(refused) + ")");
    t.set(CURLOPT_CONNECTTIMEOUT, static_cast<long>(options.connect_timeout.count()));
    t.set(CURLOPT_LOW_SPEED_LIMIT, options.low_speed_limit);
    t.set(CURLOPT_LOW_SPEED_TIME, static_cast<long>(options.low_speed_time.count()));
    t.set(CURLOPT_BUFFERSIZE, kReceiveBufferSize);
    t.set(CURLOPT_TCP_KEEPALIVE, 1L);
    t.set(CURLOPT_USERAGENT, "pgscrub");
    if (curl_multi_add_handle(t.multi, t.easy) != CURLM_OK) t.fail("cannot start a libcurl transfer");
    t.added = true;
    return std::unique_ptr<HttpInput>(new HttpInput(std::move(transfer)));
}

HttpInput::HttpInput(std::unique_ptr<Transfer> transfer)
    : common::InputStream(transfer->shown.str()), transfer_(std::move(transfer)) {}

HttpInput::~HttpInput() = default;

std::uint64_t HttpInput::bytes_received() const { return transfer_->received; }

std::size_t HttpInput::read_raw(char* buffer, std::size_t size) {
    Transfer& t = *transfer_;
    for (;;) {
        if (t.pending_offset < t.pending.size()) {
            std::size_t n = std::min(size, t.pending.size() - t.pending_offset);
            std::memcpy(buffer, t.pending.data() + t.pending_offset, n);
            t.pending_offset += n;
            return n;
        }
        t.pending.clear();
        t.pending_offset = 0;
        if (t.finished) {
            t.check_complete();
            return 0;
        }
        if (common::interrupted())
            throw common::Error(common::ErrorKind::Interrupted, "interrupted; partial output removed", t.shown);
        if (t.paused) {
            // Resuming may hand over the held bytes at once, through on_body.
            t.paused = false;
            CURLcode resumed = curl_easy_pause(t.easy, CURLPAUSE_CONT);
            if (resumed != CURLE_OK) t.fail(std::string("cannot resume the download: ") + curl_easy_strerror(resumed));
            continue;
        }
        int running = 0;
        CURLMcode performed = curl_multi_perform(t.multi, &running);
        if (performed != CURLM_OK) t.fail(std::string("download failed: ") + curl_multi_strerror(performed));
        int queued = 0;
        while (CURLMsg* message = curl_multi_info_read(t.multi, &queued)) {
            if (message->msg == CURLMSG_DONE && message->easy_handle == t.easy) {
                t.finished = true;
                t.result = message->data.result;
            }
        }
        if (!t.finished && t.pending.empty() && !t.paused) {
            CURLMcode waited = curl_multi_poll(t.multi, nullptr, 0, kPollMilliseconds, nullptr);
            if (waited != CURLM_OK) t.fail(std::string("download failed: ") + curl_multi_strerror(waited));
        }
    }
}

} // namespace pgscrub::net
