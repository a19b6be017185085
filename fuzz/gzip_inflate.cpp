// The gzip inflater (dump/isal_inflate.cpp, ISA-L's igzip) against zlib, the
// reference: the first byte picks a zlib stream or a gzip file, the next 16
// where the input is cut into pieces. The two may disagree on whether some
// odd streams are valid (zlib holds back-references to the window size a
// zlib header names, igzip does not), but whatever both read must decode to
// the same bytes.

#include "dump/archive_error.hpp"
#include "dump/compression.hpp"
#include "fuzz/fuzz_support.hpp"

#include <zlib.h>

#include <cstring>
#include <optional>

namespace {

// zlib's reading: a gzip file's members one after the other, as gzread reads
// them; nullopt where zlib finds the stream corrupt, truncated, or followed by
// bytes that are not a member.
std::optional<std::string> zlib_inflate(std::string_view stored, bool gzip_file) {
    z_stream s;
    std::memset(&s, 0, sizeof s);
    if (inflateInit2(&s, gzip_file ? 16 + MAX_WBITS : MAX_WBITS) != Z_OK) std::abort();
    s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(stored.data()));
    s.avail_in = static_cast<uInt>(stored.size());
    std::string out;
    char buffer[16384];
    int rc;
    for (;;) {
        s.next_out = reinterpret_cast<Bytef*>(buffer);
        s.avail_out = sizeof buffer;
        rc = inflate(&s, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - s.avail_out);
        if (rc == Z_STREAM_END && gzip_file && s.avail_in > 0) {
            inflateReset(&s);
            continue;
        }
        if (rc != Z_OK) break;
    }
    bool ok = rc == Z_STREAM_END && s.avail_in == 0;
    inflateEnd(&s);
    if (!ok) return std::nullopt;
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace pgscrub;
    auto [control, body] = fuzz::take_control(fuzz::as_text(data, size), 17);
    bool gzip_file = !control.empty() && (control[0] & 1);
    std::string_view shape = control.empty() ? control : control.substr(1);
    auto encoding = gzip_file ? dump::PayloadEncoding::GzipFile : dump::PayloadEncoding::ZlibStream;

    common::StringSink out;
    std::optional<std::string> igzip;
    try {
        auto d = dump::make_decompressor(encoding, out);
        for (std::string_view piece : fuzz::split_by_shape(body, shape)) d->feed(piece);
        d->finish();
        igzip = out.data;
    } catch (const dump::ArchiveError&) {
    }
    std::optional<std::string> zlib = zlib_inflate(body, gzip_file);
    if (igzip && zlib) PGSCRUB_FUZZ_EXPECT(*igzip == *zlib);
    return 0;
}
