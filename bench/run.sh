#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Measures pgscrub on the archives made by bench/generate.sh, with pg_restore
# as the reference, and prints one table (see bench/README.md for the columns).
#
# usage: bench/run.sh [--json FILE] [-j N] [ARCHIVE_DIR]
#   ARCHIVE_DIR  holds bench.fc, bench-z0.fc and/or bench.dir
#                (default $PGSCRUB_BENCH_DIR/archives-256, PGSCRUB_BENCH_DIR=/var/tmp/pgscrub-bench)
#   --json FILE  also write one JSON object per measurement to FILE
#   -j N         passed to pgscrub as -j N (compression threads); default: not
#                passed, so pgscrub's own default (all cores) applies
# env: PGSCRUB (default build/release/cli/pgscrub), PG_RESTORE (default PostgreSQL 15's)
#
# The page cache cannot be dropped without privileges we should not assume,
# so every measurement runs twice and the second (warm cache) run is reported:
# the figures are CPU cost with the input in memory, not disk speed. Outputs
# go to a scratch directory next to ARCHIVE_DIR (same file system), so "file"
# means writing into the page cache; "null" means `-o -` redirected to
# /dev/null (custom format only: a directory archive cannot go to stdout).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$SCRIPT_DIR")"
PGSCRUB="${PGSCRUB:-$ROOT/build/release/cli/pgscrub}"
PG_RESTORE="${PG_RESTORE:-/usr/lib/postgresql/15/bin/pg_restore}"
BENCH_DIR="${PGSCRUB_BENCH_DIR:-/var/tmp/pgscrub-bench}"

json_file="" jobs="" archive_dir=""
while [ $# -gt 0 ]; do
    case "$1" in
    --json) json_file="${2:?--json needs a FILE}"; shift 2 ;;
    -j) jobs="${2:?-j needs N}"; shift 2 ;;
    -h | --help) sed -n '3,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) archive_dir="$1"; shift ;;
    esac
done
archive_dir="${archive_dir:-$BENCH_DIR/archives-256}"
jobs_opt=()
[ -z "$jobs" ] || jobs_opt=(-j "$jobs")
[ -d "$archive_dir" ] || { echo "no archive directory $archive_dir (run bench/generate.sh first)" >&2; exit 2; }
[ -x "$PGSCRUB" ] || { echo "no pgscrub binary at $PGSCRUB (build it, or set PGSCRUB)" >&2; exit 2; }
# shellcheck source=common.sh
source "$SCRIPT_DIR/common.sh"
bench_need_tools

scratch="$(mktemp -d "$(dirname "$(realpath "$archive_dir")")/pgscrub-bench-out.XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
# A private copy of the binary: a rebuild during the run (make, another
# engineer's build) must not swap or break the program being measured.
cp "$PGSCRUB" "$scratch/pgscrub"
PGSCRUB="$scratch/pgscrub"
rules="$scratch/keep.yaml"
# scrub refuses to run without a key; this one is for measuring only.
export PGSCRUB_SECRET="${PGSCRUB_SECRET:-benchmark-key-0123456789abcdef}"
printf 'version: 1\nunlisted_tables: keep\nunlisted_columns: keep\ntables: {}\n' >"$rules"
[ -z "$json_file" ] || : >"$json_file"

bench_identity
echo "pgscrub benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
bench_machine_line
echo "pgscrub:  $version (source tree git $git_rev), -j ${jobs:-default}"
echo "ref:      $("$PG_RESTORE" --version)"
echo "archives: $archive_dir"
bench_load_line
echo "figures:  second of two runs (warm cache); MB = MiB; MB/s = size / wall time; RSS = peak resident set"
echo
row_format='%-12s %9s %8s  %-24s %-4s %7s %6s %9s %9s %7s\n'
# shellcheck disable=SC2059 # the format is the constant above
printf "$row_format" archive stored_MB COPY_MB mode sink wall_s cpu_s COPY_MB/s stor_MB/s RSS_MB
# shellcheck disable=SC2059
printf "$row_format" ------- --------- ------- ---- ---- ------ ----- --------- --------- ------

# measure ARCHIVE MODE SINK COMMAND...: runs COMMAND twice (stdout to
# /dev/null: for the "null" sink that is the archive itself), prints the second
# run's figures as a row and, with --json, as a JSON line. Uses the globals
# copy_bytes, stored_bytes, rows, archive_bytes and format set per archive.
measure() {
    local name="$1" mode="$2" sink="$3"
    shift 3
    local timing="$scratch/time" wall user sys rss cpu_s
    for _ in 1 2; do
        rm -rf "$scratch/out"
        # scan exits 1 when it finds personal data: that is a result, not a failure.
        local rc=0
        /usr/bin/time -f '%e %U %S %M' -o "$timing" "$@" >/dev/null 2>"$scratch/stderr" || rc=$?
        if [ "$rc" != 0 ] && ! { [ "$mode" = scan ] && [ "$rc" = 1 ]; }; then
            echo "FAILED: $*" >&2
            cat "$scratch/stderr" >&2
            exit 1
        fi
    done
    # GNU time puts "Command exited with non-zero status N" before the figures.
    read -r wall user sys rss < <(tail -n 1 "$timing")
    cpu_s="$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
    # Sub-10 ms runs would print as 0.00 and divide by zero.
    awk -v w="$wall" -v t="$cpu_s" -v c="$copy_bytes" -v s="$stored_bytes" -v r="$rss" -v f="$row_format" \
        -v a="$name" -v m="$mode" -v k="$sink" 'BEGIN {
            if (w < 0.01) w = 0.01
            printf f, a, sprintf("%.1f", s / 1048576), sprintf("%.1f", c / 1048576), m, k, sprintf("%.2f", w), t,
                sprintf("%.1f", c / 1048576 / w), sprintf("%.1f", s / 1048576 / w), sprintf("%.1f", r / 1024)
        }'
    [ -n "$json_file" ] || return 0
    jq -cn --arg archive "$name" --arg format "$format" --arg mode "$mode" --arg sink "$sink" \
        --argjson copy_bytes "$copy_bytes" --argjson stored_bytes "$stored_bytes" \
        --argjson archive_bytes "$archive_bytes" --argjson rows "$rows" \
        --argjson wall_s "$wall" --argjson cpu_s "$cpu_s" --argjson peak_rss_kb "$rss" --arg jobs "$jobs" \
        --arg pgscrub "$version" --arg git "$git_rev" --arg cpu "$cpu_model" --argjson nproc "$(nproc)" \
        '{archive: $archive, format: $format, mode: $mode, sink: $sink,
          jobs: (if $jobs == "" then null else ($jobs | tonumber) end),
          copy_bytes: $copy_bytes, stored_bytes: $stored_bytes, archive_bytes: $archive_bytes, rows: $rows,
          wall_s: $wall_s, cpu_s: $cpu_s,
          copy_mb_s: (($copy_bytes / 1048576 / ([$wall_s, 0.01] | max)) * 10 | round / 10),
          stored_mb_s: (($stored_bytes / 1048576 / ([$wall_s, 0.01] | max)) * 10 | round / 10),
          peak_rss_kb: $peak_rss_kb, pgscrub: $pgscrub, git: $git, cpu: $cpu, nproc: $nproc}' >>"$json_file"
}

found=0
for name in bench.fc bench-z0.fc bench.dir; do
    archive="$archive_dir/$name"
    [ -e "$archive" ] || continue
    found=1
    # Sizes from the archive itself: copy_bytes is the decoded COPY text,
    # stored_bytes the table data as stored (compressed or not).
    info="$("$PGSCRUB" inspect "$archive" --json)"
    copy_bytes="$(jq '[.tables[].copy_bytes] | add // 0' <<<"$info")"
    stored_bytes="$(jq '[.tables[].stored_bytes] | add // 0' <<<"$info")"
    rows="$(jq '[.tables[].rows] | add // 0' <<<"$info")"
    format="$(jq -r '.format + "/" + .compression' <<<"$info")"
    compression="$(jq -r '.compression' <<<"$info")"
    archive_bytes="$(du -sb "$archive" | cut -f1)"
    if [ -d "$archive" ]; then sinks=(file); else sinks=(file null); fi

    for sink in "${sinks[@]}"; do
        if [ "$sink" = file ]; then out=("-o" "$scratch/out"); else out=("-o" "-"); fi
        # Tables copied as stored bytes: the floor set by archive parsing and I/O.
        measure "$name" "passthru" "$sink" "$PGSCRUB" scrub -q -r "$rules" -i "$archive" "${out[@]}" "${jobs_opt[@]}"
        # Every table decoded, split into rows, re-joined and re-encoded with the
        # input's compression: what a real scrub costs per table it changes.
        # On an uncompressed input that is the pure codec, labelled as such.
        if [ "$compression" = none ]; then
            measure "$name" "rewrite-all (codec)" "$sink" "$PGSCRUB" scrub -q -r "$rules" -i "$archive" "${out[@]}" "${jobs_opt[@]}" --rewrite-all --compress none
        else
            measure "$name" "rewrite-all" "$sink" "$PGSCRUB" scrub -q -r "$rules" -i "$archive" "${out[@]}" "${jobs_opt[@]}" --rewrite-all
            # Decompression and codec without recompression: the difference
            # to the row above is the cost of compressing.
            measure "$name" "rewrite-all -Z none" "$sink" "$PGSCRUB" scrub -q -r "$rules" -i "$archive" "${out[@]}" "${jobs_opt[@]}" --rewrite-all --compress none
        fi
    done
    # The leak audit: every text field decoded and searched by the detectors.
    measure "$name" "scan" "null" "$PGSCRUB" scan "$archive"
    # A real scrub (bench/scrub-rules.yaml), without and with --verify: the
    # difference is remembering the originals plus reading the output back.
    measure "$name" "scrub rules" "file" "$PGSCRUB" scrub -q -r "$SCRIPT_DIR/scrub-rules.yaml" -i "$archive" -o "$scratch/out" "${jobs_opt[@]}"
    measure "$name" "scrub rules --verify" "file" "$PGSCRUB" scrub -q -r "$SCRIPT_DIR/scrub-rules.yaml" -i "$archive" -o "$scratch/out" "${jobs_opt[@]}" --verify
    # Reference: stock pg_restore decompressing every table into a SQL script.
    measure "$name" "pg_restore -f /dev/null" "null" "$PG_RESTORE" -f /dev/null "$archive"
done
[ "$found" = 1 ] || { echo "no bench.fc, bench-z0.fc or bench.dir in $archive_dir" >&2; exit 2; }
