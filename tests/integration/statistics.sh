#!/usr/bin/env bash
# PostgreSQL 18's `pg_dump --statistics` carries column values (histogram
# bounds, most common values and elements) in STATISTICS DATA entries. The
# Wagtail-like site, analysed, with an expression index on lower(email) and a
# materialized view of e-mails, is dumped with statistics and scrubbed with
# the site's rules. Then:
#   - no original e-mail, password hash, name or session value is anywhere in
#     what pg_restore makes of the output (pg_restore -f -), nor in pg_stats
#     after a real restore;
#   - the columns the rules keep keep their statistics (pg_stats equal to the
#     source's, and the planner's row estimate too);
#   - the truncated table's relation statistics say 0 rows;
#   - the report counts what was removed;
#   - --drop-statistics leaves no statistics entry at all;
#   - scan reports values in statistics with their entry, check --dump and
#     inspect say what statistics there are, scan looks inside large objects
#     and large_objects: drop leaves them out.
#   statistics.sh FORMAT      (custom, custom-zstd, directory, tar, plain)
source "$(dirname "$0")/lib.sh"
format="$1"
use_cluster 18
work="$PGSCRUB_TEST_ROOT/statistics-$format"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
site="stats_site_${format//-/_}" db="stats_scrubbed_${format//-/_}"
fresh_db "$site"
q -d "$site" -f "$HERE/wagtail_schema.sql" > /dev/null 2>&1
q -d "$site" -f "$HERE/wagtail_data.sql" > /dev/null
q -d "$site" -c "CREATE INDEX auth_user_lower_email ON public.auth_user (lower(email));
                 CREATE MATERIALIZED VIEW public.staff_emails AS SELECT email FROM public.auth_user;
                 CREATE INDEX wagtailcore_page_upper_slug ON public.wagtailcore_page (upper(slug));
                 ANALYZE" > /dev/null

case "$format" in
custom) "$BIN/pg_dump" --statistics -Fc -f in.dump "$site" ;;
custom-zstd) "$BIN/pg_dump" --statistics -Fc -Z zstd -f in.dump "$site" ;;
directory) "$BIN/pg_dump" --statistics -Fd -f in.dump "$site" ;;
tar) "$BIN/pg_dump" --statistics -Ft -f in.dump "$site" ;;
plain) "$BIN/pg_dump" --statistics -Fp -f in.dump "$site" ;;
*) fail "unknown format $format" ;;
esac
as_sql() {  # what pg_restore (or psql, for a plain script) would run
    if [ "$format" = plain ]; then cat "$1"; else "$BIN/pg_restore" -f - "$1"; fi
}

# What must not arrive: every e-mail, password hash and session value, and
# (free text elsewhere in the site mentions first names, which the rules
# keep) the users' names as statistics values.
q -d "$site" -c "SELECT lower(email) FROM auth_user WHERE email <> ''
                 UNION SELECT password FROM auth_user WHERE password <> '!'
                 UNION SELECT lower(\"Email Address\") FROM \"CRM\".\"Newsletter Signup\"
                 UNION SELECT session_data FROM django_session" | sort -u > originals.txt
[ "$(wc -l < originals.txt)" -ge 15 ] || fail "too few original values to test with"
q -d "$site" -c "SELECT first_name FROM auth_user WHERE length(first_name) > 3
                 UNION SELECT last_name FROM auth_user WHERE length(last_name) > 3" > names.txt
[ "$(wc -l < names.txt)" -ge 5 ] || fail "too few original names to test with"
statistics_values() {  # the value arguments of the statistics SQL on stdin
    grep -E "^\s*'(histogram_bounds|most_common_vals|most_common_elems)'" || true
}
holds_original() {  # FILE: does it hold any original value (case-insensitively)?
    grep -qiF -f originals.txt "$1"
}
# The test can fail: the input's statistics hold them.
as_sql in.dump | statistics_values > input-values.txt
holds_original input-values.txt || fail "the input's statistics hold no original value: this test would prove nothing"
grep -qF -f names.txt input-values.txt || fail "the input's statistics hold no original name: this test would prove nothing"

"$PGSCRUB" scrub -r "$HERE/wagtail_site_rules.yaml" -i in.dump -o out.dump --verify --report report.json 2> scrub.txt \
    || { cat scrub.txt >&2; fail "scrub --verify failed"; }
grep -q 'statistics: .* rewritten' scrub.txt || { cat scrub.txt >&2; fail "the summary does not count the statistics"; }
as_sql out.dump > out.sql
if holds_original out.sql; then
    grep -iF -f originals.txt out.sql | cut -c1-60 | sed 's/@.*/@…/' | head -3 >&2
    fail "an original value is in what pg_restore reads from the scrubbed output"
fi
statistics_values < out.sql > output-values.txt
! grep -qF -f names.txt output-values.txt || fail "an original name is in the output's statistics"
if [ "$format" = tar ]; then
    tar -xOf out.dump restore.sql > restore.sql
    ! holds_original restore.sql || fail "the tar's restore.sql still holds original values"
fi
[ "$(grep -c 'pg_restore_attribute_stats' out.sql)" -ge 100 ] || fail "the output lost the statistics of kept columns"

# The report counts what was removed; the truncated session table is emptied.
python3 - report.json <<'PY' || fail "the report does not count the statistics"
import json, sys
s = json.load(open(sys.argv[1]))['statistics']
assert s['entries'] >= 50, s
assert s['entries_changed'] >= 5, s
assert s['column_statistics_stripped'] >= 10, s
assert s['column_statistics_removed'] >= 3, s
assert s['value_arguments_removed'] >= 10, s
assert s['relations_emptied'] >= 1, s
assert s['entries_dropped'] == 0, s
PY

# A real restore: pg_stats holds no original value, kept columns keep theirs.
fresh_db "$db"
if [ "$format" = plain ]; then
    q -d "$db" -f out.dump > /dev/null
else
    "$BIN/pg_restore" --exit-on-error -d "$db" out.dump
fi
stats_of() {
    q -d "$1" -c "SELECT schemaname, tablename, attname, inherited, null_frac,
                         coalesce(most_common_vals::text, ''), coalesce(histogram_bounds::text, ''),
                         coalesce(most_common_elems::text, '')
                  FROM pg_stats WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1, 2, 3, 4"
}
stats_of "$db" > restored-stats.txt
[ -s restored-stats.txt ] || fail "the restored database has no statistics"
! holds_original restored-stats.txt || fail "an original value is in pg_stats after the restore"
! grep -qF -f names.txt restored-stats.txt || fail "an original name is in pg_stats after the restore"
for column in "wagtailcore_page|slug" "wagtailcore_page|url_path" "django_content_type|model" "wagtailcore_page_upper_slug|upper"; do
    want=$(stats_of "$site" | grep "^public|$column|" || true)
    [ -n "$want" ] || fail "the source has no statistics for $column"
    [ "$(grep "^public|$column|" restored-stats.txt)" = "$want" ] || fail "the kept column $column lost its statistics"
done
# A transformed column keeps its null fraction, not its values.
[ "$(grep '^public|auth_user|email|' restored-stats.txt | cut -d'|' -f5-)" = "0|||" ] \
    || fail "auth_user.email should keep null_frac 0 and no values"
[ -z "$(grep '^public|auth_user_lower_email|' restored-stats.txt | cut -d'|' -f6- | tr -d '|')" ] \
    || fail "the expression index on lower(email) kept values"
[ -z "$(grep '^public|staff_emails|' restored-stats.txt | cut -d'|' -f6- | tr -d '|')" ] \
    || fail "the materialized view of e-mails kept values"
[ -z "$(grep '^public|django_session|' restored-stats.txt)" ] || fail "the truncated table kept column statistics"
[ "$(q -d "$db" -c "SELECT reltuples FROM pg_class WHERE oid = 'public.django_session'::regclass")" = 0 ] \
    || fail "the truncated table's relation statistics do not say 0 rows"
# The planner still estimates from the kept statistics.
estimate() { q -d "$1" -c "EXPLAIN SELECT * FROM wagtailcore_page WHERE slug > 'm'" | head -1 | grep -o 'rows=[0-9]*'; }
[ "$(estimate "$db")" = "$(estimate "$site")" ] || fail "the planner's estimate on a kept column differs"

# --verify reads the SQL around the rows too: a comment that names a user's
# e-mail (which the rules replace) fails the run, naming the entry, with no output.
# (The site's own addresses are in reserved domains, which verify treats as
# synthetic: this one looks real.)
email=margaret.oneill.1987@fastmail.com
q -d "$site" -c "UPDATE auth_user SET email = '$email' WHERE id = (SELECT min(id) FROM auth_user);
                 COMMENT ON TABLE public.wagtailcore_page IS 'ask $email'" > /dev/null
case "$format" in
plain) "$BIN/pg_dump" --statistics -Fp -f commented.dump "$site" ;;
*) "$BIN/pg_dump" --statistics -Fc -f commented.dump "$site" ;;
esac
set +e
"$PGSCRUB" scrub -q -r "$HERE/wagtail_site_rules.yaml" -i commented.dump -o commented.out --verify 2> verify.txt
rc=$?
set -e
[ "$rc" = 1 ] || { cat verify.txt >&2; fail "--verify passed an output whose COMMENT holds an original e-mail (exit $rc)"; }
if [ "$format" = plain ]; then where='statement [0-9]* of the script'; else where='TOC entry [0-9]* (COMMENT public.*TABLE wagtailcore_page)'; fi
grep -q "$where.* in its SQL.*holds a value of public.auth_user.email" verify.txt || { cat verify.txt >&2; fail "--verify did not name the comment"; }
! grep -qF "$email" verify.txt || fail "--verify printed the e-mail it found"
[ ! -e commented.out ] || fail "--verify failed but the output was written"

# --drop-statistics: none at all, and it still restores.
"$PGSCRUB" scrub -q -r "$HERE/wagtail_site_rules.yaml" -i in.dump -o dropped.dump --drop-statistics --report dropped.json
as_sql dropped.dump > dropped.sql
! grep -q 'pg_restore_.*_stats' dropped.sql || fail "--drop-statistics left statistics in the output"
python3 -c "import json,sys; s=json.load(open('dropped.json'))['statistics']; assert s['entries_dropped'] >= 50 and s['entries_changed'] == 0, s" \
    || fail "the report does not count the dropped statistics"
# scan reads statistics like table data, naming the entry; the rules class
# a hash in the statistics of a column they replace as a leak.
set +e
"$PGSCRUB" scan -r "$HERE/wagtail_site_rules.yaml" in.dump > scan-in.txt 2>&1
rc=$?
set -e
[ "$rc" = 1 ] || { cat scan-in.txt >&2; fail "scan of the input's statistics exited $rc, expected 1"; }
if [ "$format" = plain ]; then entry='statement at line [0-9]*'; else entry='TOC entry [0-9]*'; fi
grep -q "^public.auth_user (statistics, $entry).password: password_hash .*\[LEAK: the rules transform this column\]" scan-in.txt \
    || { cat scan-in.txt >&2; fail "scan does not report the password hashes in auth_user's statistics as a leak"; }
"$PGSCRUB" scan -r "$HERE/wagtail_site_rules.yaml" out.dump > scan-out.txt 2>&1 \
    || { cat scan-out.txt >&2; fail "scan finds something in the scrubbed output"; }
if [ "$format" = plain ]; then
    # inspect lists a plain script's statistics statements (by relation, never their values).
    "$PGSCRUB" inspect in.dump > inspect.txt
    grep -q '^Statistics (PostgreSQL 18' inspect.txt || fail "inspect does not list the statistics of a plain dump"
    grep -q '^  public.auth_user  (line [0-9]*)' inspect.txt || fail "inspect does not name auth_user's statistics"
    ! holds_original inspect.txt || fail "inspect printed a value"
else
    # check --dump says what scrub will do to the statistics.
    "$PGSCRUB" check -r "$HERE/wagtail_site_rules.yaml" --dump in.dump 2> check.txt || { cat check.txt >&2; fail "check failed"; }
    grep -Eq 'the dump has [0-9]+ statistics entries .* keeps [0-9]+ column statistics as they are, strips [1-9][0-9]* of their values, removes [1-9][0-9]* with their truncated tables, and sets [1-9][0-9]* relations to 0 rows' check.txt \
        || { cat check.txt >&2; fail "check --dump does not say what happens to the statistics"; }
fi

# Large objects (17+: BLOB METADATA) can hold any uploaded file: scan looks
# inside them (across its 1 MiB pieces), rules that do not mention them stop
# the scrub, large_objects: drop leaves them out and the result restores.
q -d "$site" -c "COMMENT ON TABLE public.wagtailcore_page IS NULL;
                 SELECT lo_from_bytea(0, convert_to(repeat('x', 1048570) || ' write to $email', 'UTF8'))" > /dev/null
case "$format" in
plain) "$BIN/pg_dump" -Fp -f lo.dump "$site" ;;
directory) "$BIN/pg_dump" -Fd -f lo.dump "$site" ;;
*) "$BIN/pg_dump" -Fc -f lo.dump "$site" ;;
esac
set +e
"$PGSCRUB" scan lo.dump > scan-lo.txt 2>&1
"$PGSCRUB" scrub -q -r "$HERE/wagtail_site_rules.yaml" -i lo.dump -o lo.out 2> lo-refused.txt
rc=$?
set -e
grep -q '^large object [0-9]*.data: email in 1 of 2 rows' scan-lo.txt || { cat scan-lo.txt >&2; fail "scan does not look inside large objects"; }
[ "$rc" = 2 ] || { cat lo-refused.txt >&2; fail "a dump with an unruled large object was scrubbed (exit $rc)"; }
grep -q 'large object' lo-refused.txt && [ ! -e lo.out ] || { cat lo-refused.txt >&2; fail "the refusal does not name the large objects, or left output"; }
{ cat "$HERE/wagtail_site_rules.yaml"; echo "large_objects: drop"; } > lo-rules.yaml
"$PGSCRUB" scrub -q -r lo-rules.yaml -i lo.dump -o lo.out --verify
fresh_db "${db}_lo"
if [ "$format" = plain ]; then q -d "${db}_lo" -f lo.out > /dev/null; else "$BIN/pg_restore" --exit-on-error -d "${db}_lo" lo.out; fi
[ "$(q -d "${db}_lo" -c "SELECT count(*) FROM pg_largeobject_metadata")" = 0 ] || fail "large_objects: drop restored a large object"
echo "PASS: PostgreSQL 18 statistics carry no scrubbed value ($format)"
