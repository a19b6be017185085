#include "scrub/row_rewriter.hpp"

#include "common/error.hpp"
#include "common/interrupts.hpp"

#include <exception>

namespace pgscrub::scrub {

// The values of the current output row by column name, for transforms that
// read other columns (template): a column's own rule has already been applied,
// so a template never copies a value the rules replace.
class RowRewriter::RowFields final : public anonymise::RowAccess {
public:
    RowFields(const rules::TablePlan& plan, const std::vector<std::string_view>& raw,
              const std::vector<Output>& transformed)
        : plan_(plan), raw_(raw), transformed_(transformed) {}

    std::optional<std::string_view> value_of(std::string_view column) const override {
        for (std::size_t i = 0; i < plan_.columns.size() && i < raw_.size(); ++i) {
            if (plan_.columns[i].name != column) continue;
            if (plan_.columns[i].transform) {
                if (transformed_[i].null) return std::nullopt;
                return std::string_view(transformed_[i].value);
            }
            if (dump::copy_text::is_null(raw_[i])) return std::nullopt;
            if (!dump::copy_text::has_escapes(raw_[i])) return raw_[i];
            // Valid until the next call, as RowAccess says.
            decoded_.clear();
            if (!dump::copy_text::decode_field(raw_[i], decoded_)) return std::nullopt;
            return std::string_view(decoded_);
        }
        return std::nullopt;
    }

private:
    const rules::TablePlan& plan_;
    const std::vector<std::string_view>& raw_;
    const std::vector<Output>& transformed_;
    mutable std::string decoded_;
};

RowRewriter::RowRewriter(int expected_columns, const rules::TablePlan* plan, const anonymise::KeyedHash* key,
                         dump::ErrorLocation where)
    : expected_columns_(expected_columns), plan_(plan), key_(key), where_(std::move(where)) {}

void RowRewriter::rewrite(std::string_view row, std::uint64_t row_number, std::uint64_t row_offset, std::string& out,
                          std::vector<std::uint64_t>& changed, ValueChangeObserver* observer) {
    common::throw_if_interrupted(where_.file); // a row may take long to transform; I/O alone is checked too rarely
    dump::copy_text::split_fields(row, fields_);
    // A zero-column table's row is an empty line: split_fields sees one field.
    std::size_t count = expected_columns_ == 0 && row.empty() ? 0 : fields_.size();
    if (expected_columns_ >= 0 && count != static_cast<std::size_t>(expected_columns_)) {
        throw dump::ArchiveError("row " + std::to_string(row_number) + " (byte " + std::to_string(row_offset) +
                                     " of the COPY data) has " + std::to_string(count) +
                                     " fields, but the COPY statement lists " + std::to_string(expected_columns_) +
                                     " columns; the data is corrupt",
                                 where_);
    }
    dump::copy_text::CopyRowWriter writer(out);
    if (count == 0) {
        writer.end_row();
    } else if (!plan_ || plan_->columns.empty()) {
        writer.raw_row(fields_);
    } else {
        transform_row(writer, row_number, changed, observer);
    }
}

void RowRewriter::transform_row(dump::copy_text::CopyRowWriter& writer, std::uint64_t row_number,
                                std::vector<std::uint64_t>& changed, ValueChangeObserver* observer) {
    // Columns whose transform reads the row run after the others, on their output.
    outputs_.resize(fields_.size());
    if (plan_->needs_row) {
        // A template reading another row-reading column that has not run yet
        // sees NULL, not what that column held in the row this thread
        // rewrote before (which would differ between -j values).
        for (std::size_t i = 0; i < fields_.size(); ++i) {
            if (plan_->columns[i].transform && plan_->columns[i].transform->needs_row()) outputs_[i].null = true;
        }
    }
    RowFields row(*plan_, fields_, outputs_);
    for (int pass = 0; pass < (plan_->needs_row ? 2 : 1); ++pass) {
        anonymise::TransformContext context{*key_, pass == 1 ? &row : nullptr};
        for (std::size_t i = 0; i < fields_.size(); ++i) {
            const rules::ColumnPlan& column = plan_->columns[i];
            if (!column.transform || column.transform->needs_row() != (pass == 1)) continue;
            std::optional<std::string_view> value = input_value(i, row_number);
            Output& output = outputs_[i];
            try {
                output.null = !column.transform->apply_into(value, context, output.value);
            } catch (common::Error& error) {
                // Not a bad value (an interruption inside it): no row or column prefix.
                common::rethrow_with(error, where_);
            } catch (const std::exception& error) {
                // The message names the problem, never the value: it may be personal.
                throw dump::ArchiveError("row " + std::to_string(row_number) + ", column \"" + column.name + "\" (" +
                                             column.transform_name + "): " + error.what(),
                                         where_);
            }
            const bool same = output.null ? !value : value && std::string_view(output.value) == *value;
            if (!same) {
                ++changed[i];
                if (observer && value)
                    observer->value_changed(i, *value,
                                            output.null ? std::nullopt : std::optional<std::string_view>(output.value));
            }
        }
    }
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        if (!plan_->columns[i].transform)
            writer.raw_field(fields_[i]);
        else if (!outputs_[i].null)
            writer.value_field(outputs_[i].value);
        else
            writer.null_field();
    }
    writer.end_row();
}

// The decoded input value of field `i`; nullopt for NULL. Valid until the
// next call (it may point into decoded_).
std::optional<std::string_view> RowRewriter::input_value(std::size_t i, std::uint64_t row_number) {
    std::string_view raw = fields_[i];
    if (dump::copy_text::is_null(raw)) return std::nullopt;
    if (!dump::copy_text::has_escapes(raw)) return raw;
    decoded_.clear();
    if (auto result = dump::copy_text::decode_field(raw, decoded_); !result) {
        throw dump::ArchiveError("row " + std::to_string(row_number) + ", column \"" + plan_->columns[i].name +
                                     "\": " + result.message(),
                                 where_);
    }
    return std::string_view(decoded_);
}

} // namespace pgscrub::scrub
