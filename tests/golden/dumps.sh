#!/usr/bin/env bash
# Golden tests of inspect and scan --json on the dumps of one small site
# (inputs/site-source.sql: every shape of table pgscrub must walk) in all four
# formats. The dumps are made at test time by the PostgreSQL 15 cluster of the
# CTest fixture `pg15` (dumps made by a developer are never committed). The
# cases and how to regenerate them: lib.sh; with the fixture, e.g.
#   cd build/release && PGSCRUB_UPDATE_GOLDEN=1 ctest -R 'pg15: start cluster|golden|pg15: stop cluster'
# Environment as for tests/integration/: PGSCRUB, PGSCRUB_TEST_ROOT.
set -euo pipefail
pgscrub="$(realpath "${PGSCRUB:?PGSCRUB must name the pgscrub binary}")"
source "$(dirname "$0")/lib.sh"
source "$root/tests/integration/lib.sh"
use_cluster 15

# The database is named site: inspect prints the name pg_dump recorded.
# PGTZ: timestamptz values are written in the session's time zone.
dumps="$work/dumps"
mkdir "$dumps"
cp "$here/inputs/rules.yaml" "$dumps/"
fresh_db site
q -d site -f "$here/inputs/site-source.sql" > /dev/null
export PGTZ=UTC
"$BIN/pg_dump" -Fc -d site -f "$dumps/site.dump"
"$BIN/pg_dump" -Fd -d site -f "$dumps/site.dir"
"$BIN/pg_dump" -Ft -d site -f "$dumps/site.tar"
"$BIN/pg_dump" -Fp -d site -f "$dumps/site.sql"
# The cases read files only; what they print must not depend on libpq's
# environment or the integration tests' key.
unset PGHOST PGPORT PGUSER PGDATABASE PGTZ PGSCRUB_SECRET

# What pg_dump records that differs between runs and machines, besides
# lib.sh's: when the archive was made (local time), the server's and
# pg_dump's versions (minor release, packaging), and so where a custom
# archive's data blocks start (the header before them holds the two version
# strings, length-prefixed: docs/archive-format.md §1.2). The major version stays
# checked: another one writes another archive version and TOC.
normalise_sed+='; s/^(Created: +)[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$/\1<created>/'
normalise_sed+='; s/"created":"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}"/"created":"<created>"/g'
normalise_sed+='; s/^(Dumped (from|by): +)15\.[0-9]+( .*)?$/\1<15.x>/'
normalise_sed+='; s/"(server_version|pg_dump_version)":"15\.[0-9]+( [^"]*)?"/"\1":"<15.x>"/g'
normalise_sed+='; s/"data_offset":[0-9]+/"data_offset":<offset>/g'

# inspect and scan walk every table of each format; run in the scratch
# directory with relative paths.
cwd="$dumps"
for input in custom:site.dump directory:site.dir tar:site.tar plain:site.sql; do
    format="${input%%:*}" file="${input#*:}"
    case_ "inspect-$format" inspect "$file"
    case_ "inspect-$format-json" inspect --json "$file"
    case_ "scan-$format-json" scan --json "$file"
    case_ "scan-$format-rules-json" scan --json -r rules.yaml "$file"
done

finish "golden inspect and scan of dumps made by PostgreSQL 15"
