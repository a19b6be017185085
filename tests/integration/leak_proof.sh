#!/usr/bin/env bash
# Proof of no leaks (issue #4) on the Wagtail-like site with its invented
# people made to look real (leak/realistic.sql): personal data sits in
# jsonb form submissions, revision JSON, comments, admin log object_repr,
# inet columns, e-mail arrays, a partitioned table and \u0040-escaped JSON
# kept as text.
#   - scan finds every planted column (dump and live database agree) and exits 1;
#   - scrub --verify with complete rules exits 0, and the result has no findings
#     (scanned as a dump and, restored, as a live database);
#   - rules that keep revision JSON and admin log labels make --verify exit 1,
#     naming where the copies are and where they came from, with no output;
#   - scan -r classes findings leak / kept / confirmed / unlisted;
#   - the report (JSON + HTML) holds no personal value.
#   leak_proof.sh custom|directory|plain
source "$(dirname "$0")/lib.sh"
format="${1:-custom}"
use_cluster 15
work="$PGSCRUB_TEST_ROOT/leak-proof-$format"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
site="leak_site_$format"
fresh_db "$site"
q -d "$site" -f "$HERE/wagtail_schema.sql" > /dev/null 2>&1
q -d "$site" -f "$HERE/wagtail_data.sql" > /dev/null
q -d "$site" -f "$HERE/leak/realistic.sql" > /dev/null
q -d "$site" -c "SELECT DISTINCT table_schema || '.' || table_name || '.' || column_name FROM pgscrub_planted ORDER BY 1" > planted.txt
q -d "$site" -c "DROP TABLE pgscrub_planted"
[ "$(wc -l < planted.txt)" -ge 20 ] || { cat planted.txt; fail "realistic.sql planted too few columns"; }
# Every e-mail address of the site, to prove none reaches a report.
q -d "$site" -c "SELECT DISTINCT m[1] FROM (
    SELECT regexp_matches(t::text, '([A-Za-z0-9._%+-]+(@|\\\\u0040)[A-Za-z0-9.-]+\.[a-z]{2,})', 'g') m
    FROM (SELECT row_to_json(x) t FROM auth_user x UNION ALL SELECT row_to_json(x) FROM wagtailforms_formsubmission x) s) e
    WHERE m[1] LIKE '%@%'" > originals.txt
[ "$(wc -l < originals.txt)" -ge 5 ] || { cat originals.txt; fail "too few original e-mails collected"; }

case "$format" in
custom) "$BIN/pg_dump" -Fc -f site.dump "$site" ;;
directory) "$BIN/pg_dump" -Fd -f site.dump "$site" ;;
plain) "$BIN/pg_dump" -Fp -f site.dump "$site" ;;
esac

found_columns() { # scan --json output -> schema.table.column lines
    python3 -c "import json,sys; print('\n'.join(sorted({f['table']+'.'+f['column'] for f in json.load(open(sys.argv[1]))['findings']})))" "$1"
}

# ---- scan finds every planted column, in the dump and in the live database.
set +e
"$PGSCRUB" scan --json site.dump > scan-dump.json; rc=$?
set -e
[ "$rc" = 1 ] || fail "scan of the unscrubbed site exited $rc, expected 1"
found_columns scan-dump.json > found.txt
missing="$(comm -23 planted.txt found.txt)"
[ -z "$missing" ] || { echo "$missing"; fail "scan missed planted columns (above)"; }
python3 - scan-dump.json <<'PY' || fail "scan kinds"
import json, sys
f = {(x['table'] + '.' + x['column'], x['kind']) for x in json.load(open(sys.argv[1]))['findings']}
for want in [('public.auth_user.email', 'email'), ('public.auth_user.password', 'password_hash'),
             ('public.wagtailcore_comment.text', 'secret'), ('analytics.page_views_2025_01.visitor_ip', 'ip'),
             ('public.django_admin_log.object_repr', 'email')]:
    assert want in f, (want, sorted(f))
PY
if [ "$format" = custom ]; then
    set +e
    "$PGSCRUB" scan --json --db "postgresql:///$site" > scan-db.json; rc=$?
    set -e
    [ "$rc" = 1 ] || fail "scan --db of the unscrubbed site exited $rc, expected 1"
    diff <(found_columns scan-dump.json) <(found_columns scan-db.json) || fail "scan --db and scan of the dump disagree"
fi
# Masked examples only.
while read -r original; do
    if grep -qiF -- "$original" scan-dump.json; then fail "scan printed a whole e-mail address"; fi
done < originals.txt

# ---- scrub --verify with complete rules: passes, and nothing is left to find.
rules="$HERE/wagtail_site_rules.yaml"
out="scrubbed.dump"
"$PGSCRUB" scrub -r "$rules" -i site.dump -o "$out" --verify --report report.json 2> verify.txt \
    || { cat verify.txt; fail "scrub --verify with complete rules failed"; }
grep -q '^pgscrub: verified: none of [1-9][0-9]* remembered original values survives in [1-9][0-9]* output fields' verify.txt \
    || { cat verify.txt; fail "no verify summary"; }
[ -e "$out" ] || fail "verified output missing"
"$PGSCRUB" scan "$out" > clean.txt || { cat clean.txt; fail "scan found personal data after a verified scrub"; }
grep -q '^pgscrub scan: 0 findings' clean.txt || { cat clean.txt; fail "scan summary after scrub"; }
if [ "$format" = custom ]; then
    fresh_db "${site}_restored"
    "$BIN/pg_restore" --exit-on-error -d "${site}_restored" "$out"
    "$PGSCRUB" scan --db "postgresql:///${site}_restored" > clean-db.txt || { cat clean-db.txt; fail "scan --db of the restored site"; }
fi
python3 - report.json <<'PY' || fail "report.json"
import json, sys
r = json.load(open(sys.argv[1]))
assert r['report_version'] == 1 and len(r['rules_sha256']) == 64 and r['generated_at'].endswith('Z'), r.keys()
assert r['verify']['status'] == 'passed' and r['verify']['survivors'] == [], r['verify']
assert r['verify']['originals_remembered'] > 50 and r['verify']['fields_checked'] > 500, r['verify']
assert r['scan']['findings'] == [], r['scan']['findings']
cov = r['coverage']
assert cov['columns_unclassified'] == 0 and cov['tables'] == len(r['tables']) and cov['columns_transformed'] > 20, cov
t = {x['table']: x for x in r['tables']}
assert t['public.django_session']['action'] == 'truncated'
email = [c for c in t['public.auth_user']['columns'] if c['column'] == 'email'][0]
assert email['action'] == 'transformed' and email['transform'] == 'fake_email' and email['type'].startswith('character varying'), email
PY
[ -s report.html ] || fail "no HTML report beside report.json"
if command -v chromium > /dev/null; then
    source "$HERE/report_render.sh"
    assert_report_renders "$PWD/report.html" "Verified: no scrubbed value survives" "public.auth_user" "fake_email"
fi
while read -r original; do
    if grep -qiF -- "$original" report.json report.html; then fail "a report holds a personal value"; fi
done < originals.txt

# ---- rules that keep copies of scrubbed values: --verify fails, names them, writes nothing.
python3 - "$rules" leaky.yaml <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for table in ('wagtailcore_revision', 'django_admin_log'):
    text, n = re.subn(r'(?m)^  %s:\n(?:    .*\n|      .*\n)+' % table, '  %s: keep\n' % table, text)
    assert n == 1, table
open(sys.argv[2], 'w').write(text)
PY
set +e
"$PGSCRUB" scrub -r leaky.yaml -i site.dump -o leaky.dump --verify --report leaky.json 2> leaky.txt; rc=$?
set -e
[ "$rc" = 1 ] || { cat leaky.txt; fail "scrub --verify with leaky rules exited $rc, expected 1"; }
grep -Eq 'verify: public.django_admin_log.object_repr \(value, row [0-9]+.*\) holds a value of public.auth_user.(email|username) ' leaky.txt \
    || { cat leaky.txt; fail "verify did not name the admin log label and its source"; }
grep -q 'verify: public.wagtailcore_revision.content (JSON leaf\|verify: public.wagtailcore_revision.content (email in text' leaky.txt \
    || { cat leaky.txt; fail "verify did not name the revision JSON"; }
grep -q 'no output was written' leaky.txt || fail "verify failure message"
[ ! -e leaky.dump ] || fail "a failed verify left its output"
if ls ./*pgscrub-partial* > /dev/null 2>&1; then fail "a failed verify left a partial file"; fi
python3 -c "
import json; v = json.load(open('leaky.json'))['verify']
assert v['status'] == 'failed' and any(s['found_in'] == 'public.django_admin_log.object_repr' for s in v['survivors']), v
" || fail "report of a failed verify"
while read -r original; do
    if grep -qiF -- "$original" leaky.txt leaky.json leaky.html; then fail "verify output holds a personal value"; fi
done < originals.txt
if command -v chromium > /dev/null; then
    assert_report_renders "$PWD/leaky.html" "Verification FAILED" "public.django_admin_log.object_repr" "public.auth_user"
fi

# ---- scan -r: what the rules do with each finding.
[ "$format" = custom ] || { echo "PASS: leak proof ($format)"; exit 0; }
"$PGSCRUB" scrub -q -r leaky.yaml -i site.dump -o kept.dump
set +e
"$PGSCRUB" scan -r leaky.yaml --json kept.dump > kept.json; rc=$?
set -e
[ "$rc" = 1 ] || fail "scan -r of a dump with kept personal data exited $rc, expected 1"
python3 - kept.json <<'PY' || fail "scan -r classes"
import json, sys
f = {x['table'] + '.' + x['column']: x for x in json.load(open(sys.argv[1]))['findings']}
assert f['public.django_admin_log.object_repr']['class'] == 'kept', f
assert f['public.wagtailcore_revision.content']['class'] == 'kept', f
PY
# A reviewer confirms one of them; the other still fails the audit.
python3 - leaky.yaml reviewed.yaml <<'PY'
import sys
text = open(sys.argv[1]).read()
text = text.replace('  django_admin_log: keep\n', '  django_admin_log: {keep: all, reviewed: "labels of staff accounts, agreed with the DPO"}\n')
open(sys.argv[2], 'w').write(text)
PY
set +e
"$PGSCRUB" scan -r reviewed.yaml kept.dump > reviewed.txt; rc=$?
set -e
[ "$rc" = 1 ] || fail "scan with one kept column unconfirmed exited $rc"
grep -q '^public.django_admin_log.object_repr: email .*\[confirmed: labels of staff accounts' reviewed.txt || { cat reviewed.txt; fail "confirmed class"; }
grep -q '^public.wagtailcore_revision.content: email .*\[kept: ' reviewed.txt || { cat reviewed.txt; fail "kept class"; }
# Scanning the unscrubbed site against the rules: columns the rules transform are where the data is.
set +e
"$PGSCRUB" scan -r "$rules" --json site.dump > classed.json
set -e
python3 - classed.json <<'PY' || fail "scan -r of the unscrubbed site"
import json, sys
f = json.load(open(sys.argv[1]))['findings']
# (names known only from a column's name are 'transformed': pgscrub cannot tell its fakes of them from originals)
assert f and all(x['class'] == 'leak' or (x['class'] == 'transformed' and x.get('from_column_name')) for x in f), \
    sorted({x['class'] for x in f})
assert any(x['class'] == 'leak' for x in f)
PY
echo "PASS: leak proof ($format)"
