#!/usr/bin/env bash
# The whole test suite on a fresh Debian 12 machine: installs dependencies,
# builds, and runs every unit and integration test (PostgreSQL 15 from Debian,
# PostgreSQL 17 and 18 fetched into a cache by tests/newer-postgres/setup.sh).
# Then the threaded code's unit tests run under ThreadSanitizer
# (scripts/tsan.sh), and every fuzz target runs for PGSCRUB_FUZZ_SECONDS (30)
# under libFuzzer with ASan and UBSan (docs/fuzzing.md).
#   scripts/test.sh [extra ctest arguments]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
scripts/build.sh
(cd build/release && ctest --output-on-failure -j "$(nproc)" "$@")
scripts/tsan.sh
scripts/fuzz.sh --all "${PGSCRUB_FUZZ_SECONDS:-30}"
