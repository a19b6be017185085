#!/usr/bin/env bash
# Scrubbing with real rules (tests/integration/fixture_rules.yaml), restored by
# stock pg_restore/psql: every covered value replaced, every kept column and
# table identical, row counts and sequences unchanged, the same person gets
# the same fake everywhere, generated columns recomputed, constraints restore.
#   scrub_rules.sh VERSION FORMAT      (FORMAT: custom, directory, plain)
source "$(dirname "$0")/lib.sh"
version="$1" format="$2"
use_cluster "$version"
work="$PGSCRUB_TEST_ROOT/scrub-rules-$version-$format"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
db="scrubbed_${version}_$format"
rules="$HERE/fixture_rules.yaml"

case "$format" in
custom) "$BIN/pg_dump" -Fc -f in.dump fixture ;;
directory) "$BIN/pg_dump" -Fd -f in.dump fixture ;;
plain) "$BIN/pg_dump" -Fp -f in.dump fixture ;;
esac
"$PGSCRUB" scrub -q -r "$rules" -i in.dump -o out.dump --report report.json
fresh_db "$db"
if [ "$format" = plain ]; then
    q -d "$db" -f out.dump > /dev/null
else
    "$BIN/pg_restore" --exit-on-error -d "$db" out.dump
fi

both() { diff <(q -d fixture -c "$1") <(q -d "$db" -c "$1") || fail "differs from the fixture: $1"; }
scrubbed() { q -d "$db" -c "$1"; }
expect() { local got; got="$(scrubbed "$1")"; [ "$got" = "$2" ] || fail "$1 gave '$got', expected '$2'"; }

# Row counts, sequences, kept columns and untouched tables are identical.
both "SELECT count(*) FROM people"
both "SELECT count(*) FROM \"CRM\".\"Newsletter Signup\""
both "SELECT count(*) FROM audit.events_2023 UNION ALL SELECT count(*) FROM audit.events_2024"
both "SELECT last_value FROM pg_sequences ORDER BY sequencename"
both "SELECT md5(string_agg(format('%s|%s|%s|%s|%s|%s', id, avatar, feeling, score, ratio, joined), ',' ORDER BY id)) FROM people"
both "SELECT md5(string_agg(format('%s|%s', \"ID\", consent), ',' ORDER BY \"ID\")) FROM \"CRM\".\"Newsletter Signup\""
both "SELECT md5(string_agg(format('%s|%s|%s', id, person_id, happened), ',' ORDER BY id)) FROM audit.events"
both "SELECT count(*) FROM no_columns"
# large_objects: drop: the fixture's two large objects, and their comments, are not restored.
[ "$(q -d fixture -c "SELECT count(*) FROM pg_largeobject_metadata")" = 2 ] || fail "the fixture should have 2 large objects"
expect "SELECT count(*) FROM pg_largeobject_metadata" 0
python3 -c "import json; r=json.load(open('report.json')); assert r['large_objects_dropped'] == 2 and r['large_objects'] == 0, r" \
    || fail "the report does not count the dropped large objects"
both "SELECT count(*) FROM empty_table"
both "SELECT extra FROM child_inh"

# Every covered value is replaced: no original e-mail, username or name survives.
q -d fixture -c "SELECT email FROM people WHERE email IS NOT NULL UNION SELECT \"Email Address\" FROM \"CRM\".\"Newsletter Signup\"
                 UNION SELECT unnest(cc_emails) FROM \"CRM\".\"Newsletter Signup\" UNION SELECT username FROM people
                 UNION SELECT \"Full Name\" FROM \"CRM\".\"Newsletter Signup\"" | sort -u > originals.txt
scrubbed "SELECT email FROM people WHERE email IS NOT NULL UNION SELECT \"Email Address\" FROM \"CRM\".\"Newsletter Signup\"
          UNION SELECT unnest(cc_emails) FROM \"CRM\".\"Newsletter Signup\" UNION SELECT username FROM people
          UNION SELECT \"Full Name\" FROM \"CRM\".\"Newsletter Signup\"" | sort -u > after.txt
[ -z "$(comm -12 originals.txt after.txt)" ] || fail "original values survived: $(comm -12 originals.txt after.txt | head -3 | wc -l) of them"
expect "SELECT count(*) FROM people WHERE email IS NOT NULL AND email NOT LIKE '%@example.com'" 0
expect "SELECT count(*) FROM people WHERE email IS NULL" "$(q -d fixture -c 'SELECT count(*) FROM people WHERE email IS NULL')"
expect "SELECT count(*) FROM people WHERE username NOT LIKE 'user\\_%'" 0
expect "SELECT count(*) = count(DISTINCT username) FROM people" t
# ... and the free text of bio holds no e-mail of the original rows.
expect "SELECT count(*) FROM people WHERE bio ~ 'user[0-9]+@example\\.com'" 0

# The same person gets the same fake in every table and inside arrays.
expect "SELECT p.email = c.\"Email Address\" FROM people p, \"CRM\".\"Newsletter Signup\" c WHERE p.username = (SELECT username FROM people ORDER BY id LIMIT 1) AND c.\"ID\" = 1" t

# Generated columns are recomputed from the fake values.
expect "SELECT count(*) FROM people WHERE upper_name IS DISTINCT FROM upper(username)" 0

# A rule on a partitioned parent applies to every partition; template reads other columns.
expect "SELECT count(*) FROM audit.events WHERE detail <> 'event of person ' || person_id" 0
# JSON paths: $.k set, other keys kept.
expect "SELECT settings->>'k' FROM people WHERE id = 1" redacted
expect "SELECT settings->'n' FROM people WHERE id = 1" "[1, 2]"

# The report counts what changed.
python3 - <<'PY' || fail "report"
import json
tables = {t['table']: t for t in json.load(open('report.json'))['tables']}
people = tables['public.people']
assert people['action'] == 'transformed', people
cols = {c['column']: c for c in people['columns']}
assert cols['email']['transform'] == 'fake_email' and cols['email']['values_changed'] > 20000, cols['email']
assert cols['id']['transform'] == 'keep' and cols['id']['values_changed'] == 0
assert tables['audit.events_2023']['action'] == 'transformed'
PY
# On a terminal, a progress line names each table; in a file, it stays out.
if [ "$format" = custom ] && command -v script > /dev/null; then
    script -qec "'$PGSCRUB' scrub -r '$rules' -i in.dump -o tty.dump" /dev/null > tty.txt
    grep -q 'pgscrub: table 1/[0-9]* ' tty.txt || { cat -A tty.txt | head; fail "no progress line on a terminal"; }
    "$PGSCRUB" scrub -r "$rules" -i in.dump -o notty.dump 2> notty.txt
    if grep -q 'pgscrub: table' notty.txt; then fail "progress line written to a non-terminal"; fi
    grep -q '^pgscrub: custom -> custom: ' notty.txt || fail "no summary line"
fi

# preview shows what the rules do to the first rows, using the same row path,
# from a dump of any format.
"$PGSCRUB" preview -r "$rules" in.dump --table people --limit 3 > preview.txt
grep -q '^table public.people — transformed (rule: public.people); first 3 rows$' preview.txt || { cat preview.txt; fail "preview header"; }
[ "$(grep -c '^row [0-9]' preview.txt)" = 3 ] || fail "preview did not show 3 rows"
first_email="$(q -d fixture -c 'SELECT email FROM people ORDER BY id LIMIT 1')"
fake="$(scrubbed 'SELECT email FROM people ORDER BY id LIMIT 1')"
grep -qF -- "$first_email  →  $fake   [fake_email]" preview.txt || { cat preview.txt; fail "preview does not show the fake scrub writes"; }
"$PGSCRUB" preview -r "$rules" in.dump --table CRM."Newsletter Signup" --limit 1 | grep -q '\[fake_name\]' || fail "preview of a quoted mixed-case table"
# Regression (issue 9): a partitioned table has no rows of its own;
# preview shows each partition's first rows under the parent's rule.
"$PGSCRUB" preview -r "$rules" in.dump --table audit.events --limit 2 > preview-parent.txt \
    || { cat preview-parent.txt; fail "preview of a partitioned table"; }
grep -q '^table audit.events — partitioned: no rows of its own; the first rows of each of its 2 partitions$' preview-parent.txt \
    || { cat preview-parent.txt; fail "preview of a partitioned table: header"; }
for part in events_2023 events_2024; do
    grep -q "^table audit.$part — transformed (rule: audit.events); first 2 rows$" preview-parent.txt \
        || { cat preview-parent.txt; fail "preview of a partitioned table: $part"; }
done
[ "$(grep -c '\[template\]' preview-parent.txt)" = 4 ] || { cat preview-parent.txt; fail "preview of a partitioned table: rows"; }
echo "PASS: scrub with rules, PostgreSQL $version $format"
