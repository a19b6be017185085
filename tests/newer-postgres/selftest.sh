#!/usr/bin/env bash
# End-to-end proof that the newer PostgreSQL tools installed by setup.sh work
# (selftest.sh 17|18): a throwaway cluster of that version, then its pg_dump
# with lz4, zstd and gzip compression and its pg_restore of each dump into a
# fresh database, comparing contents.
# Kept out of setup.sh so that setup stays fast on the cached path.
#
# Must run as root (the server runs as the postgres OS user via runuser,
# because PostgreSQL refuses to run as root).  Exit 77 = skipped (setup could
# not reach the network), 0 = OK, anything else = failure.
set -euo pipefail
umask 022

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
MAJOR=${1:?usage: selftest.sh 17|18}
"$here/setup.sh" "$MAJOR" || exit $?   # fast when cached; passes 77 through
PGN_BIN=${PGSCRUB_CACHE:-/var/cache/pgscrub}/pg$MAJOR/bin

say() { printf 'pg%s selftest: %s\n' "$MAJOR" "$*" >&2; }
fail() { say "FAIL: $*"; [[ -f ${tmp:-}/server.log ]] && tail -n 20 "$tmp/server.log" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || fail "must run as root (needs runuser -u postgres)"
id postgres >/dev/null 2>&1 || fail "no 'postgres' OS user"

for t in pg_dump pg_restore psql; do
    v=$("$PGN_BIN/$t" --version) || fail "$t --version failed"
    [[ $v == *" $MAJOR."* ]] || fail "$t --version is not $MAJOR.x: $v"
done

# Everything lives in one private temp dir owned by postgres: the data
# directory, the unix socket directory (no TCP at all: listen_addresses='')
# and the dumps.  /tmp is world-traversable, so postgres can reach it.
tmp=$(mktemp -d /tmp/pg$MAJOR-selftest.XXXXXX)
chown postgres: "$tmp"
chmod 700 "$tmp"
data=$tmp/data sock=$tmp/sock
started=
cleanup() {
    if [[ -n $started ]]; then
        runuser -u postgres -- "$PGN_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

as_pg() { runuser -u postgres -- "$@"; }
# The caller's cwd may be unreadable for postgres; / never is.
cd /
as_pg mkdir "$sock"

as_pg "$PGN_BIN/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C --no-sync \
    >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; fail "initdb"; }
# pg_ctl hands -o to the shell that execs postgres, so '' arrives as an empty
# value.  fsync=off: a throwaway cluster.
as_pg "$PGN_BIN/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 60 \
    -o "-c listen_addresses='' -k $sock -c fsync=off" start >/dev/null || fail "pg_ctl start"
started=1

# Clients run as the postgres OS user too, which also proves that user can
# use the trixie tree.
psqln() { as_pg "$PGN_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$sock" -U postgres "$@"; }
checksum() {
    psqln -d "$1" -At -c "SELECT count(*) || ' ' || md5(string_agg(id || ':' || payload || ':' || coalesce(encode(blob, 'hex'), ''), ',' ORDER BY id)) FROM t"
}

psqln -d postgres -c "CREATE DATABASE src"
psqln -d src <<'SQL'
CREATE TABLE t (id int PRIMARY KEY, payload text NOT NULL, blob bytea);
INSERT INTO t
SELECT g, repeat(md5(g::text), 1 + g % 5), CASE WHEN g % 3 = 0 THEN sha256(g::text::bytea) END
FROM generate_series(1, 20000) AS g;
SQL
want=$(checksum src)
[[ $want == "20000 "* ]] || fail "unexpected source contents: $want"

# format:compression:dump path
for spec in c:lz4:"$tmp/dump.lz4" c:zstd:"$tmp/dump.zstd" d:gzip:"$tmp/dump.dir"; do
    IFS=: read -r fmt comp out <<<"$spec"
    db=r_${fmt}_$comp
    as_pg "$PGN_BIN/pg_dump" -h "$sock" -U postgres -d src -F"$fmt" -Z "$comp" -f "$out" ||
        fail "pg_dump -F$fmt -Z $comp"
    # Prove the requested compression was really used, not silently dropped.
    if [[ $fmt == c ]]; then
        as_pg "$PGN_BIN/pg_restore" -l "$out" | grep -q "Compression: $comp" ||
            fail "-F$fmt dump does not report Compression: $comp"
    else
        compgen -G "$out/*.dat.gz" >/dev/null || fail "-Fd -Z gzip produced no .dat.gz files"
    fi
    psqln -d postgres -c "CREATE DATABASE $db"
    as_pg "$PGN_BIN/pg_restore" -h "$sock" -U postgres -d "$db" --exit-on-error "$out" ||
        fail "pg_restore of -F$fmt -Z $comp"
    got=$(checksum "$db")
    [[ $got == "$want" ]] || fail "-F$fmt -Z $comp: restored '$got', expected '$want'"
    say "-F$fmt -Z $comp: dump+restore OK (${want%% *} rows, $(du -sk "$out" | cut -f1) KiB)"
done

as_pg "$PGN_BIN/pg_ctl" -D "$data" -m fast -w stop >/dev/null || fail "pg_ctl stop"
started=
say "OK: server $(as_pg "$PGN_BIN/postgres" --version | awk '{print $3}'), pg_dump $("$PGN_BIN/pg_dump" --version | awk '{print $3}')"
