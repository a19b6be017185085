#pragma once
// Runs one table's decoded COPY text through its plan, row by row on the
// calling thread, into the writer's sink. Fields no rule touches are copied
// byte for byte; the trailer after the `\.` line is copied verbatim. The
// scrub itself uses the row-parallel rewriter (parallel_row_rewriter.hpp),
// which writes the same bytes; this one serves small inputs (preview) and is
// the reference the parallel one is tested against.

#include "common/byte_stream.hpp"
#include "scrub/row_rewriter.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pgscrub::scrub {

class CopyStreamRewriter final : public common::ByteSink {
public:
    // `plan` may be null (every field kept: the codec round trip alone).
    // `expected_columns` is the COPY column count (-1: do not check).
    CopyStreamRewriter(common::ByteSink& out, int expected_columns, const rules::TablePlan* plan,
                       const anonymise::KeyedHash* key, dump::ErrorLocation where);

    // Reports each changed value to `observer` (may be null; not owned).
    void observe_changes(ValueChangeObserver* observer) { observer_ = observer; }

    void write(std::string_view decoded) override;
    // Checks the stream ended with `\.` and flushes the trailer.
    void finish();

    std::uint64_t rows() const { return splitter_.rows_returned(); }
    std::uint64_t bytes_in() const { return bytes_in_; }
    // Per COPY column: how many values the plan changed.
    const std::vector<std::uint64_t>& values_changed() const { return changed_; }

private:
    common::ByteSink& out_;
    dump::ErrorLocation where_;
    RowRewriter rows_;
    dump::copy_text::RowSplitter splitter_;
    std::string buffer_;
    std::vector<std::uint64_t> changed_;
    std::uint64_t bytes_in_ = 0;
    ValueChangeObserver* observer_ = nullptr;
};

} // namespace pgscrub::scrub
