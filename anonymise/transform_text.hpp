#pragma once
// Small text helpers shared by the transform registry's parts (the table,
// its validation and its docs); internal to anonymise/.

#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace pgscrub::anonymise::registry_text {

inline std::string quoted(std::string_view text) {
    std::string out = "\"";
    out.append(text);
    out.push_back('"');
    return out;
}

inline std::string join(const std::vector<std::string>& items, std::string_view separator = ", ") {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out.append(separator);
        out.append(items[i]);
    }
    return out;
}

inline std::string lower_ascii(std::string_view text) {
    std::string out(text);
    for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

} // namespace pgscrub::anonymise::registry_text
