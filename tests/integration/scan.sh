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
# Columns whose names sound personal but whose data is not: ids, counts,
# flags, versions, times, files, order numbers of phone-number length.
q -d scan_clean > /dev/null <<'SQL'
CREATE TABLE hinted_but_not_personal (
    phone_id bigint, phone_count int, phone_verified boolean, mobile_app_version text, phone_country_code text,
    fax_sent_at text, tracking_number text, zip_file text, address_id bigint, email_address_verified boolean,
    product_name text, order_number text, postcode_format text, birth_date_visible boolean, name_length int,
    phone text, postal_code text, first_name text, birth_date text, street_address text
);
INSERT INTO hinted_but_not_personal
SELECT g, g % 3, g % 2 = 0, '4.' || (g % 12) || '.' || g, '+44',
       (TIMESTAMPTZ '2024-01-01 00:00:00+00' + g * INTERVAL '1 hour')::text, lpad((g * 7919)::text, 12, '0'),
       'export-' || g || '.zip', g, true, 'Widget ' || g, (14033335568 + g)::text, 'NNNNN', false, g % 20,
       -- what a rules file leaves in personal columns: fakes in reserved ranges, masks, constants
       CASE g % 3 WHEN 0 THEN '+1 201-555-0' || lpad((100 + g % 100)::text, 3, '0') WHEN 1 THEN '07700 900' || lpad((g % 1000)::text, 3, '0') ELSE NULL END,
       '00000', (ARRAY['Olivia', 'Oliver Smith', 'Harry'])[g % 3 + 1], '1970-01-01', '1*** M*** S***'
FROM generate_series(1, 500) g;
SQL
"$BIN/pg_dump" -Fc -f clean.dump scan_clean
"$PGSCRUB" scan clean.dump > none.txt || { cat none.txt; fail "false positives in a dump without personal data"; }

# Regression (issue 9): phone numbers written as bare digits, as Pagila's
# address.phone holds them, were not found; the column's name says what they
# are. Other name hints: names, postcodes, addresses, birth dates. With rules,
# the phones of a column the rules fake are a leak on the source and gone
# from the scrubbed dump.
fresh_db pagila_like
q -d pagila_like > /dev/null <<'SQL'
CREATE TABLE address (address_id int PRIMARY KEY, address text, district text, postal_code text, phone text);
INSERT INTO address SELECT g, g || ' Tilbury Lane', 'Alberta', lpad((g * 7919 % 99999)::text, 5, '1'),
       (14033335568 + g * 7919)::text FROM generate_series(1, 601) g;
CREATE TABLE customer (customer_id int PRIMARY KEY, first_name text, last_name text, birth_date date);
INSERT INTO customer SELECT g, 'Mattheüs', 'Quentrabbe', date '1961-03-01' + g FROM generate_series(1, 50) g;
SQL
"$BIN/pg_dump" -Fc -f pagila.dump pagila_like
set +e
"$PGSCRUB" scan pagila.dump > pagila.txt
rc=$?
set -e
[ "$rc" = 1 ] || { cat pagila.txt; fail "scan of digit phones exited $rc"; }
for want in 'public.address.phone: phone in 601 of 601 rows' 'public.address.postal_code: postcode in 601 of 601 rows' \
            'public.address.address: address in 601 of 601 rows' 'public.customer.first_name: name in 50 of 50 rows' \
            'public.customer.birth_date: birth_date in 50 of 50 rows'; do
    grep -qF "$want" pagila.txt || { cat pagila.txt; fail "scan missed: $want"; }
done
! grep -q 'district\|address_id\|customer_id' pagila.txt || { cat pagila.txt; fail "a column the name hints do not cover was reported"; }
! grep -qF '14033335568' pagila.txt || fail "scan printed a whole phone number"
printf 'version: 1\ntables:\n  address:\n    keep: [address_id, district, address, postal_code]\n    columns: {phone: fake_phone}\n  customer:\n    keep: [customer_id, birth_date]\n    columns: {first_name: fake_first_name, last_name: fake_last_name}\n' > pagila.yaml
set +e
"$PGSCRUB" scan -r pagila.yaml pagila.dump > pagila-classed.txt
set -e
grep -q '^public.address.phone: phone .*\[LEAK' pagila-classed.txt || { cat pagila-classed.txt; fail "digit phones of a faked column are not a leak"; }
grep -q "^public.customer.first_name: name .*(from the column's name) \[transformed" pagila-classed.txt \
    || { cat pagila-classed.txt; fail "names in a column the rules fake are not classed transformed"; }
grep -q "^public.customer.birth_date: birth_date .*\[kept" pagila-classed.txt || { cat pagila-classed.txt; fail "kept birth dates not classed kept"; }
"$PGSCRUB" scrub -q -r pagila.yaml -i pagila.dump -o pagila-out.dump
set +e
"$PGSCRUB" scan pagila-out.dump > pagila-out.txt
set -e
! grep -q 'address.phone\|first_name\|last_name' pagila-out.txt || { cat pagila-out.txt; fail "fake phones or names were reported as personal data"; }

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
