#include "dump/isal_inflate.hpp"

#include "dump/archive_error.hpp"

#include <isa-l/igzip_lib.h>

#include <cstdint>
#include <string>
#include <vector>

namespace pgscrub::dump {

namespace {

// Large enough that igzip decodes straight into it rather than through its
// own 64 KiB history buffer.
constexpr std::size_t kOutBuffer = 256 * 1024;

std::string isal_error(int rc, bool gzip_file) {
    std::string what;
    switch (rc) {
    case ISAL_INVALID_BLOCK:
        what = "invalid deflate block";
        break;
    case ISAL_INVALID_SYMBOL:
        what = "invalid deflate code";
        break;
    case ISAL_INVALID_LOOKBACK:
        what = "invalid distance too far back";
        break;
    case ISAL_INVALID_WRAPPER:
        what = gzip_file ? "not a gzip header" : "incorrect zlib header";
        break;
    case ISAL_UNSUPPORTED_METHOD:
        what = "unknown compression method";
        break;
    case ISAL_INCORRECT_CHECKSUM:
        what = "incorrect data check";
        break;
    case ISAL_NEED_DICT:
        what = "the stream needs a preset dictionary";
        break;
    default:
        what = "igzip error " + std::to_string(rc);
        break;
    }
    return "corrupt gzip data: " + what;
}

class IsalInflater final : public Decompressor {
public:
    IsalInflater(common::ByteSink& out, bool gzip_file) : out_(out), gzip_file_(gzip_file), buffer_(kOutBuffer) {
        start_member();
    }

    void feed(std::string_view bytes) override {
        while (!bytes.empty()) {
            if (ended_) {
                // gzip files may hold several members (gzread reads them all);
                // a zlib stream must end with its block.
                if (!gzip_file_) throw ArchiveError("corrupt gzip data: bytes after the end of the compressed stream");
                start_member();
            }
            if (!gzip_file_ && header_seen_ < 2) check_zlib_flags(bytes);
            bytes = inflate_some(bytes);
        }
    }

    void finish() override {
        if (!ended_) throw ArchiveError("corrupt gzip data: the compressed stream is truncated");
    }

private:
    void start_member() {
        isal_inflate_init(&state_);
        // ISAL_GZIP / ISAL_ZLIB: igzip parses the header and verifies the
        // trailer's checksum (and a gzip file's length) itself.
        state_.crc_flag = gzip_file_ ? ISAL_GZIP : ISAL_ZLIB;
        ended_ = false;
    }

    // igzip reports a preset dictionary (FDICT) only when the whole header
    // comes in one piece; zlib always refuses one, and so do we.
    void check_zlib_flags(std::string_view bytes) {
        for (std::size_t i = 0; i < bytes.size() && header_seen_ < 2; ++i) {
            if (header_seen_++ == 1 && (static_cast<unsigned char>(bytes[i]) & 0x20)) {
                throw ArchiveError("corrupt gzip data: the stream needs a preset dictionary");
            }
        }
    }

    // Inflates from `in` until it is used up or the member ends; returns what
    // follows the member's end.
    std::string_view inflate_some(std::string_view in) {
        state_.next_in = reinterpret_cast<std::uint8_t*>(const_cast<char*>(in.data()));
        state_.avail_in = static_cast<std::uint32_t>(in.size());
        for (;;) {
            std::uint32_t avail_in_before = state_.avail_in;
            state_.next_out = reinterpret_cast<std::uint8_t*>(buffer_.data());
            state_.avail_out = static_cast<std::uint32_t>(buffer_.size());
            int rc = isal_inflate(&state_);
            std::size_t produced = buffer_.size() - state_.avail_out;
            if (produced > 0) out_.write({buffer_.data(), produced});
            if (rc != ISAL_DECOMP_OK) throw ArchiveError(isal_error(rc, gzip_file_));
            if (state_.block_state == ISAL_BLOCK_FINISH) return member_end(in);
            if (produced == buffer_.size()) continue; // more output may be waiting
            if (state_.avail_in == 0) return {};      // needs more input
            if (state_.avail_in == avail_in_before && produced == 0) {
                throw ArchiveError("corrupt gzip data: the decoder made no progress");
            }
        }
    }

    // What follows a finished member: igzip 2.30 may hold up to 8 bytes read
    // past the trailer in its bit buffer (later versions give them back in
    // next_in); either way they follow the member.
    std::string_view member_end(std::string_view in) {
        ended_ = true;
        std::string_view rest = in.substr(in.size() - state_.avail_in);
        int buffered = state_.read_in_length / 8;
        if (buffered == 0) return rest;
        if (!gzip_file_) throw ArchiveError("corrupt gzip data: bytes after the end of the compressed stream");
        std::uint64_t bits = state_.read_in >> (state_.read_in_length % 8);
        std::string carried;
        for (int i = 0; i < buffered; ++i) carried.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
        start_member();
        // The carried bytes come before `rest`. A gzip member is at least 18
        // bytes long, so they cannot hold a whole one.
        if (!inflate_some(carried).empty() || ended_) {
            throw ArchiveError("corrupt gzip data: a gzip member too short to be valid");
        }
        return rest;
    }

    common::ByteSink& out_;
    bool gzip_file_;
    bool ended_ = false;
    int header_seen_ = 0; // bytes of a zlib header looked at
    inflate_state state_{};
    std::vector<char> buffer_;
};

} // namespace

std::unique_ptr<Decompressor> make_isal_inflater(common::ByteSink& out, bool gzip_file) {
    return std::make_unique<IsalInflater>(out, gzip_file);
}

} // namespace pgscrub::dump
