#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# Builds the benchmark archives: a web-app-like PostgreSQL 15 database whose
# COPY text is about SIZE_MB megabytes (MiB), dumped three ways into OUT_DIR:
#   bench.fc      custom format, pg_dump's default compression (gzip)
#   bench-z0.fc   custom format, -Z0 (uncompressed)
#   bench.dir     directory format, default compression (gzip)
#
# usage: bench/generate.sh [SIZE_MB [OUT_DIR]]
#   SIZE_MB  default 256
#   OUT_DIR  default $PGSCRUB_BENCH_DIR/archives-SIZE_MB
# env: PGSCRUB_BENCH_DIR  scratch directory for the cluster (default /var/tmp/pgscrub-bench)
#
# Idempotent: OUT_DIR/bench.stamp records what the archives were made from;
# when it matches, nothing is done. The cluster in the scratch directory is
# reused across runs (the database is rebuilt only when the size or the SQL
# changed) and is always left stopped. Must run as root: PostgreSQL runs as
# the `postgres` user via runuser (see tests/integration/lib.sh).
set -euo pipefail

# (Not HERE: lib.sh sets HERE to its own directory.)
SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(dirname "$SCRIPT_DIR")"
SIZE_MB="${1:-256}"
BENCH_DIR="${PGSCRUB_BENCH_DIR:-/var/tmp/pgscrub-bench}"
OUT_DIR="${2:-$BENCH_DIR/archives-$SIZE_MB}"
PG_VERSION=15

case "$SIZE_MB" in
'' | *[!0-9]* | 0) echo "usage: $0 [SIZE_MB [OUT_DIR]]  (SIZE_MB a positive integer)" >&2; exit 2 ;;
esac

# lib.sh insists on both; generation itself never runs pgscrub except for the
# size summary at the end.
export PGSCRUB="${PGSCRUB:-$ROOT/build/release/cli/pgscrub}"
export PGSCRUB_TEST_ROOT="$BENCH_DIR"
# shellcheck source=../tests/integration/lib.sh
source "$ROOT/tests/integration/lib.sh"

# Share of the COPY text per table and the average COPY text bytes per row,
# measured with `pgscrub inspect --json` (copy_bytes / rows) on a generated
# database; they turn SIZE_MB into row counts. Re-measure if generate.sql changes.
USERS_SHARE=15 USERS_ROW_BYTES=395
EVENTS_SHARE=35 EVENTS_ROW_BYTES=62
DOCUMENTS_SHARE=50 DOCUMENTS_ROW_BYTES=4120
total=$((SIZE_MB * 1024 * 1024))
users=$((total * USERS_SHARE / 100 / USERS_ROW_BYTES))
events=$((total * EVENTS_SHARE / 100 / EVENTS_ROW_BYTES))
documents=$((total * DOCUMENTS_SHARE / 100 / DOCUMENTS_ROW_BYTES))
seed=0.42

# What the data is made of: a change to any part invalidates the database and
# the archives.
gen_id="size_mb=$SIZE_MB users=$users events=$events documents=$documents seed=$seed sql=$(md5sum "$SCRIPT_DIR/generate.sql" | cut -c1-12)"
stamp="$OUT_DIR/bench.stamp"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$gen_id" ] \
    && [ -f "$OUT_DIR/bench.fc" ] && [ -f "$OUT_DIR/bench-z0.fc" ] && [ -f "$OUT_DIR/bench.dir/toc.dat" ]; then
    echo "archives in $OUT_DIR are up to date ($gen_id)"
    exit 0
fi

mkdir -p "$BENCH_DIR" "$OUT_DIR"
use_cluster "$PG_VERSION"
cluster="$(cluster_dir "$PG_VERSION")"

pg_ctl_as_postgres() { (cd / && runuser -u postgres -- "$BIN/pg_ctl" -D "$cluster/data" -l "$cluster/server.log" -w "$@" >/dev/null); }

# Reuse the cluster when it exists and starts; otherwise make a fresh one with
# lib.sh. lib.sh passes its settings on the command line, so they are also
# written to postgresql.auto.conf for a plain `pg_ctl start` next time, with
# settings for bulk loading: wal_level=minimal lets the loads below skip WAL
# (the table is truncated in the loading transaction), and a large
# max_wal_size avoids checkpoints mid-load.
if [ -f "$cluster/data/PG_VERSION" ] && { pg_ctl_as_postgres status || pg_ctl_as_postgres start; } 2>/dev/null; then
    echo "reusing the PostgreSQL $PG_VERSION cluster in $cluster"
else
    echo "creating a PostgreSQL $PG_VERSION cluster in $cluster"
    cluster_start "$PG_VERSION"
    q <<SQL
ALTER SYSTEM SET listen_addresses = '';
ALTER SYSTEM SET unix_socket_directories = '$cluster/socket';
ALTER SYSTEM SET port = 5432;
ALTER SYSTEM SET fsync = off;
ALTER SYSTEM SET synchronous_commit = off;
ALTER SYSTEM SET full_page_writes = off;
ALTER SYSTEM SET wal_level = minimal;
ALTER SYSTEM SET max_wal_senders = 0;
ALTER SYSTEM SET max_wal_size = '8GB';
ALTER SYSTEM SET shared_buffers = '256MB';
ALTER SYSTEM SET maintenance_work_mem = '512MB';
SQL
    pg_ctl_as_postgres restart
fi
trap 'cluster_stop "$PG_VERSION"' EXIT

# The database comment records gen_id, so an interrupted or outdated load is
# rebuilt and a complete one is reused (e.g. when only the archives were deleted).
if [ "$(q -c "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = 'bench'")" != "$gen_id" ]; then
    echo "generating database bench: $users users, $events events, $documents documents"
    start=$SECONDS
    PGOPTIONS="-c client_min_messages=warning" q -c "DROP DATABASE IF EXISTS bench"
    q -c "CREATE DATABASE bench TEMPLATE template0"
    load() {
        local t0=$SECONDS
        q -d bench -v part="$1" -v users="$users" -v events="$events" -v documents="$documents" -v seed="$seed" \
            -f "$SCRIPT_DIR/generate.sql" >/dev/null
        echo "  $1: $((SECONDS - t0)) s"
    }
    load schema
    # Two sessions, one per core: documents is about half the data, users and
    # events the other half. The loads are independent (foreign keys come last).
    load documents &
    docs_pid=$!
    load users
    load events
    wait "$docs_pid"
    load finish
    q -d bench -c "VACUUM (FREEZE, ANALYZE)"
    q -c "COMMENT ON DATABASE bench IS '$gen_id'"
    echo "generated in $((SECONDS - start)) s"
fi

# Dump to temporary names and rename at the end, so an interrupted run never
# leaves an archive that looks complete. The two gzip dumps are each bound by
# one core's compression, so they run side by side.
echo "dumping into $OUT_DIR"
start=$SECONDS
rm -rf "$OUT_DIR"/bench.fc.tmp "$OUT_DIR"/bench-z0.fc.tmp "$OUT_DIR"/bench.dir.tmp "$stamp"
dump() {
    local t0=$SECONDS
    "$BIN/pg_dump" -d bench "$@"
    echo "  ${*: -1}: $((SECONDS - t0)) s"
}
dump -Fc -f "$OUT_DIR/bench.fc.tmp" &
fc_pid=$!
dump -Fd -f "$OUT_DIR/bench.dir.tmp"
wait "$fc_pid"
dump -Fc -Z0 -f "$OUT_DIR/bench-z0.fc.tmp"
rm -rf "$OUT_DIR/bench.fc" "$OUT_DIR/bench-z0.fc" "$OUT_DIR/bench.dir"
mv "$OUT_DIR/bench.fc.tmp" "$OUT_DIR/bench.fc"
mv "$OUT_DIR/bench-z0.fc.tmp" "$OUT_DIR/bench-z0.fc"
mv "$OUT_DIR/bench.dir.tmp" "$OUT_DIR/bench.dir"
echo "$gen_id" >"$stamp"
echo "dumped in $((SECONDS - start)) s"

# The actual sizes, so a drift from SIZE_MB (the bytes-per-row figures above
# are estimates) is visible. Informational only: the archives are complete.
summary() {
    local info
    info="$("$PGSCRUB" inspect "$OUT_DIR/bench-z0.fc" --json)" || return 1
    jq -r '.tables[] | "  \(.name): \(.rows) rows, COPY text \(.copy_bytes / 1048576 | floor) MiB (\(.copy_bytes / ([.rows, 1] | max) | floor) B/row)"' <<<"$info"
    jq -r --arg want "$SIZE_MB" '"  total COPY text \([.tables[].copy_bytes] | add / 1048576 | floor) MiB (asked for \($want))"' <<<"$info"
}
command -v jq >/dev/null && [ -x "$PGSCRUB" ] && summary || echo "(size summary skipped: needs jq and a working $PGSCRUB)"
