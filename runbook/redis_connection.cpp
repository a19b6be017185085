#include "runbook/redis_connection.hpp"

#include "dump/archive_error.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace pgscrub::runbook {

namespace {

[[noreturn]] void fail(const RedisAddress& address, const std::string& what) {
    throw common::Error(common::ErrorKind::Network, what, address.shown);
}

// A command's words as hiredis takes them: pointers and lengths (binary-safe).
struct CommandArgv {
    explicit CommandArgv(const std::vector<std::string>& words) {
        for (const std::string& w : words) {
            argv.push_back(w.data());
            lengths.push_back(w.size());
        }
    }
    int count() const { return static_cast<int>(argv.size()); }
    std::vector<const char*> argv;
    std::vector<std::size_t> lengths;
};

// ---- plain: hiredis does it all ------------------------------------------------

struct RedisContextFree {
    void operator()(redisContext* c) const { redisFree(c); }
};

class PlainRedisConnection final : public RedisConnection {
public:
    PlainRedisConnection(const RedisAddress& address, std::chrono::seconds timeout) : address_(address), timeout_(timeout) {
        timeval limit{};
        limit.tv_sec = static_cast<decltype(limit.tv_sec)>(timeout.count());
        context_.reset(redisConnectWithTimeout(address.host.c_str(), address.port, limit));
        if (!context_) fail(address_, "cannot connect: out of memory");
        if (context_->err) fail(address_, std::string("cannot connect: ") + context_->errstr);
        if (redisSetTimeout(context_.get(), limit) != REDIS_OK) fail(address_, "cannot set the reply timeout");
    }

    RedisReplyPtr command(const std::vector<std::string>& words) override {
        CommandArgv args(words);
        RedisReplyPtr reply(static_cast<redisReply*>(
            redisCommandArgv(context_.get(), args.count(), args.argv.data(), args.lengths.data())));
        if (!reply) fail(address_, words[0] + " failed: " + reason());
        return reply;
    }

private:
    // hiredis reports a reply timeout as the socket's EAGAIN ("Resource
    // temporarily unavailable"); say what that means for the user.
    std::string reason() const {
        if (context_->err == REDIS_ERR_IO && (errno == EAGAIN || errno == EWOULDBLOCK))
            return "no answer within " + std::to_string(timeout_.count()) + " s — is the server up, and is this its port?";
        if (context_->err == REDIS_ERR_EOF || !context_->errstr[0]) return "connection lost (the server closed it)";
        return context_->errstr;
    }

    RedisAddress address_;
    std::chrono::seconds timeout_;
    std::unique_ptr<redisContext, RedisContextFree> context_;
};

// ---- TLS: OpenSSL carries the bytes, hiredis frames and parses them -------------

struct SslCtxFree {
    void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
struct SslFree {
    void operator()(SSL* s) const { SSL_free(s); }
};
struct ReaderFree {
    void operator()(redisReader* r) const { redisReaderFree(r); }
};
// A socket closed when its owner goes, also when a constructor throws half way.
struct UniqueFd {
    int fd = -1;
    UniqueFd() = default;
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    ~UniqueFd() {
        if (fd >= 0) ::close(fd);
    }
};

std::string openssl_reason() {
    unsigned long code = ERR_get_error();
    ERR_clear_error();
    if (code == 0) return "connection closed during the handshake";
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    return text;
}

// A TCP connection within `timeout`; each later read and write is bounded
// by it too (SO_RCVTIMEO / SO_SNDTIMEO).
int connect_tcp(const RedisAddress& address, std::chrono::seconds timeout) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* found = nullptr;
    std::string port = std::to_string(address.port);
    if (int rc = getaddrinfo(address.host.c_str(), port.c_str(), &hints, &found); rc != 0) {
        fail(address, std::string("cannot connect: ") + gai_strerror(rc));
    }
    std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> list(found, &freeaddrinfo);
    std::string last_error = "no address";
    for (addrinfo* a = found; a; a = a->ai_next) {
        int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_CLOEXEC, a->ai_protocol);
        if (fd < 0) continue;
        int flags = fcntl(fd, F_GETFL, 0);
        fcntl(fd, F_SETFL, flags | O_NONBLOCK);
        int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
        if (rc != 0 && errno == EINPROGRESS) {
            pollfd p{fd, POLLOUT, 0};
            rc = ::poll(&p, 1, static_cast<int>(timeout.count() * 1000));
            if (rc == 0) {
                last_error = "no answer within " + std::to_string(timeout.count()) + " s";
                ::close(fd);
                continue;
            }
            int error = 0;
            socklen_t size = sizeof error;
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size);
            rc = error == 0 ? 0 : -1;
            errno = error;
        }
        if (rc != 0) {
            last_error = std::strerror(errno);
            ::close(fd);
            continue;
        }
        fcntl(fd, F_SETFL, flags);
        timeval limit{};
        limit.tv_sec = static_cast<decltype(limit.tv_sec)>(timeout.count());
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, sizeof limit);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &limit, sizeof limit);
        return fd;
    }
    fail(address, "cannot connect: " + last_error);
}

bool is_ip_literal(const std::string& host) {
    unsigned char buffer[sizeof(in6_addr)];
    return inet_pton(AF_INET, host.c_str(), buffer) == 1 || inet_pton(AF_INET6, host.c_str(), buffer) == 1;
}

class TlsRedisConnection final : public RedisConnection {
public:
    TlsRedisConnection(const RedisAddress& address, const RedisTls& tls, std::chrono::seconds timeout)
        : address_(address), timeout_(timeout) {
        context_.reset(SSL_CTX_new(TLS_client_method()));
        if (!context_) fail(address_, "cannot start TLS: " + openssl_reason());
        SSL_CTX_set_min_proto_version(context_.get(), TLS1_2_VERSION);
        if (tls.verify) {
            SSL_CTX_set_verify(context_.get(), SSL_VERIFY_PEER, nullptr);
            bool loaded = tls.ca_file.empty() ? SSL_CTX_set_default_verify_paths(context_.get()) == 1
                                              : SSL_CTX_load_verify_locations(context_.get(), tls.ca_file.c_str(), nullptr) == 1;
            if (!loaded) {
                fail(address_, "cannot read the CA certificates" + (tls.ca_file.empty() ? std::string() : " in tls_ca " + tls.ca_file) +
                                   ": " + openssl_reason());
            }
        } else {
            SSL_CTX_set_verify(context_.get(), SSL_VERIFY_NONE, nullptr);
        }
        fd_.fd = connect_tcp(address_, timeout_);
        ssl_.reset(SSL_new(context_.get()));
        if (!ssl_ || SSL_set_fd(ssl_.get(), fd_.fd) != 1) fail(address_, "cannot start TLS: " + openssl_reason());
        bool ip = is_ip_literal(address_.host);
        if (!ip) {
            // SNI (SSL_set_tlsext_host_name, spelled out: the macro's C cast fails -Wold-style-cast).
            SSL_ctrl(ssl_.get(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                     const_cast<char*>(address_.host.c_str()));
        }
        if (tls.verify) {
            // The certificate must be for this host, not merely signed by a trusted CA.
            X509_VERIFY_PARAM* param = SSL_get0_param(ssl_.get());
            int ok = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, address_.host.c_str())
                        : X509_VERIFY_PARAM_set1_host(param, address_.host.c_str(), 0);
            if (ok != 1) fail(address_, "cannot check the certificate's host name: " + openssl_reason());
        }
        if (SSL_connect(ssl_.get()) != 1) {
            long verified = SSL_get_verify_result(ssl_.get());
            if (tls.verify && verified != X509_V_OK) {
                fail(address_, std::string("TLS: the server's certificate does not verify (") +
                                   X509_verify_cert_error_string(verified) +
                                   ") — give tls_ca: FILE for a private CA, or tls_verify: false for a server with a "
                                   "self-signed certificate (Heroku)");
            }
            bool timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
            std::string reason = openssl_reason();
            if (timed_out) {
                reason = "no answer within " + std::to_string(timeout_.count()) +
                         " s — is this port plain Redis (redis://) rather than TLS (rediss://)?";
            }
            fail(address_, "TLS handshake failed: " + reason);
        }
        reader_.reset(redisReaderCreate());
        if (!reader_) fail(address_, "out of memory");
    }

    ~TlsRedisConnection() override {
        if (ssl_) SSL_shutdown(ssl_.get()); // a polite close_notify; the socket closes after the SSL object goes
    }

    RedisReplyPtr command(const std::vector<std::string>& words) override {
        CommandArgv args(words);
        char* framed = nullptr;
        int length = redisFormatCommandArgv(&framed, args.count(), args.argv.data(), args.lengths.data());
        if (length < 0) fail(address_, "out of memory");
        std::unique_ptr<char, decltype(&std::free)> owned(framed, &std::free);
        for (int sent = 0; sent < length;) {
            int n = SSL_write(ssl_.get(), framed + sent, length - sent);
            if (n <= 0) lost(words[0]);
            sent += n;
        }
        for (;;) {
            void* reply = nullptr;
            if (redisReaderGetReply(reader_.get(), &reply) != REDIS_OK) fail(address_, words[0] + " failed: not a Redis reply");
            if (reply) return RedisReplyPtr(static_cast<redisReply*>(reply));
            char buffer[16384];
            int n = SSL_read(ssl_.get(), buffer, sizeof buffer);
            if (n <= 0) lost(words[0]);
            redisReaderFeed(reader_.get(), buffer, static_cast<std::size_t>(n));
        }
    }

private:
    [[noreturn]] void lost(const std::string& command) {
        bool timed_out = errno == EAGAIN || errno == EWOULDBLOCK;
        ERR_clear_error();
        fail(address_, command + " failed: " +
                           (timed_out ? "no answer within " + std::to_string(timeout_.count()) + " s" : std::string("connection lost")));
    }

    RedisAddress address_;
    std::chrono::seconds timeout_;
    UniqueFd fd_; // declared first: closed last
    std::unique_ptr<SSL_CTX, SslCtxFree> context_;
    std::unique_ptr<SSL, SslFree> ssl_;
    std::unique_ptr<redisReader, ReaderFree> reader_;
};

} // namespace

std::unique_ptr<RedisConnection> connect_redis(const RedisAddress& address, const RedisTls& tls,
                                               std::chrono::seconds timeout) {
    if (address.tls) return std::make_unique<TlsRedisConnection>(address, tls, timeout);
    return std::make_unique<PlainRedisConnection>(address, timeout);
}

} // namespace pgscrub::runbook
