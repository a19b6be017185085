#include "anonymise/transform.hpp"

namespace pgscrub::anonymise {

const TransformConfig::Scalar* TransformConfig::scalar(std::string_view key) const {
    for (const auto& [entry, value] : scalars)
        if (entry == key) return &value;
    return nullptr;
}

std::vector<std::string> TransformConfig::Scalar::names() const {
    if (is_list) return items;
    std::vector<std::string> out;
    std::string_view rest = value;
    while (!rest.empty()) {
        const std::size_t comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (!item.empty()) out.emplace_back(item);
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    }
    return out;
}

const TransformConfig* TransformConfig::nested_config(std::string_view key) const {
    for (const auto& [entry, value] : nested)
        if (entry == key) return &value;
    return nullptr;
}

} // namespace pgscrub::anonymise
