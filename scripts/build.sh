#!/usr/bin/env bash
# Configures and builds the optimised tree (build/release) with CMake presets.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=ccache_args.sh
source scripts/ccache_args.sh
cmake --preset release "${ccache_args[@]}" > /dev/null
cmake --build --preset release -j "$(nproc)"
