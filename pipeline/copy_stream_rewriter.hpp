#pragma once
// Runs one table's decoded COPY text through its plan, row by row, into the
// writer's sink. Untouched fields are copied byte for byte; the trailer after
// the `\.` line is copied verbatim.

#include "dump/archive_error.hpp"
#include "dump/byte_stream.hpp"
#include "dump/copy_text.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace pgscrub::pipeline {

class CopyStreamRewriter final : public dump::ByteSink {
public:
    // `expected_columns` is the COPY column count (-1: do not check).
    CopyStreamRewriter(dump::ByteSink& out, int expected_columns, dump::ErrorLocation where);

    void write(std::string_view decoded) override;
    // Checks the stream ended with `\.` and flushes the trailer.
    void finish();

    std::uint64_t rows() const { return splitter_.rows_returned(); }
    std::uint64_t bytes_in() const { return bytes_in_; }

private:
    void rewrite_row(std::string_view row);
    void flush_if_full();

    dump::ByteSink& out_;
    int expected_columns_;
    dump::ErrorLocation where_;
    dump::copy_text::RowSplitter splitter_;
    std::vector<std::string_view> fields_;
    std::string buffer_;
    std::uint64_t bytes_in_ = 0;
};

} // namespace pgscrub::pipeline
