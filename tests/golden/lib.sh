# Shared by the golden tests (run.sh, dumps.sh), in the style of zstd's
# cli-tests: each case is a command line; its exit code, stdout and stderr
# must equal the files tests/golden/cli/NAME.{exit,stdout,stderr}. After a
# deliberate change, regenerate them with PGSCRUB_UPDATE_GOLDEN=1 and review
# the diff. Sourced after `set -euo pipefail`; needs $pgscrub.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
golden="$here/cli"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failed=0
# libpq's defaults would show in addresses that leave them out.
unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE
# Where cases run: a scratch directory, so nothing is written to the tree.
cwd="$work"

# What must differ between runs is replaced before comparing, and nothing else:
#   20261124T070000Z  the UTC time `run` puts in {timestamp}  -> <timestamp>
#   "seconds":0.0926  how long `scan --json` took             -> "seconds":<seconds>
# A script adds its own with `normalise_sed+='; ...'` (dumps.sh: what pg_dump
# records). Paths need no filter: cases are given relative paths.
normalise_sed='s/[0-9]{8}T[0-9]{6}Z/<timestamp>/g; s/"seconds":[0-9.e+-]+/"seconds":<seconds>/g'
normalise() {
    sed -E -i "$normalise_sed" "$1"
}

# case_ NAME ARGS...: runs pgscrub ARGS in $cwd and compares with the golden files.
case_() {
    local name="$1" rc
    shift
    set +e
    (cd "$cwd" && "$pgscrub" "$@") > "$work/$name.stdout" 2> "$work/$name.stderr"
    rc=$?
    set -e
    echo "$rc" > "$work/$name.exit"
    normalise "$work/$name.stdout"
    normalise "$work/$name.stderr"
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

# finish WHAT: recorded output must be the same on every machine (no source or
# scratch path), then PASS or exit 1.
finish() {
    if grep -rlF -e "$root" -e "$work" "$golden" >&2; then
        echo "FAIL: the golden files above hold a machine-specific path" >&2
        failed=1
    fi
    if [ "$failed" = 0 ]; then echo "PASS: $1"; else exit 1; fi
}
