#!/usr/bin/env bash
# Faults while a scrub runs: each ends with exit 3, one line on stderr that
# says what and where, and nothing under the output's final name.
#   faults.sh CASE   (reader-exits-early, device-full, sigterm-directory-output, output-parent-is-a-file)
source "$(dirname "$0")/lib.sh"
case_name="$1"
use_cluster 15
work="$PGSCRUB_TEST_ROOT/faults-$case_name"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
printf 'version: 1\nunlisted_tables: keep\nunlisted_columns: keep\nlarge_objects: keep\ntables: {}\n' > keep.yaml
"$BIN/pg_dump" -Fc -f good.fc fixture

one_line() { # FILE PATTERN
    [ "$(wc -l < "$1")" = 1 ] || { cat "$1" >&2; fail "expected one line on stderr"; }
    grep -Eq -- "$2" "$1" || { cat "$1" >&2; fail "message does not match /$2/"; }
}

case "$case_name" in
reader-exits-early)
    # pg_restore (or head) stops reading: a broken pipe, not a silent death by SIGPIPE.
    set +e
    "$PGSCRUB" scrub -q -r keep.yaml -i good.fc -o - --rewrite-all 2> err.txt | head -c 100 > /dev/null
    rc=${PIPESTATUS[0]}
    set -e
    [ "$rc" = 3 ] || { cat err.txt; fail "exit $rc, expected 3"; }
    one_line err.txt '^pgscrub scrub: -: .*write failed: Broken pipe$'
    ;;
device-full)
    set +e
    "$PGSCRUB" scrub -q -r keep.yaml -i good.fc -o /dev/full 2> err.txt
    rc=$?
    set -e
    [ "$rc" = 3 ] || { cat err.txt; fail "exit $rc, expected 3"; }
    one_line err.txt '^pgscrub scrub: /dev/full: .*write failed: No space left on device$'
    [ -c /dev/full ] || fail "/dev/full is no longer a device"
    ;;
sigterm-directory-output)
    # SIGTERM half-way through a directory output: neither the directory nor
    # its partial sibling remains.
    mkfifo slow.fifo
    "$PGSCRUB" scrub -r keep.yaml -q -i slow.fifo -o out.dir --format directory 2> err.txt &
    pid=$!
    exec 3> slow.fifo
    size=$(stat -c %s good.fc)
    head -c $((size / 2)) good.fc >&3
    for _ in $(seq 50); do compgen -G 'out.dir.pgscrub-partial-*' > /dev/null && break; sleep 0.1; done
    compgen -G 'out.dir.pgscrub-partial-*' > /dev/null || fail "no partial output appeared while running"
    kill -TERM "$pid"
    set +e
    wait "$pid"
    rc=$?
    set -e
    exec 3>&-
    [ "$rc" = 3 ] || { cat err.txt; fail "exit $rc, expected 3"; }
    one_line err.txt 'interrupted by signal 15; partial output removed$'
    if compgen -G 'out.dir*' > /dev/null; then ls -la out.dir* >&2; fail "output left behind after SIGTERM"; fi
    ;;
output-parent-is-a-file)
    : > plain-file
    for fmt in custom directory tar; do
        set +e
        "$PGSCRUB" scrub -q -r keep.yaml -i good.fc -o plain-file/out --format "$fmt" 2> err.txt
        rc=$?
        set -e
        [ "$rc" = 3 ] || { cat err.txt; fail "$fmt: exit $rc, expected 3"; }
        one_line err.txt '^pgscrub scrub: plain-file/out.*: .*Not a directory$'
    done
    ;;
*) fail "unknown case $case_name" ;;
esac
echo "PASS: fault $case_name"
