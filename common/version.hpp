#pragma once
// The pgscrub version, stamped into reports and manifests (in common/, so
// every layer can name it).

namespace pgscrub {
const char* version_string();
} // namespace pgscrub
