#!/usr/bin/env bash
# pgscrub scan against real dumps: the fixture's personal data is found (also
# \u0040-escaped JSON and arrays) with masked examples only; the same dump
# scrubbed with complete rules has no findings; a dump with no personal data
# (numbers, UUIDs, hashes, timestamps, prose) has none either.
source "$(dirname "$0")/lib.sh"
use_cluster 15
work="$PGSCRUB_TEST_ROOT/scan"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

"$BIN/pg_dump" -Fc -f fixture.dump fixture
set +e
"$PGSCRUB" scan fixture.dump > found.txt
rc=$?
"$PGSCRUB" scan --json fixture.dump > found.json
set -e
[ "$rc" = 1 ] || { cat found.txt; fail "scan of the fixture exited $rc, expected 1"; }
for want in 'public.people.email: email' 'public.people.raw_json: email' 'CRM.Newsletter Signup.cc_emails: email' \
            'CRM.Newsletter Signup.Email Address: email' 'public.people.ip: ip'; do
    grep -qF "$want" found.txt || { cat found.txt; fail "scan missed: $want"; }
done
# Examples are masked: no original address appears in the output.
for original in 'e@x.org' 'cr@x.org' 'x@y.org' 'z@y.org' 'a@b.org' '192.168.1.7'; do
    if grep -qF "$original" found.txt found.json; then fail "scan printed a whole value"; fi
done
grep -qF 'ü***@ß***.de' found.txt || { cat found.txt; fail "masked example of a Unicode address"; }
python3 -c "import json; d=json.load(open('found.json')); assert len(d['findings']) >= 5 and all(len(f['examples']) <= 2 for f in d['findings'])"

# Scrubbed with complete rules: nothing left to find.
"$PGSCRUB" scrub -q -r "$HERE/fixture_rules.yaml" -i fixture.dump -o scrubbed.dump
"$PGSCRUB" scan scrubbed.dump > clean.txt || { cat clean.txt; fail "scan found personal data after a complete scrub"; }
grep -q '^pgscrub scan: 0 findings (0 need attention) in [1-9][0-9]* values' clean.txt || { cat clean.txt; fail "scan summary"; }

# No personal data at all: no false positives.
fresh_db scan_clean
q -d scan_clean > /dev/null <<'SQL'
CREATE TABLE measurements (
    id bigint, uuid_text text, file_md5 text, file_sha256 text, taken text, amount text, version text,
    order_ref text, prose text, counts int[], git_sha text, thumbnail text, settings jsonb, price text,
    coordinates text, isbn text, css text
);
INSERT INTO measurements
SELECT g, md5(g::text)::uuid::text, md5('file' || g), encode(sha256(g::text::bytea), 'hex'),
       (TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * INTERVAL '37 minutes')::text,
       to_char(g * 12.34, 'FM999990.00'), '1.' || (g % 20) || '.' || (g % 7),
       'ORD-' || lpad(g::text, 10, '0'),
       'The quarterly report shows revenue of ' || g || ' thousand across 3 regions, version 2.4.1, on 2024-03-0' || (g % 9 + 1) || '.',
       ARRAY[g, g * 2, g * 3],
       substr(encode(sha256(('commit' || g)::bytea), 'hex'), 1, 40),
       'data:image/png;base64,' || encode(sha256(g::text::bytea) || sha256((g + 1)::text::bytea) || sha256((g + 2)::text::bytea), 'base64'),
       jsonb_build_object('token_count', g, 'max_tokens', 4096, 'cache_key', 'page-' || g, 'theme', 'dark', 'ratio', g / 7.0),
       '$' || to_char(g * 1.5, 'FM99990.00') || ' ($' || (g % 100) || ' off)',
       to_char(51.5 + g / 100000.0, 'FM90.000000') || ', ' || to_char(-0.12 - g / 100000.0, 'FM90.000000'),
       '978-0-' || lpad((g % 99999)::text, 5, '0') || '-' || (g % 100) || '-' || (g % 10),
       '#' || lpad(to_hex(g * 4099 % 16777216), 6, '0') || ' 12px/1.5 "Helvetica Neue", sans-serif'
FROM generate_series(1, 5000) g;
SQL
"$BIN/pg_dump" -Fc -f clean.dump scan_clean
"$PGSCRUB" scan clean.dump > none.txt || { cat none.txt; fail "false positives in a dump without personal data"; }

# Regression (scrub --verify): text whose only personal data is in a reserved
# range ("call me on 07700 900007") was remembered whole, and redact's fake
# phone for one row could equal another row's original text: a false failure.
fresh_db verify_synthetic
q -d verify_synthetic -c "CREATE TABLE notes (id int PRIMARY KEY, body text);
    INSERT INTO notes SELECT g, 'Please call me on 07700 900' || lpad(g::text, 3, '0') FROM generate_series(1, 999) g"
"$BIN/pg_dump" -Fc -f synthetic.dump verify_synthetic
printf 'version: 1\ntables:\n  notes:\n    keep: [id]\n    columns: {body: redact}\n' > synthetic.yaml
"$PGSCRUB" scrub -q -r synthetic.yaml -i synthetic.dump -o synthetic-out.dump --verify 2> synthetic.err \
    || { cat synthetic.err; fail "verify failed on text whose only personal data is synthetic"; }
echo "PASS: scan"
