#include "scrub/copy_stream_rewriter.hpp"

#include "common/error.hpp"
#include "common/interrupts.hpp"

#include <exception>

namespace pgscrub::scrub {

namespace {
constexpr std::size_t kFlushAt = 256 * 1024;
}

// The values of the current output row by column name, for transforms that
// read other columns (template): a column's own rule has already been applied,
// so a template never copies a value the rules replace.
class CopyStreamRewriter::RowFields final : public anonymise::RowAccess {
public:
    RowFields(const rules::TablePlan& plan, const std::vector<std::string_view>& raw,
              const std::vector<std::optional<std::string>>& transformed)
        : plan_(plan), raw_(raw), transformed_(transformed) {}

    std::optional<std::string> value_of(std::string_view column) const override {
        for (std::size_t i = 0; i < plan_.columns.size() && i < raw_.size(); ++i) {
            if (plan_.columns[i].name != column) continue;
            if (plan_.columns[i].transform) return transformed_[i];
            if (dump::copy_text::is_null(raw_[i])) return std::nullopt;
            std::string value;
            if (!dump::copy_text::decode_field(raw_[i], value)) return std::nullopt;
            return value;
        }
        return std::nullopt;
    }

private:
    const rules::TablePlan& plan_;
    const std::vector<std::string_view>& raw_;
    const std::vector<std::optional<std::string>>& transformed_;
};

CopyStreamRewriter::CopyStreamRewriter(common::ByteSink& out, int expected_columns, const rules::TablePlan* plan,
                                       const anonymise::KeyedHash* key, dump::ErrorLocation where)
    : out_(out), expected_columns_(expected_columns), plan_(plan), key_(key), where_(std::move(where)) {
    buffer_.reserve(kFlushAt + 64 * 1024);
    if (plan_) changed_.assign(plan_->columns.size(), 0);
}

void CopyStreamRewriter::write(std::string_view decoded) {
    bytes_in_ += decoded.size();
    splitter_.feed(decoded, [this](std::string_view row) { rewrite_row(row); });
}

void CopyStreamRewriter::rewrite_row(std::string_view row) {
    common::throw_if_interrupted(where_.file); // a row may take long to transform; I/O alone is checked too rarely
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
    if (count == 0) {
        writer.end_row();
    } else if (!plan_ || plan_->columns.empty()) {
        writer.raw_row(fields_);
    } else {
        transform_row(writer);
    }
    flush_if_full();
}

void CopyStreamRewriter::transform_row(dump::copy_text::CopyRowWriter& writer) {
    // Columns whose transform reads the row run after the others, on their output.
    outputs_.resize(fields_.size());
    RowFields row(*plan_, fields_, outputs_);
    for (int pass = 0; pass < (plan_->needs_row ? 2 : 1); ++pass) {
        anonymise::TransformContext context{*key_, pass == 1 ? &row : nullptr};
        for (std::size_t i = 0; i < fields_.size(); ++i) {
            const rules::ColumnPlan& column = plan_->columns[i];
            if (!column.transform || column.transform->needs_row() != (pass == 1)) continue;
            std::optional<std::string_view> value = input_value(i);
            try {
                outputs_[i] = column.transform->apply(value, context);
            } catch (common::Error& error) {
                // Not a bad value (an interruption inside it): no row or column prefix.
                common::rethrow_with(error, where_);
            } catch (const std::exception& error) {
                // The message names the problem, never the value: it may be personal.
                throw dump::ArchiveError("row " + std::to_string(splitter_.row_number()) + ", column \"" + column.name +
                                             "\" (" + column.transform_name + "): " + error.what(),
                                         where_);
            }
            if (outputs_[i] != value) {
                ++changed_[i];
                if (observer_ && value) observer_->value_changed(i, *value, outputs_[i]);
            }
        }
    }
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        if (!plan_->columns[i].transform) writer.raw_field(fields_[i]);
        else if (outputs_[i]) writer.value_field(*outputs_[i]);
        else writer.null_field();
    }
    writer.end_row();
}

// The decoded input value of field `i`; nullopt for NULL. Valid until the
// next call (it may point into decoded_).
std::optional<std::string_view> CopyStreamRewriter::input_value(std::size_t i) {
    std::string_view raw = fields_[i];
    if (dump::copy_text::is_null(raw)) return std::nullopt;
    if (!dump::copy_text::has_escapes(raw)) return raw;
    decoded_.clear();
    if (auto result = dump::copy_text::decode_field(raw, decoded_); !result) {
        throw dump::ArchiveError("row " + std::to_string(splitter_.row_number()) + ", column \"" + plan_->columns[i].name +
                                     "\": " + result.message(),
                                 where_);
    }
    return std::string_view(decoded_);
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

} // namespace pgscrub::scrub
