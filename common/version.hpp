#pragma once
// The pgscrub version, stamped into reports and manifests (in common/, so
// every layer can name it), and the commit it was built from, for
// `pgscrub --version` and bug reports.

namespace pgscrub {
// The release version (CMake's project version), e.g. "0.1.0".
const char* version_string();
// `git describe --always --dirty --tags` of the source at build time, or
// "release" when built from a source tree that is not a git checkout.
const char* source_commit();
} // namespace pgscrub
