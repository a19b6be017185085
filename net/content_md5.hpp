#pragma once
// MD5 of a body fed in pieces. Not for security: S3 gives the MD5 of an
// object's bytes as the ETag of an object uploaded in a single part (not
// multipart, not SSE-KMS/SSE-C), so `media verify` compares local files and
// cleaned images with a listing's ETags without downloading the objects
// (docs/media.md, "media verify"). OpenSSL's EVP MD5, beside SHA-256 in
// aws_sigv4.hpp.

#include <string>
#include <string_view>

namespace pgscrub::net {

class Md5 {
public:
    Md5();
    ~Md5();
    Md5(const Md5&) = delete;
    Md5& operator=(const Md5&) = delete;
    void update(std::string_view bytes);
    // Lower-case hex (32 characters); the object cannot be fed after it.
    std::string finish_hex();

private:
    void* context_; // EVP_MD_CTX, kept out of the header
};

// Lower-case hex MD5 of `bytes`.
std::string md5_hex(std::string_view bytes);

} // namespace pgscrub::net
