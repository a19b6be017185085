#include "pipeline/copy_stream_rewriter.hpp"

namespace pgscrub::pipeline {

namespace {
constexpr std::size_t kFlushAt = 256 * 1024;
}

CopyStreamRewriter::CopyStreamRewriter(dump::ByteSink& out, int expected_columns, dump::ErrorLocation where)
    : out_(out), expected_columns_(expected_columns), where_(std::move(where)) {
    buffer_.reserve(kFlushAt + 64 * 1024);
}

void CopyStreamRewriter::write(std::string_view decoded) {
    bytes_in_ += decoded.size();
    splitter_.feed(decoded, [this](std::string_view row) { rewrite_row(row); });
}

void CopyStreamRewriter::rewrite_row(std::string_view row) {
    dump::copy_text::split_fields(row, fields_);
    // A zero-column table's row is an empty line: split_fields sees one field.
    std::size_t count = expected_columns_ == 0 && row.empty() ? 0 : fields_.size();
    if (expected_columns_ >= 0 && count != static_cast<std::size_t>(expected_columns_)) {
        throw dump::ArchiveError("row " + std::to_string(splitter_.row_number()) + " (byte " +
                                     std::to_string(splitter_.row_offset()) + " of the COPY data) has " +
                                     std::to_string(count) + " fields, but the COPY statement lists " +
                                     std::to_string(expected_columns_) + " columns; the data is corrupt",
                                 where_);
    }
    dump::copy_text::CopyRowWriter writer(buffer_);
    if (count > 0) writer.raw_row(fields_);
    else writer.end_row();
    flush_if_full();
}

void CopyStreamRewriter::flush_if_full() {
    if (buffer_.size() >= kFlushAt) {
        out_.write(buffer_);
        buffer_.clear();
    }
}

void CopyStreamRewriter::finish() {
    auto end = splitter_.finish();
    if (!end) throw dump::ArchiveError("COPY data: " + end.message(), where_);
    buffer_.append(splitter_.trailer());
    out_.write(buffer_);
    buffer_.clear();
}

} // namespace pgscrub::pipeline
