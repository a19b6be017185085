#include "scrub/copy_stream_rewriter.hpp"

namespace pgscrub::scrub {

namespace {
constexpr std::size_t kFlushAt = 256 * 1024;
}

CopyStreamRewriter::CopyStreamRewriter(common::ByteSink& out, int expected_columns, const rules::TablePlan* plan,
                                       const anonymise::KeyedHash* key, dump::ErrorLocation where)
    : out_(out), where_(where), rows_(expected_columns, plan, key, std::move(where)) {
    buffer_.reserve(kFlushAt + 64 * 1024);
    changed_.assign(rows_.columns(), 0);
}

void CopyStreamRewriter::write(std::string_view decoded) {
    bytes_in_ += decoded.size();
    splitter_.feed(decoded, [this](std::string_view row) {
        rows_.rewrite(row, splitter_.row_number(), splitter_.row_offset(), buffer_, changed_, observer_);
        if (buffer_.size() >= kFlushAt) {
            out_.write(buffer_);
            buffer_.clear();
        }
    });
}

void CopyStreamRewriter::finish() {
    auto end = splitter_.finish();
    if (!end) throw dump::ArchiveError("COPY data: " + end.message(), where_);
    buffer_.append(splitter_.trailer());
    out_.write(buffer_);
    buffer_.clear();
}

} // namespace pgscrub::scrub
