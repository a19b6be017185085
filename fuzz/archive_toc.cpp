// The archive header and TOC (custom files and toc.dat): whatever the bytes,
// reading either fails with ArchiveError or gives entries that encode and
// read back to the same bytes.

#include "common/byte_stream.hpp"
#include "dump/archive_error.hpp"
#include "dump/toc_codec.hpp"
#include "fuzz/fuzz_support.hpp"

using namespace pgscrub;

namespace {

std::string encode(const dump::ArchiveHeader& header, const std::vector<dump::TocEntry>& entries, dump::TocFlavour flavour) {
    return dump::encode_header(header) + dump::encode_toc(entries, header, flavour).bytes;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [control, body] = fuzz::take_control(fuzz::as_text(data, size), 1);
    const auto flavour = !control.empty() && (control[0] & 1) ? dump::TocFlavour::Filenames : dump::TocFlavour::Offsets;

    dump::ArchiveHeader header;
    std::vector<dump::TocEntry> entries;
    try {
        common::MemoryInput in("fuzz.custom", std::string(body));
        header = dump::read_header(in);
        entries = dump::read_toc(in, header, flavour);
    } catch (const common::Error& e) {
        (void)e.describe();
        return 0;
    }
    for (const auto& entry : entries) (void)entry.describe();

    // What was read encodes to bytes that read back to the same model.
    std::string once = encode(header, entries, flavour);
    common::MemoryInput again("fuzz.reencoded", once);
    dump::ArchiveHeader header2;
    std::vector<dump::TocEntry> entries2;
    try {
        header2 = dump::read_header(again);
        entries2 = dump::read_toc(again, header2, flavour);
    } catch (const common::Error& e) {
        std::fprintf(stderr, "re-read failed: %s\n", e.describe().c_str());
        PGSCRUB_FUZZ_EXPECT(!"an encoded TOC reads back");
    }
    PGSCRUB_FUZZ_EXPECT(entries2.size() == entries.size());
    PGSCRUB_FUZZ_EXPECT(encode(header2, entries2, flavour) == once);
    return 0;
}
