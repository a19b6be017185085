#include "common/byte_stream.hpp"

#include "common/interrupts.hpp"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <vector>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

namespace pgscrub::common {

namespace {
constexpr std::size_t kInputBufferSize = 256 * 1024;
constexpr std::size_t kOutputBufferSize = 256 * 1024;
} // namespace

std::vector<std::string> remove_stale_partials(const std::string& path) {
    namespace fs = std::filesystem;
    std::vector<std::string> removed;
    fs::path final_path(path);
    fs::path dir = final_path.parent_path().empty() ? fs::path(".") : final_path.parent_path();
    const std::string prefix = final_path.filename().string() + ".pgscrub-partial-";
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name.size() <= prefix.size() || name.compare(0, prefix.size(), prefix) != 0) continue;
        const std::string pid_text = name.substr(prefix.size());
        if (pid_text.find_first_not_of("0123456789") != std::string::npos || pid_text.size() > 9) continue;
        const pid_t pid = static_cast<pid_t>(std::stol(pid_text));
        // Still running (or not ours to signal): not stale.
        if (pid == ::getpid() || ::kill(pid, 0) == 0 || errno != ESRCH) continue;
        std::error_code remove_error;
        fs::remove_all(it->path(), remove_error);
        if (!remove_error) {
            // Named as the user named the output: "out.fc…", not "./out.fc…".
            std::string shown = final_path.parent_path().empty() ? name : (final_path.parent_path() / name).string();
            std::fprintf(stderr, "pgscrub: removed %s, the partial output of an earlier run (process %s) that was killed\n",
                         shown.c_str(), pid_text.c_str());
            removed.push_back(std::move(shown));
        }
    }
    return removed;
}

void throw_system_error(const std::string& path, std::string_view action, common::ErrorKind kind) {
    throw Error(kind, std::string(action) + ": " + std::strerror(errno), ErrorLocation{path, {}, {}, {}});
}

InputStream::InputStream(std::string name)
    : name_(std::move(name)), buffer_(new char[kInputBufferSize]) {}

void InputStream::refill() {
    if (begin_ > 0 && begin_ < end_) std::memmove(buffer_.get(), buffer_.get() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
    // One read: on a pipe, waiting to fill the whole buffer would stall the
    // consumer while the producer is slow.
    end_ += read_raw(buffer_.get() + end_, kInputBufferSize - end_);
}

std::size_t InputStream::read_some(char* buffer, std::size_t size) {
    if (size == 0) return 0;
    if (begin_ == end_) {
        // Large reads bypass the buffer: the payload copy loops hit this path.
        if (size >= kInputBufferSize) {
            std::size_t got = read_raw(buffer, size);
            position_ += got;
            return got;
        }
        refill();
        if (begin_ == end_) return 0;
    }
    std::size_t n = std::min(size, end_ - begin_);
    std::memcpy(buffer, buffer_.get() + begin_, n);
    begin_ += n;
    position_ += n;
    return n;
}

void InputStream::read_exact(char* buffer, std::size_t size, std::string_view what) {
    std::size_t done = 0;
    std::uint64_t start = position_;
    while (done < size) {
        std::size_t got = read_some(buffer + done, size - done);
        if (got == 0) {
            throw Error(ErrorKind::Input, "unexpected end of file: expected " + std::string(what) + " (" +
                                   std::to_string(size) + " bytes, found " + std::to_string(done) +
                                   "); the archive is truncated",
                               ErrorLocation{name_, start, {}, {}});
        }
        done += got;
    }
}

void InputStream::skip(std::uint64_t size, std::string_view what) {
    std::uint64_t buffered = end_ - begin_;
    if (size <= buffered) {
        begin_ += size;
        position_ += size;
        return;
    }
    if (seekable() && seek_raw(position_ + size)) {
        begin_ = end_ = 0;
        position_ += size;
        return;
    }
    char scratch[16384];
    while (size > 0) {
        std::size_t want = static_cast<std::size_t>(std::min<std::uint64_t>(size, sizeof scratch));
        read_exact(scratch, want, what);
        size -= want;
    }
}

std::string_view InputStream::peek(std::size_t size) {
    size = std::min(size, kInputBufferSize);
    while (end_ - begin_ < size) {
        std::size_t before = end_ - begin_;
        refill();
        if (end_ - begin_ == before) break;
    }
    return {buffer_.get() + begin_, std::min(size, end_ - begin_)};
}

std::unique_ptr<FileInput> FileInput::open(const std::string& path) {
    if (path == "-") return std::unique_ptr<FileInput>(new FileInput("-", STDIN_FILENO, false));
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw_system_error(path, "cannot open for reading");
    return std::unique_ptr<FileInput>(new FileInput(path, fd, true));
}

FileInput::FileInput(std::string name, int fd, bool owned)
    : InputStream(std::move(name)), fd_(fd), owned_(owned) {
    struct stat st {};
    seekable_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode);
#ifdef POSIX_FADV_SEQUENTIAL
    if (seekable_) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
}

FileInput::~FileInput() {
    if (owned_) ::close(fd_);
}

std::size_t FileInput::read_raw(char* buffer, std::size_t size) {
    for (;;) {
        common::throw_if_interrupted(name());
        ssize_t got = ::read(fd_, buffer, size);
        if (got >= 0) return static_cast<std::size_t>(got);
        if (errno == EINTR) continue;
        throw_system_error(name(), "read failed");
    }
}

bool FileInput::seek_raw(std::uint64_t position) {
    return ::lseek(fd_, static_cast<off_t>(position), SEEK_SET) >= 0;
}

MemoryInput::MemoryInput(std::string name, std::string data, std::size_t max_read)
    : InputStream(std::move(name)), data_(std::move(data)), max_read_(max_read) {}

std::size_t MemoryInput::read_raw(char* buffer, std::size_t size) {
    std::size_t n = std::min({size, data_.size() - offset_, max_read_});
    std::memcpy(buffer, data_.data() + offset_, n);
    offset_ += n;
    return n;
}

std::unique_ptr<FileOutput> FileOutput::create(const std::string& path) {
    if (path == "-") return std::unique_ptr<FileOutput>(new FileOutput("-", "", STDOUT_FILENO, false));
    // A device or a pipe (/dev/null, a FIFO) is written in place: renaming a
    // temporary file onto it would replace the device with a regular file.
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            throw Error(ErrorKind::Output, "output is a directory; give a file name, or --format directory",
                               ErrorLocation{path, {}, {}, {}});
        }
        int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
        if (fd < 0) throw_system_error(path, "cannot open output for writing", common::ErrorKind::Output);
        return std::unique_ptr<FileOutput>(new FileOutput(path, "", fd, true));
    }
    remove_stale_partials(path);
    std::string temp = path + ".pgscrub-partial-" + std::to_string(::getpid());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) throw_system_error(path, "cannot create output file", common::ErrorKind::Output);
    return std::unique_ptr<FileOutput>(new FileOutput(path, temp, fd, true));
}

std::unique_ptr<FileOutput> FileOutput::create_direct(const std::string& path) {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) throw_system_error(path, "cannot create output file", common::ErrorKind::Output);
    auto out = std::unique_ptr<FileOutput>(new FileOutput(path, "", fd, true));
    return out;
}

FileOutput::FileOutput(std::string final_name, std::string temp_name, int fd, bool owned)
    : final_name_(std::move(final_name)), temp_name_(std::move(temp_name)), fd_(fd), owned_(owned) {
    struct stat st {};
    seekable_ = ::fstat(fd_, &st) == 0 && S_ISREG(st.st_mode) &&
                ::lseek(fd_, 0, SEEK_CUR) == 0; // appending to an existing stdout file is not ours to seek
    buffer_.reserve(kOutputBufferSize);
}

FileOutput::~FileOutput() {
    if (owned_) {
        ::close(fd_);
        if (!committed_ && !temp_name_.empty()) ::unlink(temp_name_.c_str());
    }
}

void FileOutput::write(std::string_view bytes) {
    position_ += bytes.size();
    if (buffer_.size() + bytes.size() > kOutputBufferSize) {
        flush();
        if (bytes.size() >= kOutputBufferSize) {
            buffer_.assign(bytes);
            flush();
            return;
        }
    }
    buffer_.append(bytes);
}

void FileOutput::flush() {
    std::size_t done = 0;
    while (done < buffer_.size()) {
        common::throw_if_interrupted(final_name_);
        ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            // The offset in this output where writing stopped, so that an
            // outer layer does not fill in an offset of the input instead.
            const std::uint64_t at = position_ - buffer_.size() + done;
            throw Error(ErrorKind::Output, std::string("write failed: ") + std::strerror(errno),
                               ErrorLocation{final_name_, at, {}, {}});
        }
        done += static_cast<std::size_t>(n);
    }
    buffer_.clear();
}

void FileOutput::patch(std::uint64_t position, std::string_view bytes) {
    flush();
    std::size_t done = 0;
    while (done < bytes.size()) {
        ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(position + done));
        if (n < 0) {
            if (errno == EINTR) continue;
            throw Error(ErrorKind::Output, std::string("write failed: ") + std::strerror(errno),
                               ErrorLocation{final_name_, position + done, {}, {}});
        }
        done += static_cast<std::size_t>(n);
    }
}

void FileOutput::complete() {
    flush();
    if (temp_name_.empty() || completed_) return;
    if (::fsync(fd_) != 0) throw_system_error(final_name_, "fsync failed", common::ErrorKind::Output);
    completed_ = true;
}

void FileOutput::commit() {
    complete();
    if (temp_name_.empty()) return;
    if (::rename(temp_name_.c_str(), final_name_.c_str()) != 0) throw_system_error(final_name_, "cannot rename into place", common::ErrorKind::Output);
    committed_ = true;
}

void write_whole_file(const std::string& path, std::string_view text) {
    auto out = FileOutput::create(path);
    out->write(text);
    out->commit();
}

void write_record_file(const std::string& path, std::string_view text) {
    const std::string temp = path + ".pgscrub-partial-" + std::to_string(::getpid());
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) throw_system_error(path, "create", ErrorKind::Output);
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            int saved = errno;
            ::close(fd);
            ::unlink(temp.c_str());
            errno = saved;
            throw_system_error(path, "write", ErrorKind::Output);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0 || ::close(fd) != 0 || ::rename(temp.c_str(), path.c_str()) != 0) {
        int saved = errno;
        ::unlink(temp.c_str());
        errno = saved;
        throw_system_error(path, "write", ErrorKind::Output);
    }
}

} // namespace pgscrub::common
