#include "common/install_layout.hpp"

#include <filesystem>
#include <system_error>

namespace pgscrub::common {

std::string executable_directory() {
    std::error_code error;
    std::filesystem::path self = std::filesystem::read_symlink("/proc/self/exe", error);
    if (error || self.empty()) return {};
    return self.parent_path().string();
}

std::string shared_data_directory() {
    std::string bin = executable_directory();
    if (bin.empty()) return {};
    return (std::filesystem::path(bin) / ".." / "share" / "pgscrub").lexically_normal().string();
}

} // namespace pgscrub::common
