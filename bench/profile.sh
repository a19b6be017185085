#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Profiles the one-core transforms scrub of bench/README.md ("Scrubbing with
# transforms": bench/scrub-rules.yaml on bench-z0.fc, --compress none, -j 1)
# with `perf record -g` and prints the top entries by self time, with the
# per-table throughput of the profiled run: issue 13 asks for the top entries
# before and after its work.
#
# usage: bench/profile.sh [--top N] [--percent-limit P] [SIZE_MB]
#   SIZE_MB            the archives of bench/generate.sh SIZE_MB (default 256; generated when missing)
#   --top N            entries to print (default 15)
#   --percent-limit P  leave out entries below P % of the samples (default 0.5)
# env: PGSCRUB (default build/release/cli/pgscrub), PGSCRUB_BENCH_DIR (default /var/tmp/pgscrub-bench),
#      PERF_CALL_GRAPH (perf record's --call-graph, default fp, i.e. -g)
# The profile stays in PGSCRUB_BENCH_DIR/profile-SIZE_MB.data for `perf report -i`.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$SCRIPT_DIR")"
BENCH_DIR="${PGSCRUB_BENCH_DIR:-/var/tmp/pgscrub-bench}"
export PGSCRUB="${PGSCRUB:-$ROOT/build/release/cli/pgscrub}"
export PGSCRUB_SECRET="${PGSCRUB_SECRET:-benchmark-key-0123456789abcdef}"

top=15 percent_limit=0.5 size_mb=256
while [ $# -gt 0 ]; do
    case "$1" in
    --top) top="${2:?--top needs N}"; shift 2 ;;
    --percent-limit) percent_limit="${2:?--percent-limit needs P}"; shift 2 ;;
    -h | --help) sed -n '9,16s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) size_mb="$1"; shift ;;
    esac
done
[ -x "$PGSCRUB" ] || { echo "no pgscrub binary at $PGSCRUB (build it, or set PGSCRUB)" >&2; exit 2; }
command -v perf >/dev/null || { echo "perf is missing: apt-get install linux-perf" >&2; exit 2; }
# shellcheck source=common.sh
source "$SCRIPT_DIR/common.sh"
bench_need_tools

"$SCRIPT_DIR/generate.sh" "$size_mb" >&2
archive="$BENCH_DIR/archives-$size_mb/bench-z0.fc"
data="$BENCH_DIR/profile-$size_mb.data"
report="$(mktemp -d)"
trap 'rm -rf "$report"' EXIT

bench_identity
echo "pgscrub profile, $(date -u '+%Y-%m-%d %H:%M UTC')"
bench_machine_line
echo "pgscrub:  $version (source tree git $git_rev), $PGSCRUB"
bench_load_line
echo "run:      pgscrub scrub -r bench/scrub-rules.yaml -i $archive -o /dev/null --compress none -j 1"

perf record -q --call-graph "${PERF_CALL_GRAPH:-fp}" -o "$data" -- \
    "$PGSCRUB" scrub -q -r "$SCRIPT_DIR/scrub-rules.yaml" -i "$archive" -o /dev/null --compress none -j 1 \
    --report "$report/scrub.json" 2>"$report/perf.err" \
    || { cat "$report/perf.err" >&2; exit 1; }
# The transformed tables' throughput in this run (under perf: a few % slower).
jq -r '.tables[] | select(.action != "kept") | "table:    \(.table): \(.copy_bytes_in / 1048576 * 10 | round / 10) MiB of COPY text in \(.seconds * 100 | round / 100) s, \(.copy_bytes_in / 1048576 / .seconds | round) MiB/s"' \
    "$report/scrub.json"
echo "samples:  $(perf report -i "$data" --stdio --no-children 2>/dev/null | sed -n 's/^# Samples: \([^ ]*\).*/\1/p' | head -n 1) in $data"
echo
echo "top $top by self time (perf report --no-children -F overhead,dso,sym --percent-limit $percent_limit):"
# Self time does not depend on the call chains, so it is right even where
# frame pointers are missing (the release build omits them).
perf report -i "$data" --stdio --no-children -g none -F overhead,dso,sym --percent-limit "$percent_limit" 2>/dev/null \
    | grep -E '^ +[0-9.]+%' | sed 's/[[:space:]]*$//' | head -n "$top"
