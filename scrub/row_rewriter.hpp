#pragma once
// One COPY text row through a table's plan: the work both the sequential
// rewriter (copy_stream_rewriter.hpp) and the row-parallel one
// (parallel_row_rewriter.hpp) do per row. An instance holds the scratch one
// thread reuses from row to row (the field views, a decoded value, the
// transformed values), so a row costs no allocation once the buffers have
// grown; each worker thread owns one. It reads the plan, the transforms and
// the key only through const methods, which anonymise/ keeps safe to call
// from several threads at once (its scratch is thread_local).

#include "anonymise/keyed_hash.hpp"
#include "dump/archive_error.hpp"
#include "dump/copy_text.hpp"
#include "rules/scrub_plan.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::scrub {

// Told about every value a transform changed (scrub --verify remembers the
// originals). `original` is decoded; `output` is nullopt for NULL. Both are
// views into the rewriter's reused buffers, valid only during the call.
class ValueChangeObserver {
public:
    virtual ~ValueChangeObserver() = default;
    virtual void value_changed(std::size_t column, std::string_view original,
                               std::optional<std::string_view> output) = 0;
};

class RowRewriter {
public:
    // `plan` may be null (every field kept: the codec round trip alone).
    // `expected_columns` is the COPY column count (-1: do not check).
    RowRewriter(int expected_columns, const rules::TablePlan* plan, const anonymise::KeyedHash* key,
                dump::ErrorLocation where);

    // Appends `row` (without its '\n') as rewritten, with its '\n', to `out`.
    // `row_number` (1-based) and `row_offset` (its byte offset in the COPY
    // stream) name it in errors, which never quote a value. Adds to
    // `changed` (one count per plan column) and tells `observer` (may be
    // null) about each changed value.
    void rewrite(std::string_view row, std::uint64_t row_number, std::uint64_t row_offset, std::string& out,
                 std::vector<std::uint64_t>& changed, ValueChangeObserver* observer);

    // How many counters `changed` needs.
    std::size_t columns() const { return plan_ ? plan_->columns.size() : 0; }

private:
    class RowFields;
    void transform_row(dump::copy_text::CopyRowWriter& writer, std::uint64_t row_number,
                       std::vector<std::uint64_t>& changed, ValueChangeObserver* observer);
    std::optional<std::string_view> input_value(std::size_t i, std::uint64_t row_number);

    int expected_columns_;
    const rules::TablePlan* plan_;
    const anonymise::KeyedHash* key_;
    dump::ErrorLocation where_;
    std::vector<std::string_view> fields_;
    std::string decoded_; // scratch for one decoded field
    // The transformed values of the current row, one buffer per column that
    // transforms write into (Transform::apply_into) and that keeps its
    // capacity from row to row: no allocation per field once grown.
    struct Output {
        std::string value;
        bool null = true;
    };
    std::vector<Output> outputs_;
};

} // namespace pgscrub::scrub
