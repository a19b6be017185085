// The plain-script reader. It passes everything outside COPY data blocks
// through byte for byte, so whatever the input, the SQL text it hands over
// and the data blocks' bytes, in order, must be exactly the input again; or
// reading fails with ArchiveError (a data block with no `\.`).

#include "dump/archive_error.hpp"
#include "dump/plain_format.hpp"
#include "fuzz/fuzz_support.hpp"

using namespace pgscrub;

namespace {

class ReassemblingVisitor final : public dump::PlainVisitor {
public:
    void sql(std::string_view text) override { output.append(text); }
    void statement(std::string_view text) override { statements_size += text.size(); }
    void copy_data(const dump::PlainCopyBlock& block, dump::Payload& data) override {
        (void)block.qualified_name();
        common::StringSink sink;
        data.decode(sink);
        output += sink.data;
    }
    std::string output;
    std::size_t statements_size = 0;
};

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [control, body] = fuzz::take_control(fuzz::as_text(data, size), 1);
    // Small reads put statement and data boundaries across refills.
    std::size_t max_read = control.empty() ? SIZE_MAX : static_cast<unsigned char>(control[0]) + 1;
    common::MemoryInput in("fuzz.sql", std::string(body), max_read);
    ReassemblingVisitor visitor;
    try {
        dump::read_plain(in, visitor);
    } catch (const common::Error& e) {
        (void)e.describe();
        return 0;
    }
    PGSCRUB_FUZZ_EXPECT(visitor.output == body);
    PGSCRUB_FUZZ_EXPECT(visitor.statements_size <= body.size());
    return 0;
}
