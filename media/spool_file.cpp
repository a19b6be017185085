#include "media/spool_file.hpp"

#include "common/error.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <unistd.h>
#include <vector>

namespace pgscrub::media {

namespace {

[[noreturn]] void output_failure(const std::string& what) {
    throw common::Error(common::ErrorKind::Output, what + ": " + std::strerror(errno));
}

class SpoolInput final : public common::InputStream {
public:
    SpoolInput(std::string name, std::unique_ptr<SpoolFile> file)
        : InputStream(std::move(name)), file_(std::move(file)) {}

private:
    std::size_t read_raw(char* buffer, std::size_t size) override {
        std::size_t n = file_->read_at(offset_, buffer, size);
        offset_ += n;
        return n;
    }
    std::unique_ptr<SpoolFile> file_;
    std::uint64_t offset_ = 0;
};

} // namespace

SpoolFile::SpoolFile() {
    std::string pattern = (std::filesystem::temp_directory_path() / "pgscrub-s3-XXXXXX").string();
    fd_ = ::mkstemp(pattern.data());
    if (fd_ < 0) output_failure("cannot create a temporary file in " + std::filesystem::temp_directory_path().string());
    ::unlink(pattern.c_str());
}

SpoolFile::~SpoolFile() {
    ::close(fd_);
}

void SpoolFile::append(std::string_view bytes) {
    while (!bytes.empty()) {
        ssize_t n = ::pwrite(fd_, bytes.data(), bytes.size(), static_cast<off_t>(size_));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) output_failure("cannot write a temporary file");
        bytes.remove_prefix(static_cast<std::size_t>(n));
        size_ += static_cast<std::uint64_t>(n);
    }
}

std::size_t SpoolFile::read_at(std::uint64_t offset, char* buffer, std::size_t size) const {
    for (;;) {
        ssize_t n = ::pread(fd_, buffer, size, static_cast<off_t>(offset));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) output_failure("cannot read a temporary file");
        return static_cast<std::size_t>(n);
    }
}

void SpoolFile::drop_front(std::uint64_t bytes) {
    bytes = std::min(bytes, size_);
    const std::uint64_t rest = size_ - bytes;
    std::vector<char> buffer(std::min<std::uint64_t>(rest, std::uint64_t{1} << 20));
    for (std::uint64_t moved = 0; moved < rest;) {
        std::size_t n = read_at(bytes + moved, buffer.data(), std::min<std::uint64_t>(buffer.size(), rest - moved));
        if (n == 0) output_failure("a temporary file is shorter than written");
        for (std::size_t done = 0; done < n;) {
            ssize_t w = ::pwrite(fd_, buffer.data() + done, n - done, static_cast<off_t>(moved + done));
            if (w < 0 && errno == EINTR) continue;
            if (w < 0) output_failure("cannot write a temporary file");
            done += static_cast<std::size_t>(w);
        }
        moved += n;
    }
    if (::ftruncate(fd_, static_cast<off_t>(rest)) != 0) output_failure("cannot truncate a temporary file");
    size_ = rest;
}

std::unique_ptr<common::InputStream> spool_input(std::string name, std::unique_ptr<SpoolFile> file) {
    return std::make_unique<SpoolInput>(std::move(name), std::move(file));
}

} // namespace pgscrub::media
