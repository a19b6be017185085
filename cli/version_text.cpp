#include "cli/version_text.hpp"

#include "common/version.hpp"
#include "net/curl_version.hpp"

#include <dlfcn.h>
#include <expat.h>
#include <isa-l/igzip_lib.h>
#include <libpq-fe.h>
#include <lz4.h>
#include <openssl/crypto.h>
#include <re2/re2.h>
#include <unicode/uversion.h>
#include <yaml-cpp/yaml.h>
#include <zlib.h>
#include <zstd.h>

#include <filesystem>

namespace pgscrub::cli {

namespace {

// The file a library was loaded from ("libre2.so.9.0.0"), for libraries that
// have no version function: its name carries the ABI version. `symbol` is
// any function of the library.
std::string loaded_from(void* symbol) {
    Dl_info info{};
    if (dladdr(symbol, &info) == 0 || !info.dli_fname) return "unknown";
    std::error_code error;
    std::filesystem::path file = std::filesystem::canonical(info.dli_fname, error);
    return (error ? std::filesystem::path(info.dli_fname) : file).filename().string();
}

template <typename Function>
void* address_of(Function* function) {
    return reinterpret_cast<void*>(function);
}

std::string libpq_version() {
    int v = PQlibVersion(); // 150010 for 15.10
    return std::to_string(v / 10000) + "." + std::to_string(v % 10000);
}

std::string icu_version() {
    UVersionInfo info;
    u_getVersion(info);
    char text[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(info, text);
    return text;
}

std::string expat_version() {
    XML_Expat_Version v = XML_ExpatVersionInfo();
    return std::to_string(v.major) + "." + std::to_string(v.minor) + "." + std::to_string(v.micro);
}

} // namespace

std::string version_text() {
    std::string commit = source_commit();
    std::string text = std::string("pgscrub ") + version_string() +
                       (commit == "release" ? std::string(" (release)") : " (git " + commit + ")");
    text += "; zlib " + std::string(zlibVersion());
    text += ", zstd " + std::string(ZSTD_versionString());
    text += ", lz4 " + std::string(LZ4_versionString());
    text += ", ISA-L " + loaded_from(address_of(&isal_inflate_init));
    text += ", re2 " + loaded_from(address_of(&re2::RE2::FullMatchN));
    text += ", ICU " + icu_version();
    text += ", libpq " + libpq_version();
    text += ", OpenSSL " + std::string(OpenSSL_version(OPENSSL_FULL_VERSION_STRING));
    text += ", libcurl " + net::libcurl_version();
    text += ", yaml-cpp " + loaded_from(address_of(static_cast<YAML::Node (*)(const std::string&)>(&YAML::Load)));
    text += ", expat " + expat_version();
    return text;
}

} // namespace pgscrub::cli
