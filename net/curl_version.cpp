#include "net/curl_version.hpp"

#include <curl/curl.h>

namespace pgscrub::net {

std::string libcurl_version() {
    const curl_version_info_data* info = curl_version_info(CURLVERSION_NOW);
    if (!info || !info->version) return "unknown";
    std::string text = info->version;
    if (info->ssl_version) text += std::string(" (") + info->ssl_version + ")";
    return text;
}

} // namespace pgscrub::net
