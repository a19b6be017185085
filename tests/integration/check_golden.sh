#!/usr/bin/env bash
# Golden tests of `pgscrub check`: the exact diagnostics, one per line, and the
# exit code (2: the rules file is wrong; 1: it does not fit the dump; 0: fine).
# Regenerate after a deliberate message change with PGSCRUB_UPDATE_GOLDEN=1.
source "$(dirname "$0")/lib.sh"
use_cluster 15
work="$PGSCRUB_TEST_ROOT/check-golden"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
golden="$HERE/check"
cp "$golden"/*.yaml .
fresh_db check_golden
q -d check_golden -f "$golden/schema.sql" > /dev/null
"$BIN/pg_dump" -Fc -f check.dump check_golden

run_check() { # NAME EXPECTED_EXIT ARGS...
    local name="$1" want="$2"
    shift 2
    set +e
    "$PGSCRUB" check "$@" 2> "$name.out"
    local rc=$?
    set -e
    [ "$rc" = "$want" ] || { cat "$name.out" >&2; fail "check $name exited $rc, expected $want"; }
    if [ "${PGSCRUB_UPDATE_GOLDEN:-}" = 1 ]; then
        cp "$name.out" "$golden/$name.expected"
    fi
    diff -u "$golden/$name.expected" "$name.out" || fail "check $name: output differs from $golden/$name.expected"
}

run_check rules_errors 2 -r rules_errors.yaml
run_check dump_problems 1 -r dump_problems.yaml --dump check.dump
run_check complete 0 -r complete.yaml --dump check.dump
echo "PASS: check golden tests"
