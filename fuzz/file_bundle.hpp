#pragma once
// A directory of files as one fuzz input, so that the fuzzer can mutate a
// directory-format archive (toc.dat and its data files) as a single byte
// string. A bundle is a run of records
//     [name length: 1 byte][name][content length: 4 bytes, little-endian][content]
// A record cut short keeps what it has; names with '/' or '.'-only names are
// skipped. make_seeds writes the seed corpus in this form.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace pgscrub::fuzz {

using BundleFile = std::pair<std::string, std::string>;

inline std::vector<BundleFile> parse_bundle(std::string_view bytes) {
    std::vector<BundleFile> files;
    std::size_t at = 0;
    while (at < bytes.size()) {
        std::size_t name_size = static_cast<unsigned char>(bytes[at++]);
        std::string name(bytes.substr(at, name_size));
        at += name.size();
        std::uint32_t content_size = 0;
        for (int i = 0; i < 4 && at < bytes.size(); ++i, ++at)
            content_size |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at])) << (8 * i);
        std::string content(bytes.substr(std::min(at, bytes.size()), content_size));
        at += content.size();
        bool usable = !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
                      name.find('\0') == std::string::npos;
        if (usable) files.emplace_back(std::move(name), std::move(content));
    }
    return files;
}

inline std::string make_bundle(const std::vector<BundleFile>& files) {
    std::string out;
    for (const auto& [name, content] : files) {
        out.push_back(static_cast<char>(name.size()));
        out += name;
        auto n = static_cast<std::uint32_t>(content.size());
        for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
        out += content;
    }
    return out;
}

} // namespace pgscrub::fuzz
