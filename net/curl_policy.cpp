#include "net/curl_policy.hpp"

#include "common/error.hpp"

#include <mutex>

namespace pgscrub::net {

void initialise_curl() {
    static std::once_flag once;
    std::call_once(once, [] {
        if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
            throw common::Error(common::ErrorKind::Network, "cannot initialise libcurl");
        }
    });
}

bool apply_policy(CURL* easy, const RequestPolicy& policy, CURLoption* refused) {
    auto set = [&](CURLoption option, auto value) {
        if (curl_easy_setopt(easy, option, value) == CURLE_OK) return true;
        if (refused) *refused = option;
        return false;
    };
    return set(CURLOPT_PROTOCOLS_STR, "http,https") &&
           set(CURLOPT_REDIR_PROTOCOLS_STR, policy.https ? "https" : "http,https") &&
           set(CURLOPT_FOLLOWLOCATION, policy.follow_redirects ? 1L : 0L) &&
           set(CURLOPT_MAXREDIRS, policy.max_redirects) &&
           // libcurl's defaults, set here so that no later edit can drop them unseen.
           set(CURLOPT_SSL_VERIFYPEER, 1L) && set(CURLOPT_SSL_VERIFYHOST, 2L) &&
           (policy.ca_file.empty() || set(CURLOPT_CAINFO, policy.ca_file.c_str())) &&
           set(CURLOPT_NOSIGNAL, 1L);
}

} // namespace pgscrub::net
