// The JSON reader and writer. Text either fails with ParseError (at an
// offset inside the text) or parses to a value whose serialisation parses
// back to a value with the same serialisation.

#include "common/json_text.hpp"
#include "fuzz/fuzz_support.hpp"

using namespace pgscrub;
namespace json = common::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text = fuzz::as_text(data, size);
    std::string once;
    try {
        once = json::serialise(json::parse(text));
    } catch (const json::ParseError& e) {
        PGSCRUB_FUZZ_EXPECT(e.offset() <= text.size());
        return 0;
    }
    std::string twice;
    try {
        twice = json::serialise(json::parse(once));
    } catch (const json::ParseError&) {
        PGSCRUB_FUZZ_EXPECT(!"serialised JSON parses");
    }
    PGSCRUB_FUZZ_EXPECT(twice == once);
    return 0;
}
