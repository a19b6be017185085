#!/usr/bin/env bash
# Golden tests of what pgscrub prints, in the style of zstd's cli-tests: each
# case is a command line; its exit code, stdout and stderr must equal the
# files tests/golden/cli/NAME.{exit,stdout,stderr}. After a deliberate change,
# regenerate them with PGSCRUB_UPDATE_GOLDEN=1 and review the diff. The dumps
# that inspect and scan read are checked in: tests/golden/inputs/make.sh.
#   run.sh PGSCRUB
set -euo pipefail
pgscrub="$(realpath "$1")"
here="$(cd "$(dirname "$0")" && pwd)"
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
# Paths need no filter: commands that read inputs run in the source tree and
# are given relative paths.
normalise() {
    sed -E -i 's/[0-9]{8}T[0-9]{6}Z/<timestamp>/g; s/"seconds":[0-9.e+-]+/"seconds":<seconds>/g' "$1"
}

# case NAME ARGS...: runs pgscrub ARGS in $cwd and compares with the golden files.
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
case_ media-help media --help
case_ media-sync-help media sync --help
case_ media-unknown-subcommand media copy
case_ media-sync-without-target media sync --from media

# Reading dumps: the checked-in dumps of one small site in all four formats
# (tests/golden/inputs/make.sh), so inspect and scan walk every table of each.
# These only read, so they run in the source tree with relative paths.
cwd="$root"
inputs=tests/golden/inputs
for input in custom:site.dump directory:site.dir tar:site.tar plain:site.sql; do
    format="${input%%:*}" file="$inputs/${input#*:}"
    case_ "inspect-$format" inspect "$file"
    case_ "inspect-$format-json" inspect --json "$file"
    case_ "scan-$format-json" scan --json "$file"
    case_ "scan-$format-rules-json" scan --json -r "$inputs/rules.yaml" "$file"
done

# The plans of the example run files, as --dry-run prints them: secrets in
# the URLs masked, nothing touched.
export PRODUCTION_BACKUP_URL='https://backups.example.org/production.dump?X-Amz-Signature=golden-signature'
export STAGING_DATABASE_URL='postgresql://app:golden-password@db.example.org:5432/staging_db_name'
export STAGING_REDIS_URL='rediss://:golden-redis-password@cache.example.org:6380/0'
export MEDIA_ROOT=/home/developer/site/media
export BACKUP_URL='https://user:golden-password@backups.example.org/latest.dump?token=golden-token'
case_ run-dry-run-reset-staging run examples/reset-staging.yaml --dry-run
case_ run-dry-run-from-verify run examples/reset-staging.yaml --dry-run --from verify
case_ run-dry-run-pull-local run examples/pull-local.yaml --dry-run
# A confirm: name that is not the target's is refused before anything runs.
export STAGING_DATABASE_URL='postgresql://app:golden-password@db.example.org:5432/staging'
case_ run-dry-run-wrong-confirm run examples/reset-staging.yaml --dry-run

# Recorded output must be the same on every machine: no source or scratch path.
if grep -rlF -e "$root" -e "$work" "$golden" >&2; then
    echo "FAIL: the golden files above hold a machine-specific path" >&2
    failed=1
fi

if [ "$failed" = 0 ]; then echo "PASS: golden CLI output"; else exit 1; fi
