#!/usr/bin/env bash
# pgscrub inspect against real dumps: row counts agree with the database,
# columns and types agree with the catalog, for every format.
#   inspect.sh VERSION
source "$(dirname "$0")/lib.sh"
version="$1"
use_cluster "$version"
work="$PGSCRUB_TEST_ROOT/inspect-$version"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# "schema.table rows" for every table with rows in the fixture.
q -d fixture -c "SELECT format('%s.%s %s', n.nspname, c.relname,
        (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM ONLY %I.%I', n.nspname, c.relname), false, true, '')))[1])
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1" > expected-rows.txt

"$BIN/pg_dump" -Fc -f in.fc fixture
"$BIN/pg_dump" -Fd -f in.dir fixture
"$BIN/pg_dump" -Ft -f in.tar fixture
"$BIN/pg_dump" -Fp -f in.sql fixture

for input in in.fc in.dir in.tar in.sql; do
    "$PGSCRUB" inspect --json "$input" > "$input.json"
    python3 - "$input.json" expected-rows.txt <<'PY' || fail "inspect $input: row counts differ"
import json, sys
report = json.load(open(sys.argv[1]))
got = {}
for t in report['tables']:
    name = t['table'] if 'table' in t else t['schema'] + '.' + t['name']
    got[name] = t['rows']
want = dict(line.rsplit(' ', 1) for line in open(sys.argv[2]).read().splitlines())
want = {k: int(v) for k, v in want.items()}
if got != want:
    print('got ', sorted(got.items()), '\nwant', sorted(want.items()), file=sys.stderr)
    sys.exit(1)
PY
done

# Columns and types of one table, against the catalog.
python3 - in.fc.json <<'PY' || fail "inspect: columns of public.people"
import json, sys
report = json.load(open(sys.argv[1]))
people = [t for t in report['tables'] if t['schema'] == 'public' and t['name'] == 'people'][0]
cols = {c['name']: c for c in people['columns']}
assert cols['username']['type'] == 'character varying(150)' and cols['username']['not_null'], cols['username']
assert cols['tags']['type'] == 'text[]', cols['tags']
assert cols['upper_name']['generated'] and not cols['upper_name']['in_copy_data'], cols['upper_name']
assert cols['settings']['type'] == 'jsonb' and cols['settings']['in_copy_data']
assert report['format'] == 'custom' and report['database'] == 'fixture'
assert report['large_objects'] == 2, report['large_objects']
PY

# The text form names the header fields and every table.
"$PGSCRUB" inspect in.fc > text.txt
for want in "Format:        custom" "Database:      fixture" 'CRM.Newsletter Signup  (TOC entry' "Large objects: 2"; do
    grep -qF "$want" text.txt || fail "inspect text output lacks '$want'"
done
echo "PASS: inspect against PostgreSQL $version dumps"
