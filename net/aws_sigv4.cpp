#include "net/aws_sigv4.hpp"

#include "common/error.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <map>

namespace pgscrub::net {

namespace {

using common::Error;
using common::ErrorKind;

constexpr std::string_view kAlgorithm = "AWS4-HMAC-SHA256";

using Digest = std::array<unsigned char, 32>;

std::string to_hex(const unsigned char* bytes, std::size_t size) {
    static constexpr char kHex[] = "0123456789abcdef";
    std::string text;
    text.reserve(size * 2);
    for (std::size_t i = 0; i < size; ++i) {
        text.push_back(kHex[bytes[i] >> 4]);
        text.push_back(kHex[bytes[i] & 0xF]);
    }
    return text;
}

Digest hmac_sha256(std::span<const unsigned char> key, std::string_view data) {
    Digest out{};
    unsigned int size = 0;
    if (HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
             reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &size) == nullptr ||
        size != out.size())
        throw Error(ErrorKind::Internal, "OpenSSL's HMAC-SHA256 failed");
    return out;
}

[[noreturn]] void caller_bug(const std::string& what) {
    throw Error(ErrorKind::Internal, "SigV4 request: " + what);
}

bool is_token_char(unsigned char c) {
    // RFC 9110 §5.6.2 tchar
    return std::isalnum(c) != 0 ||
           std::string_view("!#$%&'*+-.^_`|~").find(static_cast<char>(c)) != std::string_view::npos;
}

std::string lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

// Trimmed, each run of spaces and tabs one space (the "Trimall" of the SigV4
// canonical headers, as botocore and the AWS test suite do it).
std::string canonical_header_value(std::string_view value) {
    std::string out;
    bool pending_space = false;
    for (char c : value) {
        if (c == ' ' || c == '\t') {
            pending_space = !out.empty();
            continue;
        }
        if (pending_space) out.push_back(' ');
        pending_space = false;
        out.push_back(c);
    }
    return out;
}

void check_word(std::string_view field, std::string_view value) {
    if (value.empty() || std::any_of(value.begin(), value.end(), [](unsigned char c) { return c <= ' ' || c >= 0x7F; }))
        caller_bug(std::string(field) + " is empty or holds a space or control character");
}

} // namespace

std::string aws_uri_encode(std::string_view bytes, bool keep_slash) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(bytes.size() * 3);
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || (keep_slash && c == '/')) {
            out.push_back(ch);
        } else {
            out.push_back('%');
            out.push_back(kHex[c >> 4]);
            out.push_back(kHex[c & 0xF]);
        }
    }
    return out;
}

std::string encoded_path(std::string_view decoded_path) {
    if (decoded_path.empty()) return "/";
    return aws_uri_encode(decoded_path, true);
}

std::string encoded_query(const std::vector<HttpField>& decoded_query) {
    std::vector<HttpField> encoded;
    encoded.reserve(decoded_query.size());
    for (const auto& [name, value] : decoded_query)
        encoded.emplace_back(aws_uri_encode(name, false), aws_uri_encode(value, false));
    // Byte order of the encoded forms: pair's operator< compares std::string,
    // which compares as unsigned char.
    std::sort(encoded.begin(), encoded.end());
    std::string out;
    for (const auto& [name, value] : encoded) {
        if (!out.empty()) out.push_back('&');
        out += name;
        out.push_back('=');
        out += value;
    }
    return out;
}

std::string aws_timestamp(std::chrono::sys_seconds when) {
    const std::time_t seconds = when.time_since_epoch().count();
    std::tm utc{};
    if (gmtime_r(&seconds, &utc) == nullptr) caller_bug("the signing time is out of range");
    char text[32];
    if (std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc) != 16) caller_bug("the signing time is out of range");
    return text;
}

std::string sha256_hex(std::string_view bytes) {
    Sha256 hash;
    hash.update(bytes);
    return hash.finish_hex();
}

Sha256::Sha256() : context_(EVP_MD_CTX_new()) {
    auto* context = static_cast<EVP_MD_CTX*>(context_);
    if (context == nullptr || EVP_DigestInit_ex(context, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(context);
        throw Error(ErrorKind::Internal, "OpenSSL's SHA-256 failed to start");
    }
}

Sha256::~Sha256() {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(context_));
}

void Sha256::update(std::span<const std::byte> bytes) {
    if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(context_), bytes.data(), bytes.size()) != 1)
        throw Error(ErrorKind::Internal, "OpenSSL's SHA-256 failed");
}

void Sha256::update(std::string_view bytes) {
    update(std::as_bytes(std::span(bytes.data(), bytes.size())));
}

std::string Sha256::finish_hex() {
    Digest out{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(context_), out.data(), &size) != 1 || size != out.size())
        throw Error(ErrorKind::Internal, "OpenSSL's SHA-256 failed");
    return to_hex(out.data(), out.size());
}

SigV4Signature sign_v4(const SigV4Request& request, const AwsCredentials& credentials, const SigV4Scope& scope,
                       std::chrono::sys_seconds when) {
    check_word("the method", request.method);
    check_word("the host", request.host);
    check_word("the region", scope.region);
    check_word("the service", scope.service);
    check_word("the payload hash", request.payload_sha256);
    // The access key id goes into the Authorization header as it is: a '/' or
    // ',' in it would make a different credential scope.
    if (credentials.access_key_id.empty() || credentials.access_key_id.find_first_of("/, \t\r\n") != std::string::npos)
        caller_bug("the access key id is empty or holds '/', ',' or white space");
    if (credentials.secret_access_key.empty()) caller_bug("the secret access key is empty");
    if (credentials.session_token.find_first_of("\r\n") != std::string::npos)
        caller_bug("the session token holds a line break");
    if (request.path.empty() || request.path.front() != '/') caller_bug("the path does not start with '/'");

    SigV4Signature out;
    out.amz_date = aws_timestamp(when);
    const std::string date = out.amz_date.substr(0, 8);

    // Headers the signer owns, then the caller's: lower-cased names, values
    // of a repeated name joined by ',' in the order given (the AWS test
    // suite's get-header-key-duplicate).
    std::vector<HttpField> own{{"Host", lower(request.host)}, {"X-Amz-Date", out.amz_date}};
    if (request.send_content_sha256) own.emplace_back("X-Amz-Content-SHA256", request.payload_sha256);
    if (!credentials.session_token.empty()) own.emplace_back("X-Amz-Security-Token", credentials.session_token);

    std::map<std::string, std::string> canonical; // sorted by name, bytewise
    for (const auto& [name, value] : own) canonical[lower(name)] = canonical_header_value(value);
    for (const auto& [name, value] : request.headers) {
        if (name.empty() ||
            !std::all_of(name.begin(), name.end(), [](char c) { return is_token_char(static_cast<unsigned char>(c)); }))
            caller_bug("a header name is not an HTTP token");
        const std::string key = lower(name);
        if (value.find_first_of("\r\n") != std::string::npos || value.find('\0') != std::string::npos)
            caller_bug("the value of header " + key + " holds a line break or NUL");
        if (key == "authorization" ||
            std::any_of(own.begin(), own.end(), [&](const HttpField& field) { return lower(field.first) == key; }))
            caller_bug("header " + key + " is set by the signer, not by the caller");
        const std::string trimmed = canonical_header_value(value);
        auto [slot, inserted] = canonical.try_emplace(key, trimmed);
        if (!inserted) slot->second += "," + trimmed;
    }

    std::string canonical_headers;
    for (const auto& [name, value] : canonical) {
        canonical_headers.append(name).append(":").append(value).append("\n");
        if (!out.signed_headers.empty()) out.signed_headers.push_back(';');
        out.signed_headers += name;
    }

    out.canonical_request = request.method + "\n" + encoded_path(request.path) + "\n" + encoded_query(request.query) +
                            "\n" + canonical_headers + "\n" + out.signed_headers + "\n" + request.payload_sha256;

    const std::string credential_scope = date + "/" + scope.region + "/" + scope.service + "/aws4_request";
    out.string_to_sign = std::string(kAlgorithm) + "\n" + out.amz_date + "\n" + credential_scope + "\n" +
                         sha256_hex(out.canonical_request);

    // kSecret -> kDate -> kRegion -> kService -> kSigning; the key material is
    // wiped once used.
    std::string secret = "AWS4" + credentials.secret_access_key;
    Digest key = hmac_sha256(std::span(reinterpret_cast<const unsigned char*>(secret.data()), secret.size()), date);
    OPENSSL_cleanse(secret.data(), secret.size());
    for (const std::string_view part :
         {std::string_view(scope.region), std::string_view(scope.service), std::string_view("aws4_request")}) {
        const Digest next = hmac_sha256(key, part);
        OPENSSL_cleanse(key.data(), key.size());
        key = next;
    }
    const Digest signature = hmac_sha256(key, out.string_to_sign);
    OPENSSL_cleanse(key.data(), key.size());
    out.signature = to_hex(signature.data(), signature.size());

    out.authorization = std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" + credential_scope +
                        ", SignedHeaders=" + out.signed_headers + ", Signature=" + out.signature;
    out.headers = std::move(own);
    out.headers.emplace_back("Authorization", out.authorization);
    return out;
}

} // namespace pgscrub::net
