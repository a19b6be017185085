#!/usr/bin/env bash
# Regenerates the golden tests' dumps from site-source.sql with a real
# PostgreSQL 15 (the version scripts/install-deps.sh installs):
#   site.dump  pg_dump -Fc (custom archive, gzip)
#   site.dir/  pg_dump -Fd (directory archive, gzip)
#   site.tar   pg_dump -Ft (tar archive)
#   site.sql   pg_dump -Fp (plain SQL)
# They are checked in, so the golden tests need no server and stay exact:
# the archives record when they were made and pg_dump's version. Run it only
# when site-source.sql changes (as root: the server runs as `postgres`), then
# PGSCRUB_UPDATE_GOLDEN=1 tests/golden/run.sh PGSCRUB and review the diff.
#   make.sh [PG_BIN_DIR]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bin="${1:-/usr/lib/postgresql/15/bin}"
work="$(mktemp -d)"
chmod 755 "$work"
stop() {
    runuser -u postgres -- "$bin/pg_ctl" -D "$work/data" -m fast -w stop > /dev/null 2>&1 || true
    rm -rf "$work"
}
trap stop EXIT
mkdir "$work/socket"
chown -R postgres:postgres "$work"
(cd / && runuser -u postgres -- "$bin/initdb" -D "$work/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 > "$work/initdb.log") \
    || { cat "$work/initdb.log" >&2; exit 1; }
(cd / && runuser -u postgres -- "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w \
    -o "-c listen_addresses='' -k $work/socket -p 5432" start > /dev/null) || { cat "$work/server.log" >&2; exit 1; }
export PGHOST="$work/socket" PGPORT=5432 PGUSER=postgres
"$bin/psql" -X -q -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE site"
"$bin/psql" -X -q -v ON_ERROR_STOP=1 -d site -f "$here/site-source.sql" > /dev/null
"$bin/pg_dump" -Fc -d site -f "$here/site.dump"
rm -rf "$here/site.dir"
"$bin/pg_dump" -Fd -d site -f "$here/site.dir"
"$bin/pg_dump" -Ft -d site -f "$here/site.tar"
"$bin/pg_dump" -Fp -d site -f "$here/site.sql"
echo "wrote site.dump, site.dir, site.tar and site.sql in $here"
