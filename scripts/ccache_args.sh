# shellcheck shell=bash
# Sourced by the build scripts: when ccache is installed, CMake gets it as
# the compiler launcher, with paths made relative to the source tree
# (CCACHE_BASEDIR), so that a rebuild, a second tree or a fresh clone at
# another path compiles only what changed. A tree configured without it is
# switched over; without ccache nothing changes.
#   source scripts/ccache_args.sh; cmake --preset release "${ccache_args[@]}"
ccache_args=()
if command -v ccache > /dev/null; then
    CCACHE_BASEDIR="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
    export CCACHE_BASEDIR
    # Debug builds (-g) would otherwise hash the build directory too, and a
    # clone elsewhere would compile everything again; the price is that an
    # object's debug info may name the directory of the tree that compiled
    # it first (gdb's `directory` command or `set substitute-path` fixes that).
    export CCACHE_NOHASHDIR=1
    ccache_args=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
fi
