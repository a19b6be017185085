#include "anonymise/transform.hpp"

namespace pgscrub::anonymise {

const TransformConfig::Scalar* TransformConfig::scalar(std::string_view key) const {
    for (const auto& [entry, value] : scalars)
        if (entry == key) return &value;
    return nullptr;
}

const TransformConfig* TransformConfig::nested_config(std::string_view key) const {
    for (const auto& [entry, value] : nested)
        if (entry == key) return &value;
    return nullptr;
}

} // namespace pgscrub::anonymise
