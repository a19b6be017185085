#pragma once
// An unlinked temporary file in TMPDIR that holds bytes on their way through
// the S3 store: a download read back, an upload or an upload's current part
// (docs/media.md, "S3 locations"). It disappears with its descriptor,
// whatever stops the run, so memory stays bounded and nothing is left behind.

#include "common/byte_stream.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace pgscrub::media {

class SpoolFile {
public:
    // Throws common::Error (Output) naming TMPDIR when no file can be made.
    SpoolFile();
    ~SpoolFile();
    SpoolFile(const SpoolFile&) = delete;
    SpoolFile& operator=(const SpoolFile&) = delete;

    // Appends at the end (common::Error of kind Output on a full disk).
    void append(std::string_view bytes);
    // Up to `size` bytes from `offset`; 0 at the end.
    std::size_t read_at(std::uint64_t offset, char* buffer, std::size_t size) const;
    // Forgets the first `bytes` bytes: the rest moves to the front (an
    // upload's part that was sent; what follows is less than a part).
    void drop_front(std::uint64_t bytes);
    std::uint64_t size() const { return size_; }

private:
    int fd_ = -1;
    std::uint64_t size_ = 0;
};

// A spool file read from its start, as an input stream named `name`.
std::unique_ptr<common::InputStream> spool_input(std::string name, std::unique_ptr<SpoolFile> file);

// A sink that appends to `file`.
class SpoolSink final : public common::ByteSink {
public:
    explicit SpoolSink(SpoolFile& file) : file_(file) {}
    void write(std::string_view bytes) override { file_.append(bytes); }

private:
    SpoolFile& file_;
};

} // namespace pgscrub::media
