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
"$BIN/pg_dump" -Fp -f check.sql check_golden

run_check() { # NAME EXPECTED_EXIT ARGS...; $expect_as: another run's expected output
    local name="$1" want="$2" expected="$golden/${expect_as:-$1}.expected"
    shift 2
    set +e
    "$PGSCRUB" check "$@" 2> "$name.out"
    local rc=$?
    set -e
    [ "$rc" = "$want" ] || { cat "$name.out" >&2; fail "check $name exited $rc, expected $want"; }
    if [ "${PGSCRUB_UPDATE_GOLDEN:-}" = 1 ] && [ -z "${expect_as:-}" ]; then
        cp "$name.out" "$expected"
    fi
    diff -u "$expected" "$name.out" || fail "check $name: output differs from $expected"
}

run_check rules_errors 2 -r rules_errors.yaml
run_check dump_problems 1 -r dump_problems.yaml --dump check.dump
run_check complete 0 -r complete.yaml --dump check.dump
# A plain script says the same about its tables as the archive: the same
# diagnostics, word for word (one table stream reads every format).
expect_as=dump_problems run_check dump_problems-plain 1 -r dump_problems.yaml --dump check.sql
expect_as=complete run_check complete-plain 0 -r complete.yaml --dump check.sql
echo "PASS: check golden tests"
