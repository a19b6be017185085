#!/usr/bin/env bash
# Builds the Debian package: pgscrub_VERSION_ARCH.deb in OUT_DIR (default
# build/package), from a Release build of this source tree with the
# installed layout of packaging/CMakeLists.txt. Reproducible: the same commit
# gives the same .deb, byte for byte (tests/packaging/reproducible.sh checks
# it), because
#   - SOURCE_DATE_EPOCH (default: the commit's time) is every file's date and
#     the only date anything embeds;
#   - nothing embeds a path: a Release build has no debug info, no assert()
#     and no __FILE__ (the test greps the binary for the source and build
#     paths); and with ccache, the compiler runs with paths relative to the
#     source (base_dir), so a clone elsewhere builds from the same cache;
#   - the binary is stripped, and dpkg-deb writes the archive (sorted, owned
#     by root, dated SOURCE_DATE_EPOCH).
#   scripts/package.sh [OUT_DIR]
# Environment: PGSCRUB_PACKAGE_BUILD_DIR (default build/package-tree), the
# scratch build tree.
set -euo pipefail
src="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mkdir -p "${1:-$src/build/package}" && cd "${1:-$src/build/package}" && pwd)"
tree="${PGSCRUB_PACKAGE_BUILD_DIR:-$src/build/package-tree}"
die() { echo "package.sh: $*" >&2; exit 1; }
for tool in cmake dpkg-shlibdeps dpkg-deb; do
    command -v "$tool" > /dev/null || die "$tool is missing (scripts/install-deps.sh installs it)"
done
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH="$(git -C "$src" log -1 --format=%ct 2>/dev/null || stat -c %Y "$src/CMakeLists.txt")"
fi
export SOURCE_DATE_EPOCH
# ccache, with paths relative to the source in its keys and in the
# compiler's command: a second tree (or a clone elsewhere) builds from the cache.
# shellcheck source=ccache_args.sh
source "$src/scripts/ccache_args.sh"
cmake -S "$src" -B "$tree" -G Ninja -DCMAKE_BUILD_TYPE=Release -DPGSCRUB_TESTS=OFF -DCMAKE_INSTALL_PREFIX=/usr \
    "${ccache_args[@]}" > /dev/null
cmake --build "$tree" -j "$(nproc)" > "$tree/build.log" 2>&1 || { tail -30 "$tree/build.log" >&2; die "the build failed (log: $tree/build.log)"; }
(cd "$tree" && cpack -G DEB -B "$out" > "$tree/cpack.log" 2>&1) || { tail -30 "$tree/cpack.log" >&2; die "cpack failed (log: $tree/cpack.log)"; }
rm -rf "$out/_CPack_Packages"
ls "$out"/pgscrub_*.deb
