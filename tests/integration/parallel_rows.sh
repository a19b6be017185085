#!/usr/bin/env bash
# Rows rewritten on several threads (scrub/parallel_row_rewriter.hpp): a table
# of several MiB of COPY text (many 1 MiB chunks) scrubbed with transforming
# rules at -j 1, -j 2 and -j 7 gives the same table data, which restores with
# every covered value replaced; and a transform failing on a worker thread
# stops the run with exit 3, the row named, and nothing under the output name.
# Directory to directory, tables are also scrubbed several at once
# (scrub/parallel_tables.hpp): the archives are byte-identical at every -j,
# and when two tables fail, the first table's error is the one reported.
#   parallel_rows.sh VERSION FORMAT
#   (FORMAT: custom, directory, tar, plain, worker-failure, table-failure)
source "$(dirname "$0")/lib.sh"
version="$1" format="$2"
use_cluster "$version"
work="$PGSCRUB_TEST_ROOT/parallel-rows-$version-$format"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
source_db="parallel_rows_source"

# Once per cluster: 120,000 rows (~14 MB of COPY text) with escapes (tab,
# newline, backslash), multi-byte characters, NULLs, and one value that is not
# JSON (id 98765).
# The tests of this script run side by side: one creates it, the others wait.
exec 9> "$PGSCRUB_TEST_ROOT/parallel-rows-source.lock"
flock 9
if [ "$(q -c "SELECT 1 FROM pg_database WHERE datname = '$source_db'")" != "1" ]; then
    q -c "DROP DATABASE IF EXISTS ${source_db}_loading"
    q -c "CREATE DATABASE ${source_db}_loading"
    q -d "${source_db}_loading" <<'SQL' > /dev/null
CREATE TABLE members (
    id integer PRIMARY KEY,
    email text,
    full_name text,
    bio text,
    meta text,
    joined date
);
INSERT INTO members
SELECT i,
       CASE WHEN i % 11 = 0 THEN NULL ELSE 'member' || i || '@corp.example.net' END,
       (ARRAY['Zoë Ångström', 'José Núñez', '李小龍', 'Ann O''Neil'])[1 + i % 4] || ' ' || i,
       'Call me at +44 20 7946 ' || lpad((i % 10000)::text, 4, '0') || E'\tor mail\nmember' || i ||
           '@corp.example.net, path C:\\Users\\m' || i || ' ' || repeat('ü', i % 40),
       CASE WHEN i = 98765 THEN 'not json {' ELSE '{"k": "secret ' || i || '", "n": [1, 2]}' END,
       DATE '2020-01-01' + (i % 1500)
FROM generate_series(1, 120000) AS i;
CREATE TABLE notes (id integer PRIMARY KEY, body text);
INSERT INTO notes VALUES (1, 'kept as it is'), (2, E'tab\there');
SQL
    q -c "ALTER DATABASE ${source_db}_loading RENAME TO $source_db"
fi
flock -u 9

cat > rules.yaml <<'YAML'
version: 1
secret_env: PGSCRUB_SECRET
unlisted_tables: fail
unlisted_columns: fail
tables:
  members:
    keep: [id, joined]
    columns:
      email: fake_email
      full_name: fake_name
      bio: redact
      meta: redact
  notes: keep
YAML

scrub() { "$PGSCRUB" scrub -q -r rules.yaml "$@"; }

if [ "$format" = worker-failure ]; then
    # The json transform refuses the value at row 98765, on whichever worker gets it.
    sed 's/      meta: redact/      meta: {transform: json, others: redact}/' rules.yaml > failing.yaml
    "$BIN/pg_dump" -Fc -f in.fc "$source_db"
    # The bad value's row in the COPY data (the heap's order, not the id's).
    bad_row="$("$BIN/pg_restore" -f - -t members in.fc | awk '/^COPY /{n=0; next} {n++} /not json/ && !found {print n; found=1}')"
    [ -n "$bad_row" ] || fail "the dump holds no bad value"
    for jobs in 2 7; do
        set +e
        "$PGSCRUB" scrub -q -r failing.yaml -i in.fc -o out-$jobs.fc -j "$jobs" --compress none 2> err.txt
        status=$?
        set -e
        [ "$status" = 3 ] || { cat err.txt >&2; fail "-j $jobs: a transform error on a worker exited $status, not 3"; }
        grep -q "row $bad_row, column \"meta\" (json)" err.txt || { cat err.txt >&2; fail "-j $jobs: the error does not name row $bad_row"; }
        ! grep -q 'not json' err.txt || fail "-j $jobs: the error quotes the value"
        [ ! -e out-$jobs.fc ] || fail "-j $jobs: the output exists after the failure"
        ! ls -a | grep -q "out-$jobs" || fail "-j $jobs: a temporary output was left behind: $(ls -a)"
    done
    # Ctrl-C mid-table, with workers running: exit 3 at once, nothing written.
    "$BIN/pg_dump" -Fc -Z0 -f in-z0.fc "$source_db"
    mkfifo feed
    "$PGSCRUB" scrub -q -r rules.yaml -i - -o interrupted.fc -j 7 < feed 2> err.txt &
    pid=$!
    exec 3> feed
    head -c $(( $(stat -c %s in-z0.fc) / 2 )) in-z0.fc >&3
    sleep 1
    kill -INT "$pid"
    set +e
    timeout 10 tail --pid="$pid" -f /dev/null
    wait "$pid"
    rc=$?
    set -e
    exec 3>&-
    [ "$rc" = 3 ] || { cat err.txt >&2; fail "an interrupted scrub exited $rc, expected 3"; }
    grep -q 'public.members): interrupted by signal 2' err.txt || { cat err.txt >&2; fail "the interrupt's message"; }
    ! ls -a | grep -q interrupted.fc || fail "an interrupted scrub left output: $(ls -a)"
    echo "ok: a worker's failure exits 3 naming row $bad_row, nothing written; so does Ctrl-C"
    exit 0
fi

if [ "$format" = table-failure ]; then
    # Both tables fail: members at row 98765 (the value that is not JSON),
    # notes at its first row, at once, on the other thread, long before
    # members gets there. members comes first in the archive: its error is
    # the one reported, as it would be with one thread.
    sed -e 's/      meta: redact/      meta: {transform: json, others: redact}/' \
        -e 's/  notes: keep/  notes:\n    keep: [id]\n    columns:\n      body: {transform: json}/' rules.yaml > failing.yaml
    "$BIN/pg_dump" -Fd -f in.dir "$source_db"
    bad_row="$("$BIN/pg_restore" -f - -t members in.dir | awk '/^COPY /{n=0; next} {n++} /not json/ && !found {print n; found=1}')"
    [ -n "$bad_row" ] || fail "the dump holds no bad value"
    set +e
    "$PGSCRUB" scrub -q -r failing.yaml -i in.dir -o out.dir -j 2 2> err.txt
    status=$?
    set -e
    [ "$status" = 3 ] || { cat err.txt >&2; fail "two failing tables exited $status, not 3"; }
    grep -q "public.members.*row $bad_row, column \"meta\" (json)" err.txt \
        || { cat err.txt >&2; fail "the error is not the first table's (members, row $bad_row)"; }
    ! grep -q 'not json\|kept as it is' err.txt || fail "the error quotes a value"
    ! ls -a | grep -q "out.dir" || fail "output left behind after the failure: $(ls -a)"
    echo "ok: two tables failing at once: exit 3, the first table's error, nothing written"
    exit 0
fi

case "$format" in
custom) "$BIN/pg_dump" -Fc -f in.dump "$source_db" ;;
directory) "$BIN/pg_dump" -Fd -f in.dump "$source_db" ;;
tar) "$BIN/pg_dump" -Ft -f in.dump "$source_db" ;;
plain) "$BIN/pg_dump" -Fp -f in.dump "$source_db" ;;
esac

# The table data of an output, decompressed, whatever the format (less the
# random key of pg_restore's \restrict lines).
data_of() {
    if [ "$format" = plain ]; then cat "$1"; else "$BIN/pg_restore" -f - "$1"; fi | grep -v '^\\\(un\)\?restrict '
}

for jobs in 1 2 7; do
    scrub -i in.dump -o "out-$jobs.dump" -j "$jobs" --report "report-$jobs.json"
    data_of "out-$jobs.dump" > "data-$jobs.sql"
done
cmp data-1.sql data-2.sql || fail "-j 1 and -j 2 give different table data"
cmp data-1.sql data-7.sql || fail "-j 1 and -j 7 give different table data"
if [ "$format" = directory ]; then
    # Tables several at once, largest first: the same files, byte for byte.
    diff -r out-1.dump out-2.dump > /dev/null || fail "-j 1 and -j 2 directory archives differ"
    diff -r out-1.dump out-7.dump > /dev/null || fail "-j 1 and -j 7 directory archives differ"
fi
grep -q 'member98765@corp' data-1.sql && fail "an original e-mail survived"
python3 - <<'PY' || fail "the reports differ between -j values or miscount"
import json
reports = [json.load(open(f'report-{j}.json')) for j in (1, 2, 7)]
def counts(r):
    return {t['table']: (t['rows'], [(c['column'], c['values_changed']) for c in t['columns']]) for t in r['tables']}
assert counts(reports[0]) == counts(reports[1]) == counts(reports[2]), [counts(r) for r in reports]
# In the archive's order, however many tables ran at once.
assert [t['table'] for t in reports[0]['tables']] == [t['table'] for t in reports[2]['tables']] == ['public.members', 'public.notes'], [t['table'] for t in reports[2]['tables']]
members = counts(reports[0])['public.members']
assert members[0] == 120000, members
changed = dict(members[1])
assert changed['email'] == 120000 - 120000 // 11 and changed['bio'] == 120000 and changed['id'] == 0, changed
PY

# Uncompressed custom output: the archives themselves are byte-identical.
if [ "$format" = custom ]; then
    for jobs in 1 2 7; do scrub -i in.dump -o "z0-$jobs.fc" -j "$jobs" --compress none; done
    cmp z0-1.fc z0-2.fc || fail "--compress none: -j 1 and -j 2 archives differ"
    cmp z0-1.fc z0-7.fc || fail "--compress none: -j 1 and -j 7 archives differ"
    # --verify is told every change of every chunk, in order: its originals
    # count is the same at -j 1 and -j 7, and nothing survives.
    for jobs in 1 7; do scrub -i in.dump -o "verified-$jobs.fc" -j "$jobs" --verify --report "verify-$jobs.json"; done
    python3 - <<'PY' || fail "--verify remembered different originals at -j 1 and -j 7"
import json
a, b = (json.load(open(f'verify-{j}.json'))['verify'] for j in (1, 7))
assert a['status'] == b['status'] == 'passed', (a, b)
assert a['originals_remembered'] == b['originals_remembered'] > 120000, (a['originals_remembered'], b['originals_remembered'])
PY
fi

# The -j 7 output restores, with every row and no original value.
db="parallel_rows_${version}_$format"
fresh_db "$db"
if [ "$format" = plain ]; then
    q -d "$db" -f out-7.dump > /dev/null
else
    "$BIN/pg_restore" --exit-on-error -d "$db" out-7.dump
fi
[ "$(q -d "$db" -c "SELECT count(*) FROM members")" = 120000 ] || fail "restored row count"
[ "$(q -d "$db" -c "SELECT count(*) FROM members WHERE email LIKE '%@corp.example.net' OR bio LIKE '%member%@corp%'")" = 0 ] \
    || fail "original values survived the restore"
diff <(q -d "$source_db" -c "SELECT id, joined FROM members ORDER BY id") \
     <(q -d "$db" -c "SELECT id, joined FROM members ORDER BY id") > /dev/null || fail "kept columns differ"
diff <(q -d "$source_db" -c "SELECT * FROM notes ORDER BY id") <(q -d "$db" -c "SELECT * FROM notes ORDER BY id") \
    || fail "the kept table differs"
echo "ok: $format at -j 1, 2, 7: the same table data, restored"
