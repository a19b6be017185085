#pragma once
// `pgscrub --version`: the line a bug report needs — pgscrub's version, the
// commit it was built from, and the versions of the libraries it runs with
// (asked at run time, so the line tells what this machine loaded, not what
// the build machine had).

#include <string>

namespace pgscrub::cli {

// "pgscrub 0.1.0 (git 71c8129abcd); zlib 1.2.13, zstd 1.5.4, ..."
std::string version_text();

} // namespace pgscrub::cli
