#pragma once
// One function per subcommand; each returns its exit code.

#include <string>
#include <vector>

namespace pgscrub::cli {

int run_scrub_command(const std::vector<std::string>& args);
int run_inspect_command(const std::vector<std::string>& args);
int run_check_command(const std::vector<std::string>& args);
int run_preview_command(const std::vector<std::string>& args);
int run_scan_command(const std::vector<std::string>& args);
int run_transforms_command(const std::vector<std::string>& args);
int run_report_command(const std::vector<std::string>& args);
int run_backup_command(const std::vector<std::string>& args);
int run_restore_command(const std::vector<std::string>& args);
int run_run_command(const std::vector<std::string>& args);

} // namespace pgscrub::cli
