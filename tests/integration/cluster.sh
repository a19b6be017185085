#!/usr/bin/env bash
# CTest fixture: start or stop the throwaway cluster of one PostgreSQL version.
#   cluster.sh start 15|17|18    (exit 77 = skipped: PostgreSQL 17/18 could not be installed)
#   cluster.sh stop 15|17|18
source "$(dirname "$0")/lib.sh"
mkdir -p "$PGSCRUB_TEST_ROOT"
action="$1" version="$2"
case "$action" in
start)
    if [ "$version" != 15 ]; then
        set +e
        "$HERE/../newer-postgres/setup.sh" "$version"
        rc=$?
        set -e
        if [ "$rc" = 77 ]; then
            touch "$PGSCRUB_TEST_ROOT/pg$version.unavailable"
            echo "SKIPPED: PostgreSQL $version tools could not be installed (no network?); the PostgreSQL $version cases are skipped" >&2
            exit 77
        fi
        [ "$rc" = 0 ] || exit "$rc"
    fi
    rm -f "$PGSCRUB_TEST_ROOT/pg$version.unavailable"
    cluster_start "$version"
    use_cluster "$version"
    ensure_fixture_db
    echo "PostgreSQL $version cluster ready at $PGHOST with database fixture"
    ;;
stop) cluster_stop "$version" ;;
*) echo "usage: cluster.sh start|stop VERSION" >&2; exit 2 ;;
esac
