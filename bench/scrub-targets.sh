#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Issue 13's targets, measured side by side in one run on the archives of
# bench/generate.sh SIZE_MB, and printed as one table of figures, ratios and
# PASS/FAIL (see bench/README.md, "Targets of issue 13").
#
# usage: bench/scrub-targets.sh [--json FILE] [--runs R] [--table events|users] [SIZE_MB]
#   SIZE_MB      the archives of bench/generate.sh SIZE_MB (default 256; generated when missing)
#   --json FILE  also write every figure, ratio and verdict to FILE as one JSON object
#   --runs R     rounds of measurements (default 3); the median of each is reported
#   --table T    the one large table of the -j 1 vs -j N measurement (default events)
# env: PGSCRUB (default build/release/cli/pgscrub), PGSCRUB_BENCH_DIR (default /var/tmp/pgscrub-bench)
#
# Runs as root: the PostgreSQL 15 cluster that generate.sh keeps in
# PGSCRUB_BENCH_DIR is started for the run (as the postgres user, see
# tests/integration/lib.sh) and stopped at the end.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$SCRIPT_DIR")"
BENCH_DIR="${PGSCRUB_BENCH_DIR:-/var/tmp/pgscrub-bench}"
export PGSCRUB="${PGSCRUB:-$ROOT/build/release/cli/pgscrub}"
# scrub refuses to run without a key; this one is for measuring only. The
# do-it-yourself SQL is keyed by the same one.
export PGSCRUB_SECRET="${PGSCRUB_SECRET:-benchmark-key-0123456789abcdef}"

json_file="" runs=3 table=events size_mb=256
while [ $# -gt 0 ]; do
    case "$1" in
    --json) json_file="${2:?--json needs a FILE}"; shift 2 ;;
    --runs) runs="${2:?--runs needs R}"; shift 2 ;;
    --table) table="${2:?--table needs events or users}"; shift 2 ;;
    -h | --help) sed -n '3,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
    -*) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
    *) size_mb="$1"; shift ;;
    esac
done
case "$runs" in '' | *[!0-9]* | 0) echo "--runs needs a positive integer" >&2; exit 2 ;; esac
case "$table" in events | users) ;; *) echo "--table is events or users" >&2; exit 2 ;; esac
[ -x "$PGSCRUB" ] || { echo "no pgscrub binary at $PGSCRUB (build it, or set PGSCRUB)" >&2; exit 2; }
# shellcheck source=common.sh
source "$SCRIPT_DIR/common.sh"
bench_need_tools

# Idempotent: makes the archives only when they are missing or outdated, and
# leaves the cluster (with the database `bench`) stopped.
"$SCRIPT_DIR/generate.sh" "$size_mb" >&2
archive_dir="$BENCH_DIR/archives-$size_mb"
archive="$archive_dir/bench.fc"
rules="$SCRIPT_DIR/scrub-rules.yaml"

export PGSCRUB_TEST_ROOT="$BENCH_DIR"
# shellcheck source=../tests/integration/lib.sh
source "$ROOT/tests/integration/lib.sh"
use_cluster 15
cluster="$(cluster_dir 15)"
scratch="$(mktemp -d "$BENCH_DIR/scrub-targets.XXXXXX")"
res="$scratch/results"
mkdir -p "$res"
db_diy=bench_targets_diy db_piped=bench_targets_piped
cleanup() {
    set +e
    q -c "DROP DATABASE IF EXISTS $db_diy" -c "DROP DATABASE IF EXISTS $db_piped" 2>/dev/null
    cluster_stop 15
    rm -rf "$scratch"
}
trap cleanup EXIT
# The settings generate.sh wrote to postgresql.auto.conf (socket, fsync off,
# wal_level minimal ...) apply: they favour the do-it-yourself path.
pg_ctl_as_postgres() { (cd / && runuser -u postgres -- "$BIN/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w "$@" >/dev/null); }
pg_ctl_as_postgres status 2>/dev/null || pg_ctl_as_postgres start

# A private copy of the binary: a rebuild during the run must not swap or
# break the program being measured.
cp "$PGSCRUB" "$scratch/pgscrub"
PGSCRUB="$scratch/pgscrub"
keep_rules="$scratch/keep.yaml"
printf 'version: 1\nunlisted_tables: keep\nunlisted_columns: keep\ntables: {}\n' >"$keep_rules"
nproc="$(nproc)"
copy_total="$("$PGSCRUB" inspect "$archive" --json | jq '[.tables[].copy_bytes] | add')"

bench_identity
echo "pgscrub issue-13 targets, $(date -u '+%Y-%m-%d %H:%M UTC')"
bench_machine_line
echo "pgscrub:  $version (source tree git $git_rev)"
echo "ref:      $("$BIN/pg_restore" --version); server: generate.sh's cluster (fsync off, wal_level minimal)"
echo "archive:  $archive ($(awk -v c="$copy_total" 'BEGIN { printf "%.1f", c / 1048576 }') MiB of COPY text, $(du -m "$archive" | cut -f1) MiB)"
bench_load_line
echo "figures:  median of $runs rounds (wall range beside it); cpu_s = the client's user + system CPU, srv_s = the server's; MB = MiB"

# server_ticks: CPU clock ticks the PostgreSQL server has used so far: every
# live process of the postmaster's (itself included) plus what its reaped
# children used (cutime, cstime), from /proc/PID/stat (proc(5)).
postmaster="$(head -n 1 "$cluster/data/postmaster.pid")"
server_ticks() {
    local pid total=0 fields
    for pid in "$postmaster" $(ps -o pid= --ppid "$postmaster"); do
        # Fields after "pid (comm)": utime is the 12th, stime 13th, cutime 14th, cstime 15th.
        fields="$(sed 's/^.*) //' "/proc/$pid/stat" 2>/dev/null)" || continue
        read -r -a f <<<"$fields"
        total=$((total + f[11] + f[12]))
        [ "$pid" != "$postmaster" ] || total=$((total + f[13] + f[14]))
    done
    echo "$total"
}
clk_tck="$(getconf CLK_TCK)"

# timed KEY db|nodb COMMAND...: runs COMMAND under GNU time (stdout to
# /dev/null) and appends "wall cpu rss_kib server_cpu" to $res/KEY. With db,
# server_cpu is what the server spent meanwhile.
timed() {
    local key="$1" kind="$2" before=0 after=0 wall user sys rss
    shift 2
    [ "$kind" = nodb ] || before="$(server_ticks)"
    /usr/bin/time -f '%e %U %S %M' -o "$scratch/time" "$@" >/dev/null 2>"$scratch/stderr" \
        || { echo "FAILED ($key): $*" >&2; cat "$scratch/stderr" >&2; exit 1; }
    # A backend exits just after its client; let the postmaster reap it.
    [ "$kind" = nodb ] || { sleep 0.2; after="$(server_ticks)"; }
    read -r wall user sys rss < <(tail -n 1 "$scratch/time")
    awk -v w="$wall" -v u="$user" -v s="$sys" -v r="$rss" -v t=$((after - before)) -v hz="$clk_tck" \
        'BEGIN { printf "%s %.2f %d %.2f\n", w, u + s, r, t / hz }' >>"$res/$key"
}
# total KEY PARTS...: appends the sum of the PARTS' last lines (max for RSS).
total() {
    local key="$1" part
    shift
    for part in "$@"; do tail -n 1 "$res/$part"; done \
        | awk '{ w += $1; c += $2; if ($3 > r) r = $3; s += $4 } END { printf "%.2f %.2f %d %.2f\n", w, c, r, s }' >>"$res/$key"
}

for round in $(seq "$runs"); do
    echo "round $round of $runs" >&2
    # 1. scrub archive -> archive, gzip in and out, default -j.
    timed scrub nodb "$PGSCRUB" scrub -q -r "$rules" -i "$archive" -o "$scratch/scrubbed.fc"
    # ... and by hand: restore, the UPDATEs of diy-scrub.sql, dump. The restore
    # is also the plain pg_restore of measurement 2.
    fresh_db "$db_diy"
    timed restore db "$BIN/pg_restore" --exit-on-error -d "$db_diy" "$archive"
    if [ "$round" = 1 ]; then
        # The one large table alone, uncompressed, so that -j can only act on
        # the rows (nothing to inflate, and no deflate with --compress none).
        # Dumped from this restore, not from generate.sh's database `bench`,
        # which holds the last size generated, not necessarily SIZE_MB's.
        "$BIN/pg_dump" -Fc -Z0 -t "$table" -f "$scratch/table.fc" "$db_diy"
        copy_table="$("$PGSCRUB" inspect "$scratch/table.fc" --json | jq '[.tables[].copy_bytes] | add')"
    fi
    timed diy_update db "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -v key="$PGSCRUB_SECRET" -d "$db_diy" -f "$SCRIPT_DIR/diy-scrub.sql"
    timed diy_dump db "$BIN/pg_dump" -Fc -f "$scratch/diy.fc" "$db_diy"
    total diy restore diy_update diy_dump
    # 2. the staging reset: scrub piped into pg_restore (same flags), with
    # pgscrub's own figures (its peak RSS) from an inner GNU time.
    fresh_db "$db_piped"
    # shellcheck disable=SC2016 # expanded by the inner bash
    timed piped db bash -c 'set -o pipefail
        /usr/bin/time -f "%e %U %S %M" -o "$1" "$2" scrub -q -r "$3" -i "$4" -o - --compress none \
            | "$5" --exit-on-error -d "$6"' _ "$scratch/time-inner" "$PGSCRUB" "$rules" "$archive" "$BIN/pg_restore" "$db_piped"
    tail -n 1 "$scratch/time-inner" | awk '{ printf "%s %.2f %d 0.00\n", $1, $2 + $3, $4 }' >>"$res/piped_scrub"
    # 3. one large table, -j 1 and -j N, uncompressed in and out.
    timed j1 nodb "$PGSCRUB" scrub -q -r "$rules" -i "$scratch/table.fc" -o - --compress none -j 1
    timed jn nodb "$PGSCRUB" scrub -q -r "$rules" -i "$scratch/table.fc" -o - --compress none -j "$nproc"
    # 4. keep-all: tables copied as stored bytes, to stdout on /dev/null as
    # run.sh's passthru "null" row (the issue's 4.6 GB/s), so that the page
    # cache's cost of writing a file does not hide pgscrub's.
    timed keep nodb "$PGSCRUB" scrub -q -r "$keep_rules" -i "$archive" -o -
    # 5. directory in (gzip files): to a directory, several tables at once
    # (scrub/parallel_tables.hpp), beside to a custom archive, one table at
    # a time (its rows still on every core). Same input, rules and -j, and
    # both uncompressed, so both do the same work: every table inflated
    # (kept ones too: a .gz file is not a custom-format block), none deflated.
    rm -rf "$scratch/tables.dir" "$scratch/tables.fc"
    timed tables_dir nodb "$PGSCRUB" scrub -q -r "$rules" -i "$archive_dir/bench.dir" -o "$scratch/tables.dir" --compress none
    timed tables_fc nodb "$PGSCRUB" scrub -q -r "$rules" -i "$archive_dir/bench.dir" -o "$scratch/tables.fc" -Fc --compress none
done

# Both paths must have done the work: every address fake, every IP in a
# documentation range, every row still there.
check_sql="SELECT (SELECT count(*) FROM users) || ' ' || (SELECT count(*) FROM events) || ' ' || (SELECT count(*) FROM documents)
    || ' ' || (SELECT count(*) FROM users WHERE email NOT LIKE 'user-%@example.com')
    || ' ' || (SELECT count(*) FROM events WHERE NOT (ip << '192.0.2.0/24' OR ip << '198.51.100.0/24' OR ip << '203.0.113.0/24'))"
check_diy="$(q -d "$db_diy" -c "$check_sql")" check_piped="$(q -d "$db_piped" -c "$check_sql")"
read -r n_users n_events n_docs bad_email bad_ip <<<"$check_piped"
if [ "$check_diy" != "$check_piped" ] || [ "$bad_email" != 0 ] || [ "$bad_ip" != 0 ]; then
    echo "CHECK FAILED: users events documents unfaked-emails unfaked-IPs: do-it-yourself $check_diy, pgscrub $check_piped" >&2
    exit 1
fi

# med KEY FIELD: median (lower middle for an even count) of FIELD over the
# rounds: 1 wall, 2 cpu, 3 rss, 4 server cpu. lo/hi: the least and greatest.
med() { cut -d' ' -f"$2" "$res/$1" | sort -g | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
lo() { cut -d' ' -f"$2" "$res/$1" | sort -g | head -n 1; }
hi() { cut -d' ' -f"$2" "$res/$1" | sort -g | tail -n 1; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

echo
row_format='%-50s %7s %13s %7s %7s %8s %9s\n'
# shellcheck disable=SC2059 # the format is the constant above
printf "$row_format" measurement wall_s "wall range" cpu_s srv_s RSS_MiB COPY_MB/s
# shellcheck disable=SC2059
printf "$row_format" ----------- ------ ---------- ----- ----- ------- ---------
# row KEY LABEL COPY_BYTES|-: one measurement's medians.
row() {
    local w mbs="-" srv="-"
    w="$(med "$1" 1)"
    [ "$3" = - ] || mbs="$(calc %.1f "$3 / 1048576 / ($w < 0.01 ? 0.01 : $w)")"
    [ "$(hi "$1" 4)" = 0.00 ] || srv="$(med "$1" 4)"
    # shellcheck disable=SC2059
    printf "$row_format" "$2" "$w" "$(lo "$1" 1)-$(hi "$1" 1)" "$(med "$1" 2)" "$srv" "$(calc %.1f "$(hi "$1" 3) / 1024")" "$mbs"
}
row scrub "scrub bench.fc -> .fc (gzip in/out, -j default)" "$copy_total"
row restore "DIY 1/3: pg_restore -d (also: plain pg_restore)" "$copy_total"
row diy_update "DIY 2/3: UPDATEs of bench/diy-scrub.sql" -
row diy_dump "DIY 3/3: pg_dump -Fc" "$copy_total"
row diy "DIY total" "$copy_total"
row piped "scrub -o - -Z none | pg_restore -d" "$copy_total"
row piped_scrub "  (its pgscrub)" "$copy_total"
row j1 "$table alone, -Z0 -> -Z none, -j 1" "$copy_table"
row jn "$table alone, -Z0 -> -Z none, -j $nproc" "$copy_table"
row keep "keep-all bench.fc -> -o - (/dev/null)" "$copy_total"
row tables_fc "bench.dir -> .fc -Z none (tables one by one)" "$copy_total"
row tables_dir "bench.dir -> dir -Z none (tables at once)" "$copy_total"

# The verdicts. Ratios are of the medians above.
rss_max="$(cat "$res/scrub" "$res/piped_scrub" "$res/j1" "$res/jn" "$res/keep" "$res/tables_dir" "$res/tables_fc" | awk '$3 > m { m = $3 } END { print m }')"
diy_ratio="$(calc %.2f "$(med diy 1) / $(med scrub 1)")"
diy_cpu_ratio="$(calc %.2f "($(med diy 2) + $(med diy 4)) / $(med scrub 2)")"
piped_ratio="$(calc %.2f "$(med piped 1) / $(med restore 1)")"
jobs_ratio="$(calc %.2f "$(med j1 1) / $(med jn 1)")"
keep_gibs="$(calc %.2f "$copy_total / 1073741824 / ($(med keep 1) < 0.01 ? 0.01 : $(med keep 1))")"
rss_mib="$(calc %.1f "$rss_max / 1024")"
verdicts="$scratch/verdicts"
: >"$verdicts"
# verdict ID NAME VALUE OP LIMIT UNIT: a PASS/FAIL line, kept for the JSON too.
verdict() {
    local pass
    pass="$(awk -v v="$3" -v l="$5" -v op="$4" 'BEGIN { print ((op == ">=" ? v >= l : v <= l) ? "PASS" : "FAIL") }')"
    printf '%-50s %10s %12s  %s\n' "$2" "$3$6" "$4 $5$6" "$pass"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$1" "$2" "$3" "$4" "$5" "$6" "$pass" >>"$verdicts"
}
echo
printf '%-50s %10s %12s  %s\n' target figure wanted result
printf '%-50s %10s %12s  %s\n' ------ ------ ------ ------
verdict diy_ratio "scrub vs do-it-yourself: DIY / scrub wall" "$diy_ratio" ">=" 8 x
verdict piped_ratio "scrub | pg_restore vs pg_restore: piped / plain" "$piped_ratio" "<=" 1.15 x
verdict jobs_ratio "$table alone: -j $nproc / -j 1 throughput" "$jobs_ratio" ">=" 1.8 x
verdict keep_all_gib_s "keep-all throughput of COPY text" "$keep_gibs" ">=" 1 " GiB/s"
verdict peak_rss_mib "peak RSS of every pgscrub run (max)" "$rss_mib" "<=" 128 " MiB"
echo "(CPU: the do-it-yourself path spends ${diy_cpu_ratio}x scrub's CPU seconds, client + server; checks passed:"
echo " both restores hold $n_users users, $n_events events, $n_docs documents, no original e-mail or IP)"
echo "(tables at once, directory to directory: $(calc %.2f "$(med tables_fc 1) / $(med tables_dir 1)")x the speed of the same scrub to a custom archive)"
[ "$nproc" -ge 2 ] || echo "WARNING: 1 CPU: -j $nproc / -j 1 compares nothing"

[ -n "$json_file" ] || exit 0
measurements="$(for key in scrub restore diy_update diy_dump diy piped piped_scrub j1 jn keep tables_fc tables_dir; do
    jq -Rn --arg key "$key" '[inputs | split(" ") | map(tonumber) | {wall_s: .[0], cpu_s: .[1], peak_rss_kb: .[2], server_cpu_s: .[3]}]
        | {($key): {runs: ., wall_s: (map(.wall_s) | sort | .[(length - 1) / 2 | floor]),
                    cpu_s: (map(.cpu_s) | sort | .[(length - 1) / 2 | floor]),
                    server_cpu_s: (map(.server_cpu_s) | sort | .[(length - 1) / 2 | floor]),
                    peak_rss_kb: (map(.peak_rss_kb) | max)}}' <"$res/$key"
done | jq -s 'add')"
jq -Rn --argjson measurements "$measurements" --arg git "$git_rev" --arg pgscrub "$version" --arg cpu "$cpu_model" \
    --argjson nproc "$nproc" --arg load "$load" --argjson size_mb "$size_mb" --argjson runs "$runs" --arg table "$table" \
    --argjson copy_bytes "$copy_total" --argjson table_copy_bytes "$copy_table" \
    '{pgscrub: $pgscrub, git: $git, cpu: $cpu, nproc: $nproc, load: ($load | tonumber), size_mb: $size_mb,
      runs: $runs, copy_bytes: $copy_bytes, table: $table, table_copy_bytes: $table_copy_bytes,
      measurements: $measurements,
      targets: [inputs | split("\t") | {id: .[0], name: .[1], value: (.[2] | tonumber), op: .[3],
                                        limit: (.[4] | tonumber), unit: (.[5] | ltrimstr(" ")), pass: (.[6] == "PASS")}]}' <"$verdicts" >"$json_file"
