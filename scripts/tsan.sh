#!/usr/bin/env bash
# The threads of scrub under ThreadSanitizer (the `tsan` preset): the unit
# tests of the row-parallel rewriter ([scrub]) and of the block deflater
# ([parallel]), which run their code on 1, 2 and 7 threads. scripts/test.sh
# runs it; only the unit-test binary is built, so it costs one build of the
# libraries. OpenSSL, ICU and re2 are not instrumented: races inside them
# would not be seen.
#   scripts/tsan.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=ccache_args.sh
source scripts/ccache_args.sh
cmake --preset tsan "${ccache_args[@]}" > /dev/null
cmake --build build/tsan -j "$(nproc)" --target pgscrub_unit_tests > build/tsan-build.log 2>&1 || {
    tail -40 build/tsan-build.log >&2
    echo "tsan.sh: the ThreadSanitizer build failed (full log: build/tsan-build.log)" >&2
    exit 1
}
TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1" build/tsan/tests/pgscrub_unit_tests "[scrub],[parallel]"
