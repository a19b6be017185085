#pragma once
// The libcurl pgscrub runs with, for `pgscrub --version` (libcurl is net/'s
// alone, so its version is asked here).

#include <string>

namespace pgscrub::net {

// "7.88.1 (OpenSSL/3.0.15)": libcurl's version and its TLS library's, at run time.
std::string libcurl_version();

} // namespace pgscrub::net
