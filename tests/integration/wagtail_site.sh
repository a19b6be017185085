#!/usr/bin/env bash
# A Wagtail-like site with personal data in hidden places (wagtail_schema.sql
# + wagtail_data.sql), scrubbed with wagtail_site_rules.yaml (the Wagtail and
# django-axes presets plus the site's own tables), restored by stock
# pg_restore/psql. Every covered value is replaced, kept tables are identical,
# row counts and sequences are unchanged, one person's fake e-mail agrees
# across tables and inside JSON, generated columns follow the fakes, and
# every constraint restores.
#   wagtail_site.sh FORMAT      (custom, directory, plain)
source "$(dirname "$0")/lib.sh"
format="$1"
use_cluster 15
work="$PGSCRUB_TEST_ROOT/wagtail-$format"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
site="wagtail_site_$format" db="wagtail_scrubbed_$format"
fresh_db "$site"
q -d "$site" -f "$HERE/wagtail_schema.sql" > /dev/null 2>&1
q -d "$site" -f "$HERE/wagtail_data.sql" > /dev/null

# The preset covers a stock Wagtail schema completely.
fresh_db wagtail_stock_$format
q -d wagtail_stock_$format -f "$HERE/wagtail_schema.sql" > /dev/null 2>&1
"$BIN/pg_dump" -Fc -f stock.dump wagtail_stock_$format
"$PGSCRUB" check -r "$HERE/../../rules/presets/wagtail.yaml" --dump stock.dump 2> check.txt \
    || { cat check.txt; fail "the Wagtail preset does not cover a stock Wagtail schema"; }
grep -q 'every table and column with data is covered' check.txt || fail "check did not report the preset complete"

case "$format" in
custom) "$BIN/pg_dump" -Fc -f in.dump "$site" ;;
directory) "$BIN/pg_dump" -Fd -f in.dump "$site" ;;
plain) "$BIN/pg_dump" -Fp -f in.dump "$site" ;;
esac
"$PGSCRUB" scrub -q -r "$HERE/wagtail_site_rules.yaml" -i in.dump -o out.dump --report report.json
fresh_db "$db"
if [ "$format" = plain ]; then
    q -d "$db" -f out.dump > /dev/null
else
    "$BIN/pg_restore" --exit-on-error -d "$db" out.dump
fi

# Row counts: unchanged except truncated tables, which are empty.
python3 - report.json > truncated.txt <<'PY'
import json, sys
for t in json.load(open(sys.argv[1]))['tables']:
    if t['action'] == 'truncated':
        print(t['table'])
PY
[ -s truncated.txt ] || fail "the rules truncate tables, but the report names none"
count_rows() {
    q -d "$1" -c "SELECT format('%s.%s %s', n.nspname, c.relname,
        (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM ONLY %I.%I', n.nspname, c.relname), false, true, '')))[1])
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE c.relkind = 'r' AND n.nspname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1"
}
count_rows "$site" | while read -r table n; do
    if grep -qx "$table" truncated.txt; then echo "$table 0"; else echo "$table $n"; fi
done > expected-rows.txt
diff expected-rows.txt <(count_rows "$db") || fail "row counts differ"
diff <(q -d "$site" -c "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1") \
     <(q -d "$db" -c "SELECT sequencename, last_value FROM pg_sequences ORDER BY 1") || fail "sequences differ"

# Tables the rules keep are identical.
for table in wagtailcore_site django_content_type taggit_tag wagtailcore_collection; do
    diff <(q -d "$site" -c "SELECT md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM $table t") \
         <(q -d "$db" -c "SELECT md5(coalesce(string_agg(t::text, E'\n' ORDER BY t::text), '')) FROM $table t") \
        || fail "kept table $table changed"
done
# wagtailcore_page: every column but search_description (redacted) is kept.
page_columns="id, path, title, slug, url_path, draft_title, live, first_published_at"
diff <(q -d "$site" -c "SELECT $page_columns FROM wagtailcore_page ORDER BY id") \
     <(q -d "$db" -c "SELECT $page_columns FROM wagtailcore_page ORDER BY id") || fail "kept columns of wagtailcore_page changed"
[ -z "$(q -d "$db" -c "SELECT id FROM wagtailcore_page WHERE search_description ILIKE '%ann@example.org%'")" ] \
    || fail "an e-mail survived in wagtailcore_page.search_description"

# No original e-mail address survives in any column the rules transform:
# not as the value, inside JSON (also \u0040-escaped), arrays or free text.
# Compared case-insensitively.
q -d "$site" -c "SELECT lower(email) FROM auth_user WHERE email <> ''
                 UNION SELECT lower(\"Email Address\") FROM \"CRM\".\"Newsletter Signup\"
                 UNION SELECT lower(form_data->>'email_address') FROM wagtailforms_formsubmission WHERE form_data ? 'email_address'" \
    | sort -u > original-emails.txt
[ "$(wc -l < original-emails.txt)" -ge 5 ] || fail "too few original e-mails to test with"
python3 - report.json > transformed-columns.sql <<'PY'
import json, sys
for t in json.load(open(sys.argv[1]))['tables']:
    schema, table = t['table'].split('.', 1)
    for c in t.get('columns', []):
        if c['transform'] != 'keep':
            print('SELECT "%s"::text FROM "%s"."%s";' % (c['column'], schema, table))
PY
[ "$(wc -l < transformed-columns.sql)" -ge 30 ] || fail "the report lists too few transformed columns"
q -d "$db" -f transformed-columns.sql | tr 'A-Z' 'a-z' | sed 's/\\u0040/@/g' > transformed-values.txt
while read -r email; do
    if grep -qF -- "$email" transformed-values.txt; then fail "an original e-mail address survived in a transformed column"; fi
done < original-emails.txt

# One person, one fake: auth_user.email and the form submission of the same person agree.
expect() { local got; got="$(q -d "$db" -c "$1")"; [ "$got" = "$2" ] || fail "$1 gave '$got', expected '$2'"; }
expect "SELECT (SELECT email FROM auth_user WHERE id = 2) = (SELECT form_data->>'email_address' FROM wagtailforms_formsubmission WHERE id = 1)" t
expect "SELECT count(*) FROM auth_user WHERE email <> '' AND email NOT LIKE 'user-%@example.com'" 0
expect "SELECT count(*) FROM auth_user WHERE password <> '!'" 0
# Generated columns are recomputed from the fake values.
expect "SELECT count(*) FROM \"CRM\".\"Newsletter Signup\" WHERE email_domain IS DISTINCT FROM lower(split_part(\"Email Address\", '@', 2))" 0
echo "PASS: Wagtail-like site scrubbed in $format format"
