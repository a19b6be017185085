// The custom-format reader end to end: header, TOC and every data stream,
// decompressed; see check_streamed_reader for the invariant.

#include "dump/custom_format.hpp"
#include "fuzz/archive_readers.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    pgscrub::fuzz::check_streamed_reader(pgscrub::dump::open_custom_reader, "fuzz.custom", pgscrub::fuzz::as_text(data, size));
    return 0;
}
