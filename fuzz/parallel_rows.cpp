// The row-parallel rewriter (scrub/parallel_row_rewriter.hpp), differentially
// and under ASan/UBSan: for any COPY text, cut into any pieces and chunks,
//   - 1 and 3 workers write the same bytes in the same writes, count the same
//     rows and changes, or fail with the same error (the first bad row's);
//   - when they succeed, the bytes are the sequential rewriter's.
// The plan keeps one column, fakes an e-mail and redacts a note, so the
// transforms run on worker threads too.

#include "anonymise/transform_registry.hpp"
#include "dump/archive_error.hpp"
#include "fuzz/fuzz_support.hpp"
#include "scrub/copy_stream_rewriter.hpp"
#include "scrub/parallel_row_rewriter.hpp"
#include "tests/unit/support/column_plans.hpp"

#include <optional>

using namespace pgscrub;

namespace {

const rules::TablePlan& plan() {
    static const rules::TablePlan table = [] {
        rules::TablePlan p;
        p.action = rules::TableAction::Transform;
        p.columns.push_back(test::column_plan("id", "keep"));
        p.columns.push_back(test::column_plan("email", "fake_email"));
        p.columns.push_back(test::column_plan("note", "redact"));
        return p;
    }();
    return table;
}

struct Sink final : common::ByteSink {
    void write(std::string_view bytes) override { writes.emplace_back(bytes); }
    std::vector<std::string> writes;
};

struct Outcome {
    std::vector<std::string> writes;
    std::uint64_t rows = 0;
    std::vector<std::uint64_t> changed;
    std::optional<std::string> error;
};

Outcome parallel(const std::vector<std::string_view>& pieces, int workers, std::size_t chunk_bytes) {
    static const anonymise::KeyedHash key("fuzz-key-0123456789");
    Outcome outcome;
    Sink out;
    try {
        scrub::ParallelRowRewriter rewriter(out, 3, &plan(), &key, {}, {workers, chunk_bytes});
        for (std::string_view piece : pieces) rewriter.write(piece);
        rewriter.finish();
        outcome.rows = rewriter.rows();
        outcome.changed = rewriter.values_changed();
    } catch (const dump::ArchiveError& error) {
        outcome.error = error.what();
    }
    outcome.writes = std::move(out.writes);
    return outcome;
}

std::optional<std::string> sequential(std::string_view text) {
    static const anonymise::KeyedHash key("fuzz-key-0123456789");
    Sink out;
    try {
        scrub::CopyStreamRewriter rewriter(out, 3, &plan(), &key, {});
        rewriter.write(text);
        rewriter.finish();
    } catch (const dump::ArchiveError&) {
        return std::nullopt;
    }
    std::string all;
    for (const std::string& w : out.writes) all += w;
    return all;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    auto [control, body] = fuzz::take_control(fuzz::as_text(data, size), 2);
    const std::size_t chunk_bytes = control.empty() ? 64 : 1 + static_cast<unsigned char>(control[0]) % 128;
    const std::string_view shape = control.size() > 1 ? control.substr(1) : std::string_view("\x10");
    const std::vector<std::string_view> pieces = fuzz::split_by_shape(body, std::string(64, shape[0]));

    const Outcome one = parallel(pieces, 1, chunk_bytes);
    const Outcome three = parallel(pieces, 3, chunk_bytes);
    PGSCRUB_FUZZ_EXPECT(one.error == three.error);
    if (one.error) return 0;
    PGSCRUB_FUZZ_EXPECT(one.writes == three.writes);
    PGSCRUB_FUZZ_EXPECT(one.rows == three.rows);
    PGSCRUB_FUZZ_EXPECT(one.changed == three.changed);
    std::string all;
    for (const std::string& w : one.writes) all += w;
    const std::optional<std::string> reference = sequential(body);
    PGSCRUB_FUZZ_EXPECT(reference.has_value());
    PGSCRUB_FUZZ_EXPECT(*reference == all);
    return 0;
}
