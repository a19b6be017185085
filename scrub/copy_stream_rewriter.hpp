#pragma once
// Runs one table's decoded COPY text through its plan, row by row, into the
// writer's sink. Fields no rule touches are copied byte for byte; the trailer
// after the `\.` line is copied verbatim.

#include "anonymise/keyed_hash.hpp"
#include "common/byte_stream.hpp"
#include "dump/archive_error.hpp"
#include "dump/copy_text.hpp"
#include "rules/scrub_plan.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pgscrub::scrub {

// Told about every value a transform changed (scrub --verify remembers the
// originals). `original` is decoded; `output` is nullopt for NULL.
class ValueChangeObserver {
public:
    virtual ~ValueChangeObserver() = default;
    virtual void value_changed(std::size_t column, std::string_view original, const std::optional<std::string>& output) = 0;
};

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
    class RowFields;
    void rewrite_row(std::string_view row);
    void transform_row(dump::copy_text::CopyRowWriter& writer);
    std::optional<std::string_view> input_value(std::size_t i);
    void flush_if_full();

    common::ByteSink& out_;
    int expected_columns_;
    const rules::TablePlan* plan_;
    const anonymise::KeyedHash* key_;
    dump::ErrorLocation where_;
    dump::copy_text::RowSplitter splitter_;
    std::vector<std::string_view> fields_;
    std::string buffer_;
    std::string decoded_; // scratch for one decoded field
    std::vector<std::optional<std::string>> outputs_; // transformed values of the current row
    std::vector<std::uint64_t> changed_;
    std::uint64_t bytes_in_ = 0;
    ValueChangeObserver* observer_ = nullptr;
};

} // namespace pgscrub::scrub
