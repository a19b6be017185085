# Shared helpers for the integration tests: a throwaway PostgreSQL cluster on a
# unix socket (no TCP), the fixture database, and table-by-table comparison.
# Sourced by the test scripts; PostgreSQL refuses to run as root, so the
# server runs as the `postgres` OS user.
set -euo pipefail

: "${PGSCRUB:?PGSCRUB must name the pgscrub binary}"
: "${PGSCRUB_TEST_ROOT:?PGSCRUB_TEST_ROOT must name a scratch directory}"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# A fixed test key: scrub refuses to run without one.
export PGSCRUB_SECRET="${PGSCRUB_SECRET:-integration-test-key-0123456789abcdef}"

# pg_bin VERSION -> directory with initdb/pg_ctl/pg_dump/pg_restore/psql
pg_bin() {
    case "$1" in
        15) echo /usr/lib/postgresql/15/bin ;;
        17|18) echo "${PGSCRUB_CACHE:-/var/cache/pgscrub}/pg$1/bin" ;;
        *) echo "unknown PostgreSQL version $1" >&2; return 1 ;;
    esac
}

cluster_dir() { echo "$PGSCRUB_TEST_ROOT/cluster-$1"; }

# Points libpq and the client tools at the cluster of VERSION. Exits 77
# (skipped) when the fixture could not provide that version.
use_cluster() {
    local version="$1" dir
    if [ -e "$PGSCRUB_TEST_ROOT/pg$version.unavailable" ]; then
        echo "SKIPPED: PostgreSQL $version is not available on this machine (see 'pg$version: start cluster')" >&2
        exit 77
    fi
    dir="$(cluster_dir "$version")"
    BIN="$(pg_bin "$version")"
    export PGHOST="$dir/socket" PGPORT=5432 PGUSER=postgres PGDATABASE=postgres
    unset PGPASSWORD PGSERVICE
}

cluster_start() {
    local version="$1" dir bin
    dir="$(cluster_dir "$version")"
    bin="$(pg_bin "$version")"
    cluster_stop "$version" || true
    rm -rf "$dir"
    mkdir -p "$dir/socket"
    chown -R postgres:postgres "$dir"
    chmod 755 "$PGSCRUB_TEST_ROOT" "$dir"
    (cd / && runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1) \
        || { cat "$dir/initdb.log" >&2; return 1; }
    (cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-c listen_addresses='' -k $dir/socket -p 5432 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null) \
        || { cat "$dir/server.log" >&2; return 1; }
}

cluster_stop() {
    local version="$1" dir bin
    dir="$(cluster_dir "$version")"
    bin="$(pg_bin "$version")"
    [ -d "$dir/data" ] || return 0
    (cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1) || true
}

q() { "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -At "$@"; }

# Creates database NAME from the fixture once per cluster (template for all tests).
ensure_fixture_db() {
    local name="fixture"
    if [ "$(q -c "SELECT 1 FROM pg_database WHERE datname = '$name'")" != "1" ]; then
        q -c "CREATE DATABASE ${name}_loading"
        q -d "${name}_loading" -f "$HERE/fixture.sql" >/dev/null || { q -c "DROP DATABASE ${name}_loading"; return 1; }
        q -c "ALTER DATABASE ${name}_loading RENAME TO $name"
    fi
}

fresh_db() {
    q -c "DROP DATABASE IF EXISTS \"$1\"" 2>/dev/null
    q -c "CREATE DATABASE \"$1\" TEMPLATE template0"
}

# A text fingerprint of every table's rows, every sequence and every large
# object, independent of physical order: equal fingerprints mean equal data.
fingerprint() {
    local db="$1"
    q -d "$db" <<'SQL'
SELECT format('table %s.%s: %s rows, md5 %s', n.nspname, c.relname,
              (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM ONLY %I.%I', n.nspname, c.relname), false, true, '')))[1]::text,
              (xpath('/row/m/text()', query_to_xml(format('SELECT md5(coalesce(string_agg(t::text, E''\n'' ORDER BY t::text), '''')) AS m FROM ONLY %I.%I t', n.nspname, c.relname), false, true, '')))[1]::text)
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'm') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
ORDER BY 1;
SELECT format('sequence %s.%s: %s', schemaname, sequencename, last_value) FROM pg_sequences ORDER BY 1;
SELECT format('large object %s: md5 %s', oid, md5(lo_get(oid))) FROM pg_largeobject_metadata ORDER BY oid;
SQL
}

# restore_and_compare ARCHIVE DBNAME [pg_restore options...]: restores into a
# fresh database and compares its fingerprint with the fixture's.
restore_and_compare() {
    local archive="$1" db="$2"
    shift 2
    fresh_db "$db"
    "$BIN/pg_restore" --exit-on-error -d "$db" "$@" "$archive"
    compare_with_fixture "$db"
}

compare_with_fixture() {
    local db="$1"
    diff -u <(fingerprint fixture) <(fingerprint "$db") || { echo "FAIL: $db differs from the fixture" >&2; return 1; }
}

fail() { echo "FAIL: $*" >&2; exit 1; }
