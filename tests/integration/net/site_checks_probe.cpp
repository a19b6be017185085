// A test driver for the library functions the runbook calls, which have no
// command of their own: the integration tests run it against a real
// redis-server and a loopback HTTP server.
//
//   pgscrub_site_checks_probe flush REDIS_URL [--insecure] [--cacert PEM] [--timeout SECONDS]
//   pgscrub_site_checks_probe check URL STATUS [--follow] [--timeout SECONDS]
//   pgscrub_site_checks_probe fetch URL [--low-speed-time SECONDS] [--cacert PEM]   # the body to stdout
//
// Exit codes as pgscrub's: 0 success, 1 the status differs, 2 usage, 3 error
// (its one-line message on stderr).

#include "dump/archive_error.hpp"
#include "net/http_input.hpp"
#include "runbook/site_checks.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace pgscrub;

namespace {

int usage() {
    std::fprintf(stderr, "usage: pgscrub_site_checks_probe flush REDIS_URL [--insecure] [--cacert PEM] [--timeout S] | "
                         "check URL STATUS [--follow] [--timeout S] | "
                         "fetch URL [--low-speed-time S] [--cacert PEM]\n");
    return 2;
}

int flush(const std::vector<std::string>& args) {
    if (args.empty()) return usage();
    runbook::RedisTls tls;
    long timeout = 10;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--insecure") tls.verify = false;
        else if (args[i] == "--cacert" && i + 1 < args.size()) tls.ca_file = args[++i];
        else if (args[i] == "--timeout" && i + 1 < args.size()) timeout = std::stol(args[++i]);
        else return usage();
    }
    runbook::RedisFlushResult result = runbook::flush_redis(args[0], std::chrono::seconds{timeout}, tls);
    std::printf("flushed %lld keys from database %d of %s\n", result.keys_before, result.database, result.address.c_str());
    return 0;
}

int check(const std::vector<std::string>& args) {
    if (args.size() < 2) return usage();
    bool follow = false;
    long timeout = 10;
    for (std::size_t i = 2; i < args.size(); ++i) {
        if (args[i] == "--follow") follow = true;
        else if (args[i] == "--timeout" && i + 1 < args.size()) timeout = std::stol(args[++i]);
        else return usage();
    }
    runbook::CheckResult result = runbook::check_url(args[0], std::stol(args[1]), std::chrono::seconds{timeout}, follow);
    std::printf("%s\n", result.summary().c_str());
    return result.matches() ? 0 : 1;
}

int fetch(const std::vector<std::string>& args) {
    if (args.empty()) return usage();
    net::HttpInputOptions options;
    for (std::size_t i = 1; i < args.size(); ++i) {
        if (args[i] == "--low-speed-time" && i + 1 < args.size()) options.low_speed_time = std::chrono::seconds{std::stol(args[++i])};
        else if (args[i] == "--cacert" && i + 1 < args.size()) options.ca_file = args[++i];
        else return usage();
    }
    auto in = net::HttpInput::open(args[0], options);
    std::vector<char> buffer(64 * 1024);
    std::uint64_t total = 0;
    while (std::size_t got = in->read_some(buffer.data(), buffer.size())) {
        if (std::fwrite(buffer.data(), 1, got, stdout) != got) {
            std::fprintf(stderr, "pgscrub_site_checks_probe: write to stdout failed\n");
            return 3;
        }
        total += got;
    }
    std::fprintf(stderr, "fetched %llu bytes from %s\n", static_cast<unsigned long long>(total), in->name().c_str());
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) return usage();
    std::string command = args[0];
    args.erase(args.begin());
    try {
        if (command == "flush") return flush(args);
        if (command == "check") return check(args);
        if (command == "fetch") return fetch(args);
        return usage();
    } catch (const common::Error& e) {
        std::fprintf(stderr, "pgscrub_site_checks_probe %s: %s\n", command.c_str(), e.describe().c_str());
        return 3;
    }
}
