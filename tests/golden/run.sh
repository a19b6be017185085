#!/usr/bin/env bash
# Golden tests of what pgscrub prints without a server: --help, the transform
# list, usage errors and run --dry-run of the examples (the cases and how to
# regenerate them: lib.sh). inspect and scan of dumps, which a PostgreSQL 15
# server makes at test time, are in dumps.sh.
#   run.sh PGSCRUB
set -euo pipefail
pgscrub="$(realpath "$1")"
source "$(dirname "$0")/lib.sh"

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
case_ media-verify-help media verify --help
case_ media-unknown-subcommand media copy
case_ media-sync-without-target media sync --from media

# The plans of the example run files, as --dry-run prints them: secrets in
# the URLs masked, nothing touched. They only read, so they run in the source
# tree with relative paths.
cwd="$root"
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

finish "golden CLI output without a server"
