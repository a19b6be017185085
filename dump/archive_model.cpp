#include "dump/archive_model.hpp"

namespace pgscrub::dump {

std::string ArchiveVersion::to_string() const {
    return std::to_string(major) + "." + std::to_string(minor) + "-" + std::to_string(revision);
}

const char* compression_name(Compression c) {
    switch (c) {
    case Compression::None: return "none";
    case Compression::Gzip: return "gzip";
    case Compression::Lz4: return "lz4";
    case Compression::Zstd: return "zstd";
    }
    return "unknown";
}

std::string TocEntry::qualified_name() const {
    std::string name;
    if (namespace_ && !namespace_->empty()) name = *namespace_ + ".";
    return name + tag.value_or("");
}

std::string TocEntry::describe() const { return desc.value_or("?") + " " + qualified_name(); }

const TocEntry* ArchiveModel::find(int dump_id) const {
    for (const TocEntry& e : entries)
        if (e.dump_id == dump_id) return &e;
    return nullptr;
}

} // namespace pgscrub::dump
