#pragma once
// Buffered byte streams over files, pipes and directories, with the position
// bookkeeping that error messages and custom-format offsets need.

#include "common/error.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>
#include <string_view>

namespace pgscrub::common {

// Receives bytes in pieces. Everything that produces a data stream (a
// decompressor, a reader copying stored bytes) pushes into one of these.
class ByteSink {
public:
    virtual ~ByteSink() = default;
    virtual void write(std::string_view bytes) = 0;
};

// A ByteSink that appends to a string: for tests and small in-memory streams.
class StringSink final : public ByteSink {
public:
    void write(std::string_view bytes) override { data.append(bytes); }
    std::string data;
};

// A ByteSink that drops what it is given: for skipping a payload.
class DiscardSink final : public ByteSink {
public:
    void write(std::string_view) override {}
};

// A sequential reader. Positions count from the start of the stream so an
// error can say "offset N" even on a pipe.
class InputStream {
public:
    virtual ~InputStream() = default;

    // Reads at most `size` bytes; 0 means end of stream.
    std::size_t read_some(char* buffer, std::size_t size);
    // Reads exactly `size` bytes or throws ArchiveError("unexpected end of
    // file: expected <what>"), naming the file and offset.
    void read_exact(char* buffer, std::size_t size, std::string_view what);
    // Skips `size` bytes (by seeking when possible).
    void skip(std::uint64_t size, std::string_view what);
    // Looks at the next bytes without consuming them (at most the buffer size).
    std::string_view peek(std::size_t size);

    std::uint64_t position() const { return position_; }
    const std::string& name() const { return name_; }
    virtual bool seekable() const { return false; }

protected:
    explicit InputStream(std::string name);
    // Fills `buffer` with up to `size` bytes from the source; 0 at end.
    virtual std::size_t read_raw(char* buffer, std::size_t size) = 0;
    virtual bool seek_raw(std::uint64_t) { return false; }

private:
    void refill();

    std::string name_;
    std::unique_ptr<char[]> buffer_;
    std::size_t begin_ = 0;
    std::size_t end_ = 0;
    std::uint64_t position_ = 0;
};

// A file, or standard input for "-".
class FileInput final : public InputStream {
public:
    static std::unique_ptr<FileInput> open(const std::string& path);
    ~FileInput() override;
    bool seekable() const override { return seekable_; }

private:
    FileInput(std::string name, int fd, bool owned);
    std::size_t read_raw(char* buffer, std::size_t size) override;
    bool seek_raw(std::uint64_t position) override;

    int fd_;
    bool owned_;
    bool seekable_;
};

// An in-memory stream (tests, small members).
class MemoryInput final : public InputStream {
public:
    MemoryInput(std::string name, std::string data, std::size_t max_read = SIZE_MAX);

private:
    std::size_t read_raw(char* buffer, std::size_t size) override;
    std::string data_;
    std::size_t offset_ = 0;
    std::size_t max_read_;
};

// A buffered writer to a file or standard output. A regular file is written
// under a temporary name beside its final name and renamed by commit(), so a
// failed run never leaves partial output where a restore would pick it up; a
// device or named pipe (/dev/null, a FIFO) is written in place.
class FileOutput final : public ByteSink {
public:
    // "-" is standard output.
    static std::unique_ptr<FileOutput> create(const std::string& path);
    // Writes straight to `path`, for files inside a directory that is itself
    // still under a temporary name.
    static std::unique_ptr<FileOutput> create_direct(const std::string& path);
    ~FileOutput() override;

    void write(std::string_view bytes) override;
    void flush();
    std::uint64_t position() const { return position_; }
    bool seekable() const { return seekable_; }
    // Overwrites bytes already written (seekable outputs only).
    void patch(std::uint64_t position, std::string_view bytes);
    // Flushes and syncs, still under the temporary name (read it back there
    // with pending_name() before deciding to commit).
    void complete();
    // complete(), then moves the file to its final name.
    void commit();
    // The temporary name; "" when written in place (stdout, a device, a pipe).
    const std::string& pending_name() const { return temp_name_; }
    const std::string& name() const { return final_name_; }

private:
    FileOutput(std::string final_name, std::string temp_name, int fd, bool owned);

    std::string final_name_;
    std::string temp_name_; // empty for stdout
    int fd_;
    bool owned_;
    bool seekable_ = false;
    bool completed_ = false;
    bool committed_ = false;
    std::uint64_t position_ = 0;
    std::string buffer_;
};

// Outputs are written as PATH.pgscrub-partial-PID and renamed when complete;
// a run killed with SIGKILL leaves its partial file (or directory) behind.
// Removes those of `path` whose process is gone, saying so on stderr, and
// returns their names. FileOutput::create and directory output call it.
std::vector<std::string> remove_stale_partials(const std::string& path);

// Writes `text` to `path` as FileOutput does (a temporary name renamed when
// complete; "-" is standard output): reports and pages, never half written.
void write_whole_file(const std::string& path, std::string_view text);

// write_whole_file for the small record a stopped run leaves so that a re-run
// resumes (media sync's manifest): written even while an interrupt is
// pending, which FileOutput refuses, because the interrupt is exactly when
// it is needed.
void write_record_file(const std::string& path, std::string_view text);

// Throws Error naming `path` and the errno text; of kind Input unless
// the failing call was about an output.
[[noreturn]] void throw_system_error(const std::string& path, std::string_view action,
                                     common::ErrorKind kind = common::ErrorKind::Input);

} // namespace pgscrub::common
