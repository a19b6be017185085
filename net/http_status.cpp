#include "net/http_status.hpp"

#include "common/error.hpp"
#include "common/secret_masking.hpp"
#include "common/url_parts.hpp"
#include "net/curl_policy.hpp"

#include <memory>

namespace pgscrub::net {

namespace {

[[noreturn]] void fail(const common::ShownText& shown, const std::string& what) {
    throw common::Error(common::ErrorKind::Network, what, shown);
}

std::size_t drop_body(char*, std::size_t, std::size_t size, void*) { return size; }

} // namespace

HttpStatus get_status(const std::string& url, std::chrono::seconds timeout, bool follow_redirects) {
    const common::ShownText shown = common::shown_url(url);
    common::UrlParts parts;
    if (!common::is_http_url(url) || !common::parse_url(url, parts) || parts.host.empty()) {
        fail(shown, "not an http(s) URL: expected http(s)://host[:port]/path");
    }
    initialise_curl();
    std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> easy(curl_easy_init(), curl_easy_cleanup);
    if (!easy) fail(shown, "cannot start a libcurl transfer");
    char error_text[CURL_ERROR_SIZE] = {};
    RequestPolicy policy;
    policy.https = parts.scheme == "https";
    policy.follow_redirects = follow_redirects;
    bool options_ok = curl_easy_setopt(easy.get(), CURLOPT_URL, url.c_str()) == CURLE_OK &&
                      curl_easy_setopt(easy.get(), CURLOPT_ERRORBUFFER, error_text) == CURLE_OK &&
                      curl_easy_setopt(easy.get(), CURLOPT_WRITEFUNCTION, &drop_body) == CURLE_OK &&
                      apply_policy(easy.get(), policy) &&
                      curl_easy_setopt(easy.get(), CURLOPT_TIMEOUT, static_cast<long>(timeout.count())) == CURLE_OK &&
                      curl_easy_setopt(easy.get(), CURLOPT_USERAGENT, "pgscrub check_url") == CURLE_OK;
    if (!options_ok) fail(shown, "libcurl refused an option");

    CURLcode performed = curl_easy_perform(easy.get());
    if (performed != CURLE_OK) {
        std::string detail = error_text[0] ? error_text : curl_easy_strerror(performed);
        fail(shown, "request failed: " + common::mask_secrets(detail, common::KnownSecrets::of_url(url)).str());
    }
    HttpStatus result;
    curl_easy_getinfo(easy.get(), CURLINFO_RESPONSE_CODE, &result.status);
    curl_off_t microseconds = 0;
    curl_easy_getinfo(easy.get(), CURLINFO_TOTAL_TIME_T, &microseconds);
    result.elapsed = std::chrono::milliseconds(microseconds / 1000);
    char* location = nullptr;
    if (curl_easy_getinfo(easy.get(), CURLINFO_REDIRECT_URL, &location) == CURLE_OK && location) {
        result.redirect_to = common::shown_url(location).str();
    }
    return result;
}

} // namespace pgscrub::net
