// The COPY text codec. For any bytes, split at any boundaries:
//   - the rows are the same however the stream is cut into pieces;
//   - a stream that ends well is its rows, each with `\n`, then its trailer;
//   - every field that decodes re-encodes to text that decodes to the same
//     value, and a field without escapes is its own value.

#include "dump/copy_text.hpp"
#include "fuzz/fuzz_support.hpp"

using namespace pgscrub;
namespace copy_text = dump::copy_text;

namespace {

struct Split {
    std::vector<std::string> rows;
    copy_text::StreamEnd end;
    std::string trailer;
};

Split split_rows(const std::vector<std::string_view>& pieces) {
    Split result;
    copy_text::RowSplitter splitter;
    for (std::string_view piece : pieces)
        splitter.feed(piece, [&](std::string_view row) { result.rows.emplace_back(row); });
    result.end = splitter.finish();
    result.trailer = splitter.trailer();
    return result;
}

void check_fields(std::string_view row) {
    std::vector<std::string_view> fields;
    copy_text::split_fields(row, fields);
    PGSCRUB_FUZZ_EXPECT(!fields.empty());
    for (std::string_view raw : fields) {
        if (copy_text::is_null(raw)) continue;
        std::string value;
        if (!copy_text::decode_field(raw, value)) continue;
        if (!copy_text::has_escapes(raw)) PGSCRUB_FUZZ_EXPECT(value == raw);
        if (value.find('\0') != std::string::npos) continue; // not encodable: PostgreSQL rejects it first
        std::string encoded;
        copy_text::encode_field(value, encoded);
        PGSCRUB_FUZZ_EXPECT(copy_text::needs_escaping(value) == (encoded != value));
        std::string decoded_again;
        PGSCRUB_FUZZ_EXPECT(static_cast<bool>(copy_text::decode_field(encoded, decoded_again)));
        PGSCRUB_FUZZ_EXPECT(decoded_again == value);
        // An encoded value is one field: it holds no unescaped TAB or LF.
        std::vector<std::string_view> one;
        copy_text::split_fields(encoded, one);
        PGSCRUB_FUZZ_EXPECT(one.size() == 1);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [shape, stream] = fuzz::take_control(fuzz::as_text(data, size), 16);
    Split whole = split_rows({stream});
    Split pieces = split_rows(fuzz::split_by_shape(stream, shape));
    PGSCRUB_FUZZ_EXPECT(pieces.rows == whole.rows);
    PGSCRUB_FUZZ_EXPECT(pieces.trailer == whole.trailer);
    PGSCRUB_FUZZ_EXPECT(static_cast<bool>(pieces.end) == static_cast<bool>(whole.end));
    if (whole.end) {
        std::string rebuilt;
        for (const auto& row : whole.rows) rebuilt.append(row).push_back('\n');
        rebuilt += whole.trailer;
        PGSCRUB_FUZZ_EXPECT(rebuilt == stream);
    } else {
        PGSCRUB_FUZZ_EXPECT(!whole.end.message().empty());
    }
    for (const auto& row : whole.rows) check_fields(row);
    return 0;
}
