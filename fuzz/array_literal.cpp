// PostgreSQL array literals. A literal either fails with TransformError or
// reads into elements such that rewriting it unchanged reports no change,
// gives the same elements, and is canonical (rewriting that is a fixpoint).

#include "anonymise/array_literal.hpp"
#include "fuzz/fuzz_support.hpp"

using namespace pgscrub;
namespace array_literal = anonymise::array_literal;

namespace {

bool keep(const std::optional<std::string_view>& element, std::string& result) {
    if (!element) return false;
    result.assign(*element);
    return true;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view literal = fuzz::as_text(data, size);
    std::vector<std::optional<std::string>> elements;
    std::string canonical;
    bool changed = true;
    try {
        elements = array_literal::elements(literal);
        canonical = array_literal::rewrite(literal, keep, changed);
    } catch (const anonymise::TransformError&) {
        return 0;
    }
    PGSCRUB_FUZZ_EXPECT(!changed);
    PGSCRUB_FUZZ_EXPECT(array_literal::elements(canonical) == elements);
    bool changed_again = true;
    PGSCRUB_FUZZ_EXPECT(array_literal::rewrite(canonical, keep, changed_again) == canonical);
    PGSCRUB_FUZZ_EXPECT(!changed_again);

    // Elements written by append_element read back as themselves.
    std::string built = "{";
    for (std::size_t i = 0; i < elements.size(); ++i) {
        if (i) built += ',';
        if (elements[i])
            array_literal::append_element(built, *elements[i]);
        else
            built += "NULL";
    }
    built += '}';
    PGSCRUB_FUZZ_EXPECT(array_literal::elements(built) == elements);
    return 0;
}
