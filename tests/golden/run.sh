#!/usr/bin/env bash
# Golden tests of what pgscrub prints, in the style of zstd's cli-tests: each
# case is a command line; its exit code, stdout and stderr must equal the
# files tests/golden/cli/NAME.{exit,stdout,stderr}. After a deliberate change,
# regenerate them with PGSCRUB_UPDATE_GOLDEN=1 and review the diff.
#   run.sh PGSCRUB
set -euo pipefail
pgscrub="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
golden="$here/cli"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0

# case NAME ARGS...: runs pgscrub ARGS and compares with the golden files.
case_() {
    local name="$1" rc
    shift
    set +e
    (cd "$work" && "$pgscrub" "$@") > "$work/$name.stdout" 2> "$work/$name.stderr"
    rc=$?
    set -e
    echo "$rc" > "$work/$name.exit"
    for part in exit stdout stderr; do
        if [ "${PGSCRUB_UPDATE_GOLDEN:-}" = 1 ]; then
            cp "$work/$name.$part" "$golden/$name.$part"
        elif ! diff -u "$golden/$name.$part" "$work/$name.$part" > "$work/diff" 2>&1; then
            echo "FAIL: pgscrub $* — $part differs from tests/golden/cli/$name.$part:" >&2
            cat "$work/diff" >&2
            failed=1
        fi
    done
}

# --help of the program and of every command: the options users read first.
case_ help --help
case_ no-arguments
case_ unknown-command scrubb
for command in scrub check inspect preview scan run transforms report backup restore; do
    case_ "$command-help" "$command" --help
done
# The transform listing, and usage errors as users meet them.
case_ transforms transforms
case_ scrub-without-rules scrub -i in.dump -o out.dump
case_ scrub-unknown-option scrub --rules-file r.yaml
case_ run-without-file run

if [ "$failed" = 0 ]; then echo "PASS: golden CLI output"; else exit 1; fi
