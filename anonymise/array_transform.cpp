// array{each}: a transform applied to every element of a PostgreSQL array literal.

#include "anonymise/array_literal.hpp"
#include "anonymise/structured_transforms.hpp"
#include "anonymise/transform_registry.hpp"

#include <string>
#include <string_view>

namespace pgscrub::anonymise {

namespace {

class ArrayTransform final : public Transform {
public:
    explicit ArrayTransform(std::unique_ptr<Transform> each) : each_(std::move(each)) {}

    bool apply_into(const std::optional<std::string_view>& value, const TransformContext& context,
                    std::string& out) const override {
        if (!value) return false;
        // The element transform writes into the rewriter's one result buffer.
        const array_literal::ElementFunction each = [&](const std::optional<std::string_view>& element,
                                                        std::string& result) {
            return each_->apply_into(element, context, result);
        };
        bool changed = false;
        array_literal::rewrite(*value, each, changed, out);
        if (!changed) out.assign(*value);
        return true;
    }

    bool needs_row() const override { return each_->needs_row(); }

private:
    std::unique_ptr<Transform> each_;
};

} // namespace

std::unique_ptr<Transform> make_array(const TransformConfig& config, std::vector<ConfigProblem>& problems) {
    const TransformConfig* each = config.nested_config("each");
    if (!each) {
        // build_transform normally reports a missing required `each` first; don't say it twice.
        bool reported = false;
        for (const auto& problem : problems) reported = reported || problem.message.find("each") != std::string::npos;
        if (!reported)
            problems.push_back({config.where, "missing required parameter \"each\" for array — e.g. "
                                              "{transform: array, each: fake_email}"});
        return nullptr;
    }
    for (const auto& [name, nested] : config.nested) {
        if (name != "each")
            problems.push_back({nested.where, "unknown parameter \"" + name + "\" for array — valid: each"});
    }
    auto built = build_transform(*each, problems);
    if (!built || config.nested.size() != 1) return nullptr;
    return std::make_unique<ArrayTransform>(std::move(built));
}

} // namespace pgscrub::anonymise
