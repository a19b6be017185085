#include "dump/archive_error.hpp"

namespace pgscrub::dump {

std::string ArchiveError::describe() const {
    std::string text;
    if (!location_.file.empty()) text += location_.file + ": ";
    if (location_.offset) text += "offset " + std::to_string(*location_.offset) + ": ";
    if (location_.dump_id) {
        text += "TOC entry " + std::to_string(*location_.dump_id);
        if (!location_.entry_name.empty()) text += " (" + location_.entry_name + ")";
        text += ": ";
    } else if (!location_.entry_name.empty()) {
        text += location_.entry_name + ": ";
    }
    return text + what();
}

void rethrow_with(const ArchiveError& error, const ErrorLocation& outer) {
    ErrorLocation merged = error.location();
    if (merged.file.empty()) merged.file = outer.file;
    if (!merged.offset) merged.offset = outer.offset;
    if (!merged.dump_id) merged.dump_id = outer.dump_id;
    if (merged.entry_name.empty()) merged.entry_name = outer.entry_name;
    throw ArchiveError(error.what(), std::move(merged));
}

} // namespace pgscrub::dump
