#!/usr/bin/env bash
# Configures and builds the optimised tree (build/release) with CMake presets.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --preset release > /dev/null
cmake --build --preset release -j "$(nproc)"
