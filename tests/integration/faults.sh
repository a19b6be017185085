#!/usr/bin/env bash
# Faults while a scrub runs: each ends with exit 3, one line on stderr that
# says what and where, and nothing under the output's final name.
#   faults.sh CASE   (reader-exits-early, device-full, sigterm-directory-output, output-parent-is-a-file,
#                     filesystem-full, output-directory-denied)
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
filesystem-full)
    # The output's filesystem fills up half-way (a small tmpfs): exit 3, and
    # the filesystem is empty again afterwards: no output, no partial file.
    [ "$(id -u)" = 0 ] || { echo "SKIPPED: mounting a tmpfs needs root" >&2; exit 77; }
    "$PGSCRUB" scrub -q -r keep.yaml -i good.fc -o full-size.fc --rewrite-all --compress none
    size=$(stat -c %s full-size.fc)
    mkdir small
    mount -t tmpfs -o size=$((size / 2 / 4096 * 4096)) pgscrub-test-full small ||
        { echo "SKIPPED: cannot mount a tmpfs here" >&2; exit 77; }
    trap 'umount "$work/small" 2> /dev/null || true' EXIT
    for fmt in custom directory tar; do
        set +e
        "$PGSCRUB" scrub -q -r keep.yaml -i good.fc -o "small/out.$fmt" --format "$fmt" --rewrite-all --compress none 2> err.txt
        rc=$?
        set -e
        [ "$rc" = 3 ] || { cat err.txt; fail "$fmt: exit $rc, expected 3"; }
        one_line err.txt "^pgscrub scrub: small/out\.$fmt.*: offset [0-9]+: .*No space left on device$"
        # The offset is where the output stopped (about half its size), not
        # an offset of the input borrowed for the message.
        at=$(grep -o 'offset [0-9]*' err.txt | grep -o '[0-9]*')
        [ "$at" -ge $((size / 4)) ] || { cat err.txt; fail "$fmt: offset $at is not where the output stopped"; }
        if [ -n "$(ls -A small)" ]; then ls -laR small >&2; fail "$fmt: output left on the full filesystem"; fi
    done
    ;;
output-directory-denied)
    # A directory the user may not write to (run as nobody: root may write anywhere).
    command -v setpriv > /dev/null || { echo "SKIPPED: setpriv is not installed" >&2; exit 77; }
    [ "$(id -u)" = 0 ] || { echo "SKIPPED: switching to nobody needs root" >&2; exit 77; }
    mkdir -p locked && chmod 755 locked && chmod 644 good.fc keep.yaml && chmod 755 . "$PGSCRUB_TEST_ROOT"
    chmod 555 locked
    for fmt in custom directory tar; do
        set +e
        setpriv --reuid=nobody --regid=nogroup --clear-groups \
            "$PGSCRUB" scrub -q -r keep.yaml -i good.fc -o "locked/out.$fmt" --format "$fmt" 2> err.txt
        rc=$?
        set -e
        [ "$rc" = 3 ] || { cat err.txt; fail "$fmt: exit $rc, expected 3"; }
        one_line err.txt "^pgscrub scrub: locked/out\.$fmt.*: .*Permission denied$"
        if [ -n "$(ls -A locked)" ]; then ls -la locked >&2; fail "$fmt: something was written"; fi
    done
    ;;
*) fail "unknown case $case_name" ;;
esac
echo "PASS: fault $case_name"
