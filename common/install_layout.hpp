#pragma once
// Where pgscrub's data files are, found from the running binary so that a
// relocated install (a prefix copied elsewhere, an unpacked .deb) still
// finds them: BIN/../share/pgscrub. The build tree has the same layout
// (build/DIR/cli/pgscrub and build/DIR/share/pgscrub, which the build
// fills), so tests run the binary as an install would.

#include <string>

namespace pgscrub::common {

// The running executable's directory (from /proc/self/exe); "" when it
// cannot be read.
std::string executable_directory();

// The directory of pgscrub's shared data: executable_directory()/../share/pgscrub,
// normalised; "" when the executable's directory is unknown.
std::string shared_data_directory();

} // namespace pgscrub::common
