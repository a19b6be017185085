#include "dump/archive_error.hpp"

#include <cstdio>
#include <string_view>

namespace pgscrub::dump {

std::string printable_archive_text(std::string_view name, std::size_t max_bytes) {
    std::string out;
    for (std::size_t i = 0; i < name.size() && out.size() < max_bytes;) {
        auto c = static_cast<unsigned char>(name[i]);
        std::size_t length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
        bool valid = length > 0 && i + length <= name.size();
        for (std::size_t k = 1; valid && k < length; ++k) valid = (static_cast<unsigned char>(name[i + k]) & 0xc0) == 0x80;
        if (!valid || c < 0x20 || c == 0x7f) {
            char escaped[8];
            std::snprintf(escaped, sizeof escaped, "\\x%02x", c);
            out += escaped;
            ++i;
            continue;
        }
        out.append(name.substr(i, length));
        i += length;
    }
    if (out.size() >= max_bytes) out += "...";
    return out;
}

std::string ArchiveError::describe() const {
    std::string text;
    if (!location_.file.empty()) text += location_.file + ": ";
    if (location_.offset) text += "offset " + std::to_string(*location_.offset) + ": ";
    std::string name = printable_archive_text(location_.entry_name);
    if (location_.dump_id) {
        text += "TOC entry " + std::to_string(*location_.dump_id);
        if (!name.empty()) text += " (" + name + ")";
        text += ": ";
    } else if (!name.empty()) {
        text += name + ": ";
    }
    return text + what();
}

void rethrow_with(const ArchiveError& error, const ErrorLocation& outer) {
    ErrorLocation merged = error.location();
    // An offset belongs to its file: an error about the output never gets
    // the input's offset.
    const bool same_file = merged.file.empty() || merged.file == outer.file;
    if (merged.file.empty()) merged.file = outer.file;
    if (!merged.offset && same_file) merged.offset = outer.offset;
    if (!merged.dump_id) merged.dump_id = outer.dump_id;
    if (merged.entry_name.empty()) merged.entry_name = outer.entry_name;
    throw ArchiveError(error.what(), std::move(merged));
}

} // namespace pgscrub::dump
