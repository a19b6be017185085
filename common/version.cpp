#include "common/version.hpp"

namespace pgscrub {
const char* version_string() { return PGSCRUB_VERSION; }
} // namespace pgscrub
