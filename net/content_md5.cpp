#include "net/content_md5.hpp"

#include "common/error.hpp"

#include <openssl/evp.h>

namespace pgscrub::net {

namespace {

[[noreturn]] void md5_failed() {
    throw common::Error(common::ErrorKind::Internal, "OpenSSL's MD5 failed");
}

} // namespace

Md5::Md5() : context_(EVP_MD_CTX_new()) {
    auto* context = static_cast<EVP_MD_CTX*>(context_);
    if (context == nullptr || EVP_DigestInit_ex(context, EVP_md5(), nullptr) != 1) {
        EVP_MD_CTX_free(context);
        md5_failed();
    }
}

Md5::~Md5() {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context_));
}

void Md5::update(std::string_view bytes) {
    if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context_), bytes.data(), bytes.size()) != 1) md5_failed();
}

std::string Md5::finish_hex() {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(context_), out, &size) != 1 || size != 16) md5_failed();
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    for (unsigned int i = 0; i < size; ++i) {
        text.push_back(kHex[out[i] >> 4]);
        text.push_back(kHex[out[i] & 0xF]);
    }
    return text;
}

std::string md5_hex(std::string_view bytes) {
    Md5 md5;
    md5.update(bytes);
    return md5.finish_hex();
}

} // namespace pgscrub::net
