#!/usr/bin/env bash
# Builds the fuzz targets (the `fuzz` preset: clang 16, libFuzzer, ASan,
# UBSan) and runs them. See docs/fuzzing.md.
#
#   scripts/fuzz.sh TARGET SECONDS [libFuzzer options…]   one target, one long run
#   scripts/fuzz.sh --all SECONDS                         every target in turn, two at a time (CI)
#   scripts/fuzz.sh --list                                the targets
#
# New inputs the fuzzer finds go to build/fuzz/corpus/TARGET (not the repo);
# a crash is written to build/fuzz/artifacts/ and named on the last line. Keep
# a fixed crash as a regression input: copy it into fuzz/regressions/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

targets=$(sed -n '/^set(PGSCRUB_FUZZ_TARGETS/,/CACHE INTERNAL/p' fuzz/CMakeLists.txt |
    grep -v 'set(\|CACHE' | tr -s ' \n' '\n' | grep -v '^$')

usage() {
    echo "usage: scripts/fuzz.sh TARGET SECONDS [libFuzzer options…] | --all SECONDS | --list" >&2
    echo "targets: $(echo $targets)" >&2
    exit 2
}

[ $# -ge 1 ] || usage
if [ "$1" = --list ]; then
    echo "$targets"
    exit 0
fi
[ $# -ge 2 ] || usage
case $2 in *[!0-9]* | '') echo "fuzz.sh: SECONDS must be a whole number, not '$2'" >&2; exit 2 ;; esac

# shellcheck source=ccache_args.sh
source scripts/ccache_args.sh
cmake --preset fuzz "${ccache_args[@]}" > /dev/null
cmake --build --preset fuzz -j "$(nproc)" > build/fuzz-build.log 2>&1 || {
    tail -40 build/fuzz-build.log >&2
    echo "fuzz.sh: the fuzz build failed (full log: build/fuzz-build.log)" >&2
    exit 1
}

# One target for SECONDS. Exit status: 0 when no crash, libFuzzer's otherwise.
run_one() {
    local target=$1 seconds=$2
    shift 2
    local binary=$root/build/fuzz/fuzz/pgscrub_fuzz_$target
    [ -x "$binary" ] || { echo "fuzz.sh: no target '$target'; targets: $(echo $targets)" >&2; return 2; }
    local work=$root/build/fuzz/corpus/$target artifacts=$root/build/fuzz/artifacts
    mkdir -p "$work" "$artifacts"
    local log=$root/build/fuzz/$target.log
    # The first corpus directory receives new inputs; the repo's seeds and
    # regression inputs are read only.
    if (cd "$work" && "$binary" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
            -print_final_stats=1 -artifact_prefix="$artifacts/$target-" "$@" \
            "$work" "$root/fuzz/corpus/$target" "$root/fuzz/regressions/$target") > "$log" 2>&1; then
        local execs
        execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?')
        printf 'fuzz %-18s %4ss  %12s execs  no crash\n' "$target" "$seconds" "$execs"
    else
        local status=$?
        tail -30 "$log" >&2
        local crash
        crash=$(grep -o "Test unit written to .*" "$log" | sed 's/Test unit written to //' || true)
        echo "fuzz.sh: $target failed (exit $status); reproducer: ${crash:-none written}; log: $log" >&2
        echo "  replay it: build/fuzz/fuzz/pgscrub_fuzz_$target ${crash:-FILE}" >&2
        return 1
    fi
}

if [ "$1" = --all ]; then
    seconds=$2
    export -f run_one
    export root targets
    # Two at a time: each target runs on one core.
    # A fixed seed, so a failure here reproduces with the same command.
    echo "$targets" | xargs -P 2 -I{} bash -c 'run_one "$1" "$2" -seed=1' _ {} "$seconds"
else
    target=$1 seconds=$2
    shift 2
    run_one "$target" "$seconds" "$@"
fi
