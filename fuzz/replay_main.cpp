// Runs a fuzz target over files instead of under libFuzzer: each argument is
// a file or a directory of files (the seed corpus, kept crash reproducers).
// The normal build links every target with this, so CTest replays all of
// them on every run with the project's own compiler and sanitizers.

#include "fuzz/fuzz_support.hpp"

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

namespace {

std::string read_whole(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        std::fprintf(stderr, "cannot read %s\n", path.c_str());
        std::exit(2);
    }
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

} // namespace

// libFuzzer runs with -malloc_limit_mb=1024 (scripts/fuzz.sh), so an input
// that makes a parser allocate gigabytes is a finding. Replays keep that
// meaning with an address-space limit, except under AddressSanitizer, which
// reserves terabytes of shadow memory up front.
void limit_memory() {
#if !defined(__SANITIZE_ADDRESS__)
    constexpr rlim_t kLimit = rlim_t{2} << 30;
    struct rlimit limit {kLimit, kLimit};
    ::setrlimit(RLIMIT_AS, &limit);
#endif
}

int main(int argc, char** argv) {
    limit_memory();
    std::vector<std::filesystem::path> files;
    for (int i = 1; i < argc; ++i) {
        std::filesystem::path arg = argv[i];
        if (std::filesystem::is_directory(arg)) {
            for (const auto& entry : std::filesystem::recursive_directory_iterator(arg))
                if (entry.is_regular_file() && entry.path().filename().string()[0] != '.') files.push_back(entry.path());
        } else if (std::filesystem::exists(arg)) {
            files.push_back(arg);
        } else {
            std::fprintf(stderr, "%s: no such file or directory\n", arg.c_str());
            return 2;
        }
    }
    // A stable order, so a failure names the same input every time.
    std::sort(files.begin(), files.end());
    for (const auto& path : files) {
        std::string bytes = read_whole(path);
        std::fprintf(stderr, "replay %s\n", path.c_str());
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    }
    std::printf("%zu inputs replayed\n", files.size());
    return files.empty() ? 1 : 0;
}
