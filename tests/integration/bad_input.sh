#!/usr/bin/env bash
# Bad input fails closed: exit 3 (or 2 for rules), one line that names the
# file, the TOC entry or offset, and what was expected; nothing is left under
# the output name.
#   bad_input.sh CASE
source "$(dirname "$0")/lib.sh"
case_name="$1"
use_cluster 15
work="$PGSCRUB_TEST_ROOT/bad-input-$case_name"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
printf 'version: 1\nunlisted_tables: keep\nunlisted_columns: keep\ntables: {}\n' > keep.yaml

# expect_failure EXIT_CODE PATTERN INPUT [scrub options]: runs scrub into
# out.*, checks the exit code, that stderr is one line matching PATTERN, and
# that no output (final or partial) exists.
expect_failure() {
    local want="$1" pattern="$2" input="$3"
    shift 3
    set +e
    "$PGSCRUB" scrub -r keep.yaml -q -i "$input" -o out.result "$@" 2> err.txt
    local rc=$?
    set -e
    [ "$rc" = "$want" ] || { cat err.txt >&2; fail "exit code $rc, expected $want"; }
    [ "$(wc -l < err.txt)" = 1 ] || { cat err.txt >&2; fail "expected exactly one line on stderr"; }
    grep -Eq -- "$pattern" err.txt || { cat err.txt >&2; fail "message does not match /$pattern/"; }
    if compgen -G 'out.result*' > /dev/null; then ls -la out.result* >&2; fail "output left behind after a failure"; fi
    echo "ok: $(cat err.txt)"
}


# scrub_exit_code RULES: runs scrub on good.fc into out.result with RULES,
# stderr to err.txt; prints the exit code.
scrub_exit_code() {
    set +e
    "$PGSCRUB" scrub -r "$1" -i good.fc -o out.result 2> err.txt
    echo $?
    set -e
}

"$BIN/pg_dump" -Fc -f good.fc fixture

case "$case_name" in
wrong-magic)
    printf 'NOTADUMP%.0s' {1..100} > bad.fc
    expect_failure 3 "bad\.fc: offset 0: not a pg_dump archive: expected \"PGDMP\"" bad.fc
    ;;
empty-file)
    : > bad.fc
    expect_failure 3 "bad\.fc: offset 0: input is empty" bad.fc
    ;;
truncated)
    size=$(stat -c %s good.fc)
    for cut in 3 40 200 $((size / 2)) $((size - 3)); do
        head -c "$cut" good.fc > bad.fc
        expect_failure 3 "bad\.fc: .*(unexpected end of file|truncated)" bad.fc
    done
    ;;
unsupported-version)
    cp good.fc bad.fc
    printf '\x11' | dd of=bad.fc bs=1 seek=6 conv=notrunc status=none
    expect_failure 3 "bad\.fc: offset 5: unsupported archive version 1\.17-0; pgscrub reads archive versions 1\.12 to 1\.16" bad.fc
    ;;
corrupt-block)
    # Overwrite 64 bytes in the middle of the people table's compressed data.
    cp good.fc bad.fc
    size=$(stat -c %s good.fc)
    offset=$("$PGSCRUB" inspect --json good.fc | python3 -c "
import json, sys
toc = json.load(sys.stdin)['toc']
print([e for e in toc if e['desc'] == 'TABLE DATA' and e['name'] == 'people'][0]['data_offset'] + 5000)")
    head -c 64 /dev/zero | tr '\0' '\377' | dd of=bad.fc bs=1 seek="$offset" conv=notrunc status=none
    [ "$(stat -c %s bad.fc)" = "$size" ]
    # Copying a table as stored does not decompress it; any pass that decodes
    # the table (a rule touching it, --rewrite-all, inspect) must catch it.
    # Where the bytes land depends on the fixture's now() timestamps: inside a
    # deflate block, on a chunk length, or in a block that still inflates into
    # rows of the wrong shape. Each fails closed, naming the entry.
    corrupt='(corrupt gzip data|invalid data chunk length|the data is corrupt)'
    expect_failure 3 "bad\.fc: offset [0-9]+: TOC entry [0-9]+ \(TABLE DATA public\.people\): .*$corrupt" bad.fc --rewrite-all
    set +e
    "$PGSCRUB" inspect bad.fc > /dev/null 2> err.txt
    rc=$?
    set -e
    [ "$rc" = 3 ] || fail "inspect of a corrupt block exited $rc, expected 3"
    grep -Eq "TABLE DATA public\.people\): .*$corrupt" err.txt || { cat err.txt; fail "inspect message"; }
    ;;
missing-directory-file)
    "$BIN/pg_dump" -Fd -f bad.dir fixture
    people=$("$BIN/pg_restore" -l bad.dir | awk '/TABLE DATA public people / {sub(";", "", $1); print $1}')
    rm "bad.dir/$people.dat.gz"
    expect_failure 3 "bad\.dir/$people\.dat: TOC entry $people \(TABLE DATA public\.people\): data file is missing" bad.dir
    ;;
unreadable-directory-entry)
    "$BIN/pg_dump" -Fd -f bad.dir fixture
    people=$("$BIN/pg_restore" -l bad.dir | awk '/TABLE DATA public people / {sub(";", "", $1); print $1}')
    rm "bad.dir/$people.dat.gz" && mkdir "bad.dir/$people.dat.gz"
    expect_failure 3 "TOC entry $people \(TABLE DATA public\.people\): data file is missing or not a regular file" bad.dir
    ;;
missing-toc)
    mkdir bad.dir
    expect_failure 3 "bad\.dir: not a directory-format archive: \"toc\.dat\" does not exist" bad.dir
    ;;
corrupt-tar-header)
    "$BIN/pg_dump" -Ft -f bad.tar fixture
    # The second member's header follows toc.dat's data, padded to 512 bytes.
    second=$(python3 -c "d=open('bad.tar','rb').read(); n=int(d[124:136].strip(b' \\0') or b'0', 8); print(512 + (n + 511) // 512 * 512)")
    printf 'X' | dd of=bad.tar bs=1 seek=$((second + 10)) conv=notrunc status=none
    expect_failure 3 "bad\.tar: offset $second: corrupt tar header \(checksum mismatch\)" bad.tar
    ;;
plain-without-end-marker)
    "$BIN/pg_dump" -Fp -f good.sql fixture
    # Drop the end marker of the first COPY block.
    python3 - <<'PY'
s = open('good.sql', 'rb').read()
i = s.find(b'\n\\.\n')
open('bad.sql', 'wb').write(s[:i + 1] + s[i + 4:])
PY
    # The next COPY block's statement is then read as data; the stream ends
    # without a marker after the last block.
    expect_failure 3 "bad\.sql: offset [0-9]+: COPY data for .* at line [0-9]+: .*" bad.sql --rewrite-all
    ;;
lz4-into-old-archive)
    expect_failure 3 "archive version 1\.14-0 .* can only hold gzip or no compression" good.fc --compress lz4
    ;;
rules-file-errors)
    printf 'version: 2\nunlisted_tables: sometimes\nbogus: 1\n' > bad.yaml
    rc=$(scrub_exit_code bad.yaml)
    [ "$rc" = 2 ] || fail "rules error exit code $rc, expected 2"
    grep -q '^bad.yaml:1:10: error: unsupported rules version "2"' err.txt || { cat err.txt; fail "version error"; }
    grep -q '^bad.yaml:2:18: error: unknown policy "sometimes" for unlisted_tables — expected fail, keep or truncate' err.txt || { cat err.txt; fail "policy error"; }
    grep -q '^bad.yaml:3:1: error: unknown key "bogus"' err.txt || { cat err.txt; fail "unknown key error"; }
    [ ! -e out.result ] || fail "output written despite a rules error"
    ;;
unlisted-table-fails-closed)
    printf 'version: 1\nunlisted_tables: fail\nunlisted_columns: keep\ntables:\n  people: keep\n' > partial.yaml
    rc=$(scrub_exit_code partial.yaml)
    [ "$rc" = 2 ] || fail "exit code $rc, expected 2"
    grep -q 'table "CRM.Newsletter Signup" has data but no rule names it (unlisted_tables: fail)' err.txt || { cat err.txt; fail "unlisted table not named"; }
    if grep -q 'table "public.people"' err.txt; then fail "people has a rule but was reported"; fi
    [ ! -e out.result ] || fail "output written although tables were unlisted"
    ;;
large-objects-unlisted)
    # Large objects can hold any uploaded file: rules that do not say what
    # happens to them stop the run under unlisted_tables: fail.
    sed -n '/^tables:/,$p' "$HERE/fixture_rules.yaml" | sed 1d > tables.yaml
    { printf 'version: 1\nunlisted_tables: fail\nunlisted_columns: fail\ntables:\n'; cat tables.yaml; } > no-lo.yaml
    rc=$(scrub_exit_code no-lo.yaml)
    [ "$rc" = 2 ] || { cat err.txt; fail "exit code $rc, expected 2"; }
    grep -q 'no-lo.yaml:1:1: error: the dump holds 2 large objects .* add large_objects: drop' err.txt || { cat err.txt; fail "large objects not named"; }
    [ ! -e out.result ] || fail "output written although large objects were not ruled on"
    ;;
inserts-not-rewritten)
    # Regression (review): rows dumped as INSERT statements (pg_dump --inserts)
    # were written unchanged, real e-mails included, when the rules transform
    # their table: the plan saw no COPY columns and took that for "keep".
    # pgscrub rewrites COPY data only: such a dump is refused, in every format.
    for fmt in p c; do
        "$BIN/pg_dump" -F"$fmt" --inserts -f "inserts.$fmt" fixture
        set +e
        "$PGSCRUB" scrub -r "$HERE/fixture_rules.yaml" -i "inserts.$fmt" -o "inserts-out.$fmt" 2> err.txt
        rc=$?
        set -e
        [ "$rc" = 3 ] || { cat err.txt; fail "-F$fmt --inserts with transform rules: exit $rc, expected 3"; }
        grep -q 'INSERT statements (pg_dump --inserts); pgscrub rewrites COPY data only' err.txt || { cat err.txt; fail "-F$fmt --inserts: message"; }
        [ ! -e "inserts-out.$fmt" ] || fail "-F$fmt --inserts: output written"
        ! grep -qF 'x@y.org' err.txt || fail "-F$fmt --inserts: a value was printed"
    done
    # Rules that keep every table pass the INSERTs through; a truncated table's rows go.
    printf 'version: 1\nunlisted_tables: keep\nunlisted_columns: keep\nlarge_objects: keep\ntables:\n  CRM.Newsletter Signup: truncate\n' > keep-inserts.yaml
    "$PGSCRUB" scrub -q -r keep-inserts.yaml -i inserts.p -o kept.sql
    grep -q '^INSERT INTO public.people ' kept.sql || fail "kept INSERTs were not passed through"
    ! grep -q '^INSERT INTO "CRM"."Newsletter Signup"' kept.sql || fail "a truncated table's INSERTs were passed through"
    "$PGSCRUB" scrub -q -r keep-inserts.yaml -i inserts.c -o kept.c
    fresh_db inserts_kept
    "$BIN/pg_restore" --exit-on-error -d inserts_kept kept.c
    [ "$(q -d inserts_kept -c 'SELECT count(*) FROM "CRM"."Newsletter Signup"')" = 0 ] || fail "truncated --inserts table has rows"
    [ "$(q -d inserts_kept -c 'SELECT count(*) FROM people')" = "$(q -d fixture -c 'SELECT count(*) FROM people')" ] || fail "kept --inserts rows lost"
    ;;
statements-share-a-line)
    # Regression (review): a statement that starts after another's `;` on the
    # same line was never screened. pg_dump never writes that: refused.
    "$BIN/pg_dump" -Fp -f plain.sql fixture
    printf 'SET client_min_messages = warning; INSERT INTO public.people (id) VALUES (424242);\n' >> plain.sql
    set +e
    "$PGSCRUB" scrub -r "$HERE/fixture_rules.yaml" -i plain.sql -o shared.sql 2> err.txt
    rc=$?
    set -e
    [ "$rc" = 3 ] || { cat err.txt; fail "two statements on a line: exit $rc, expected 3"; }
    grep -q 'two statements share line [0-9]*; pg_dump writes each on lines of its own' err.txt || { cat err.txt; fail "shared line: message"; }
    [ ! -e shared.sql ] || fail "shared line: output written"
    ;;
report-not-written)
    # Regression (issue 10 #3): a report that cannot be written failed the run
    # (exit 3) but left the complete output behind. The report and its page
    # commit with the output or nothing does: a missing directory, a parent
    # that is a file, a full device; custom and directory output; --verify.
    : > not-a-dir
    for report in /nonexistent/r.json not-a-dir/r.json /dev/full; do
        for fmt in custom directory; do
            for verify in "" --verify; do
                rm -rf out.result
                set +e
                "$PGSCRUB" scrub -r keep.yaml -q -i good.fc -o out.result --format "$fmt" $verify --report "$report" 2> err.txt
                rc=$?
                set -e
                [ "$rc" = 3 ] || { cat err.txt; fail "report $report ($fmt $verify): exit $rc, expected 3"; }
                [ "$(wc -l < err.txt)" = 1 ] || { cat err.txt; fail "report $report: expected one line"; }
                if compgen -G 'out.result*' > /dev/null; then ls -la out.result* >&2; fail "report $report ($fmt $verify): output left behind"; fi
            done
        done
    done
    # A report that can be written: output, report and page all there.
    "$PGSCRUB" scrub -r keep.yaml -q -i good.fc -o out.result --report ok.json
    [ -s out.result ] && [ -s ok.json ] && [ -s ok.html ] || fail "output, report and page were not all written"
    ! compgen -G '*pgscrub-partial*' > /dev/null || fail "temporary files left behind"
    ;;
entry-without-data)
    # Regression (issue 10 #7): a data entry whose archive holds no data for
    # it (hadDumper set, no file name: pg_restore skips it) gave exit 0 and an
    # output pg_restore could not read ("could not find block ID", a missing
    # N.dat). The output now says "no data" for it too, in every format.
    "$BIN/pg_dump" -Fd -f nodata.dir fixture
    id=$("$BIN/pg_restore" -l nodata.dir | awk '/TABLE DATA public people / {sub(";", "", $1); print $1}')
    python3 - nodata.dir/toc.dat "$id" <<'PY'
import sys
path, dump_id = sys.argv[1], sys.argv[2]
data = open(path, 'rb').read()
name = (dump_id + '.dat').encode()
stored = b'\x00' + len(name).to_bytes(4, 'little') + name   # Str: sign byte, 4-byte length, bytes
assert data.count(stored) == 1
open(path, 'wb').write(data.replace(stored, b'\x00' + (0).to_bytes(4, 'little')))
PY
    rm "nodata.dir/$id.dat.gz"
    "$BIN/pg_restore" -f - nodata.dir > /dev/null || fail "pg_restore does not accept the crafted input"
    printf 'version: 1\nunlisted_tables: keep\nunlisted_columns: keep\nlarge_objects: keep\ntables: {}\n' > keep-all.yaml
    # What pg_restore makes of the output is what it makes of the input (its
    # random \restrict keys aside).
    script() { "$BIN/pg_restore" -f - "$1" | grep -v '^\\\(un\)\?restrict '; }
    script nodata.dir > expected.sql
    grep -q '^COPY "CRM"."Newsletter Signup" ' expected.sql || fail "the crafted input lost other tables' data"
    for fmt in custom directory tar; do
        "$PGSCRUB" scrub -q -r keep-all.yaml -i nodata.dir -o "nodata-out.$fmt" --format "$fmt" --compress none
        script "nodata-out.$fmt" > restored.sql || fail "pg_restore cannot read the $fmt output"
        diff -q expected.sql restored.sql > /dev/null || { diff expected.sql restored.sql | head -5; fail "the $fmt output restores differently"; }
    done
    ;;
killed-run-leftovers)
    # Issue 10: after SIGKILL, OUT.pgscrub-partial-PID stayed behind. The next
    # run to the same name removes those whose process is gone, and says so;
    # one whose process still runs is left alone.
    sleep 0 & dead=$!; wait "$dead"
    kill -0 "$dead" 2> /dev/null && fail "process $dead should be gone"
    "$PGSCRUB" scrub -q -r keep.yaml -i good.fc -o "killed.fc.pgscrub-partial-$dead" # a real partial-looking file
    mkdir "killed.dir.pgscrub-partial-$dead" && touch "killed.dir.pgscrub-partial-$dead/toc.dat"
    touch "killed.fc.pgscrub-partial-$$" # this shell is alive
    "$PGSCRUB" scrub -r keep.yaml -q -i good.fc -o killed.fc 2> err.txt
    grep -q "^pgscrub: removed killed.fc.pgscrub-partial-$dead, the partial output of an earlier run (process $dead) that was killed$" err.txt \
        || { cat err.txt; fail "the stale partial file was not reported"; }
    [ ! -e "killed.fc.pgscrub-partial-$dead" ] || fail "the stale partial file is still there"
    [ -e "killed.fc.pgscrub-partial-$$" ] || fail "a live process's partial file was removed"
    [ -s killed.fc ] || fail "no output"
    "$PGSCRUB" scrub -r keep.yaml -q -i good.fc -o killed.dir --format directory 2> err.txt
    grep -q "removed killed.dir.pgscrub-partial-$dead" err.txt || { cat err.txt; fail "the stale partial directory was not reported"; }
    [ ! -e "killed.dir.pgscrub-partial-$dead" ] && [ -s killed.dir/toc.dat ] || fail "stale directory kept, or no output"
    ;;
corrupt-directory-file)
    # Issue 10: a corrupt .gz file of a directory archive was reported with
    # neither its file nor its TOC entry.
    "$BIN/pg_dump" -Fd -f gz.dir fixture
    people=$("$BIN/pg_restore" -l gz.dir | awk '/TABLE DATA public people / {sub(";", "", $1); print $1}')
    python3 -c "import sys; p = sys.argv[1]; d = bytearray(open(p, 'rb').read()); d[20:60] = b'\xff' * 40; open(p, 'wb').write(d)" "gz.dir/$people.dat.gz"
    expect_failure 3 "^pgscrub scrub: gz\.dir/$people\.dat\.gz: TOC entry $people \(TABLE DATA public\.people\): corrupt gzip data" gz.dir --rewrite-all
    ;;
json-nesting)
    # Issue 10: jsonb nested 3,000 deep (PostgreSQL stores it) was refused;
    # up to 5,000 levels are transformed now, and a deeper value fails naming
    # its table, row and column, never its content.
    fresh_db json_nesting
    q -d json_nesting -c "CREATE TABLE docs (id int, body jsonb);
        INSERT INTO docs VALUES (1, (repeat('[', 3000) || '\"ann.baker@gmail.com\"' || repeat(']', 3000))::jsonb),
                                (2, (repeat('{\"a\": ', 6000) || '\"li.lei@gmail.com\"' || repeat('}', 6000))::jsonb)"
    "$BIN/pg_dump" -Fc -f nesting.fc json_nesting
    printf 'version: 1\ntables:\n  docs:\n    keep: [id]\n    columns: {body: {transform: json, others: redact}}\n' > nesting.yaml
    set +e
    "$PGSCRUB" scrub -r nesting.yaml -i nesting.fc -o out.result 2> err.txt
    rc=$?
    set -e
    [ "$rc" = 3 ] || { cat err.txt; fail "too deep: exit $rc, expected 3"; }
    grep -q 'TABLE DATA public.docs): row 2, column "body" (json): .*JSON nested too deeply' err.txt || { cat err.txt; fail "too deep: not named"; }
    ! grep -q 'li.lei' err.txt || fail "too deep: the value was printed"
    [ ! -e out.result ] || fail "too deep: output written"
    q -d json_nesting -c "DELETE FROM docs WHERE id = 2"
    "$BIN/pg_dump" -Fc -f nesting3000.fc json_nesting
    "$PGSCRUB" scrub -q -r nesting.yaml -i nesting3000.fc -o deep-ok.fc
    "$BIN/pg_restore" -f - deep-ok.fc | grep -q 'ann.baker' && fail "3,000 deep: the e-mail survived"
    fresh_db json_nesting_restored
    "$BIN/pg_restore" --exit-on-error -d json_nesting_restored deep-ok.fc
    [ "$(q -d json_nesting_restored -c "SELECT jsonb_typeof(body) FROM docs")" = array ] || fail "3,000 deep: not restored"
    ;;
unknown-entry-kind)
    # A TOC entry kind pgscrub does not know might carry rows: refused, named,
    # with the option that lets it through.
    python3 -c "import sys; d=open('good.fc','rb').read(); assert b'SEQUENCE SET' in d; open('odd.fc','wb').write(d.replace(b'SEQUENCE SET', b'SEQUENCE SXT'))"
    printf 'version: 1\nunlisted_tables: keep\nunlisted_columns: keep\ntables: {}\n' > keep.yaml
    set +e
    "$PGSCRUB" scrub -r keep.yaml -i odd.fc -o out.result 2> err.txt
    rc=$?
    set -e
    [ "$rc" = 3 ] || { cat err.txt; fail "exit code $rc, expected 3"; }
    grep -q 'TOC entry kind "SEQUENCE SXT" is unknown to pgscrub.*--allow-entry "SEQUENCE SXT"' err.txt || { cat err.txt; fail "unknown kind not named"; }
    grep -q 'TOC entry [0-9]' err.txt || { cat err.txt; fail "the entry is not named"; }
    [ ! -e out.result ] || fail "output written although an entry kind was unknown"
    "$PGSCRUB" scrub -q -r keep.yaml -i odd.fc -o allowed.fc --allow-entry "SEQUENCE SXT,ANOTHER"
    cmp odd.fc allowed.fc || fail "--allow-entry did not pass the archive through unchanged"
    # A kind that is no pg_dump word (data where a kind should be) is refused without being shown.
    python3 -c "import sys; d=open('good.fc','rb').read(); open('data.fc','wb').write(d.replace(b'SEQUENCE SET', b'a@b.org x\tyz'))"
    set +e
    "$PGSCRUB" scrub -r keep.yaml -i data.fc -o out.result 2> err.txt
    rc=$?
    set -e
    [ "$rc" = 3 ] || { cat err.txt; fail "a data-like kind: exit $rc, expected 3"; }
    grep -q 'TOC entry [0-9]*: TOC entry of a kind whose name no pg_dump writes (not shown' err.txt || { cat err.txt; fail "a data-like kind: message"; }
    ! grep -q 'a@b.org' err.txt || fail "a data-like kind was printed"
    [ ! -e out.result ] || fail "output written although an entry kind was unknown"
    ;;
truncate-rule)
    printf 'version: 1\nunlisted_tables: keep\nunlisted_columns: keep\ntables:\n  CRM.Newsletter Signup: truncate\n' > trunc.yaml
    for fmt in custom directory tar; do
        rm -rf "out.$fmt"
        "$PGSCRUB" scrub -r trunc.yaml -q -i good.fc -o "out.$fmt" --format "$fmt"
        fresh_db "trunc_$fmt"
        "$BIN/pg_restore" --exit-on-error -d "trunc_$fmt" "out.$fmt"
        [ "$(q -d "trunc_$fmt" -c 'SELECT count(*) FROM "CRM"."Newsletter Signup"')" = 0 ] || fail "$fmt: truncated table has rows"
        diff <(fingerprint fixture | grep -v 'Newsletter Signup') <(fingerprint "trunc_$fmt" | grep -v 'Newsletter Signup') \
            || fail "$fmt: truncate changed other tables"
    done
    "$BIN/pg_dump" -Fp -f good.sql fixture
    "$PGSCRUB" scrub -r trunc.yaml -q -i good.sql -o out.sql
    fresh_db trunc_plain
    q -d trunc_plain -f out.sql > /dev/null
    [ "$(q -d trunc_plain -c 'SELECT count(*) FROM "CRM"."Newsletter Signup"')" = 0 ] || fail "plain: truncated table has rows"
    ;;
non-utf8-dump)
    # Transforms work on UTF-8; a dump in another encoding is refused, not damaged.
    fresh_db latin1_src
    q -d latin1_src -c "CREATE TABLE person (name text); INSERT INTO person VALUES ('Zoë')"
    "$BIN/pg_dump" -Fc -E LATIN1 -f latin1.fc latin1_src
    printf 'version: 1\nunlisted_tables: fail\nunlisted_columns: fail\ntables:\n  person:\n    columns:\n      name: fake_name\n' > names.yaml
    set +e
    "$PGSCRUB" scrub -r names.yaml -i latin1.fc -o out.result 2> err.txt
    rc=$?
    set -e
    [ "$rc" = 3 ] || { cat err.txt; fail "exit code $rc, expected 3"; }
    grep -q "latin1.fc: the dump's data is in encoding LATIN1; pgscrub transforms UTF-8 data only — dump it again with pg_dump -E UTF8" err.txt \
        || { cat err.txt; fail "message"; }
    [ ! -e out.result ] || fail "output written for a LATIN1 dump"
    ;;
missing-key)
    printf 'version: 1\nunlisted_tables: keep\nunlisted_columns: keep\ntables: {}\n' > k.yaml
    set +e
    env -u PGSCRUB_SECRET "$PGSCRUB" scrub -r k.yaml -i good.fc -o out.result 2> err.txt
    rc=$?
    PGSCRUB_SECRET=short "$PGSCRUB" scrub -r k.yaml -i good.fc -o out.result 2> err2.txt
    rc2=$?
    set -e
    [ "$rc" = 2 ] && [ "$rc2" = 2 ] || fail "scrub without a usable key exited $rc/$rc2, expected 2"
    grep -q 'no key: set the environment variable PGSCRUB_SECRET' err.txt || { cat err.txt; fail "message"; }
    grep -q 'the key is too short (5 bytes)' err2.txt || { cat err2.txt; fail "message"; }
    [ ! -e out.result ] || fail "output written without a key"
    ;;
interrupted)
    # Ctrl-C in the middle of a run: the partial output must go.
    mkfifo slow.fifo
    "$PGSCRUB" scrub -r keep.yaml -q -i slow.fifo -o out.result 2> err.txt &
    pid=$!
    exec 3> slow.fifo
    size=$(stat -c %s good.fc)
    head -c $((size / 2)) good.fc >&3
    for _ in $(seq 50); do compgen -G 'out.result.pgscrub-partial-*' > /dev/null && break; sleep 0.1; done
    compgen -G 'out.result.pgscrub-partial-*' > /dev/null || fail "no partial output appeared while running"
    kill -INT "$pid"
    set +e
    wait "$pid"
    rc=$?
    set -e
    exec 3>&-
    [ "$rc" = 3 ] || { cat err.txt; fail "interrupted run exited $rc, expected 3"; }
    grep -q 'interrupted by signal 2; partial output removed' err.txt || { cat err.txt; fail "message"; }
    if compgen -G 'out.result*' > /dev/null; then ls -la out.result* >&2; fail "output left behind after Ctrl-C"; fi
    ;;
interrupted-inside-a-value)
    # Ctrl-C while the time goes into one 30 MiB value (detectors, the
    # --verify explorer, scan), with no I/O to notice the signal at: the run
    # still stops within a second, exit 3, nothing left behind.
    python3 - > field.copy <<'PY'
import sys
out, size, i = [], 0, 0
while size < 30 << 20:
    part = f"contact person{i}@fastmail.com or +44 20 {7000 + i % 999:04d} {1000 + i % 8999:04d} about order {i} "
    out.append(part); size += len(part); i += 1
sys.stdout.write("1\t" + "".join(out) + "\n")
PY
    fresh_db big_value
    q -d big_value -c "CREATE TABLE notes (id int, body text)"
    q -d big_value -c "\copy notes FROM '$work/field.copy'"
    "$BIN/pg_dump" -Fc -Z0 -f big.fc big_value
    rm field.copy
    printf 'version: 1\ntables:\n  notes:\n    keep: [id]\n    columns: {body: redact}\n' > redact.yaml
    # stop_after SECONDS COMMAND...: SIGINT after SECONDS; the command must end
    # within 1 s of it with exit 3 and the interruption message.
    stop_after() {
        local delay="$1" pid rc sent ended
        shift
        "$@" 2> err.txt > /dev/null &
        pid=$!
        sleep "$delay"
        kill -0 "$pid" 2> /dev/null || { cat err.txt; fail "$*: finished before the signal; make the value larger"; }
        sent=$(date +%s%N)
        kill -INT "$pid"
        set +e
        wait "$pid"
        rc=$?
        set -e
        ended=$(date +%s%N)
        [ "$rc" = 3 ] || { cat err.txt; fail "$*: exit $rc after SIGINT, expected 3"; }
        grep -q 'interrupted by signal 2' err.txt || { cat err.txt; fail "$*: message"; }
        [ "$(wc -l < err.txt)" = 1 ] || { cat err.txt; fail "$*: expected one line"; }
        echo "stopped $(( (ended - sent) / 1000000 )) ms after SIGINT at ${delay} s: $*"
        # A second, as promised; a run that notices signals only at I/O takes
        # up to 1.7 s here (and longer with larger values), this one 15-500 ms.
        [ $(( (ended - sent) / 1000000 )) -le 1000 ] || fail "$*: took more than a second to stop"
    }
    # The run spends ~3 s inside the one value: detectors, then the explorer
    # remembering originals, then the read-back. Interrupt each phase.
    for delay in 0.5 0.9 1.3 1.7 2.1; do
        stop_after "$delay" "$PGSCRUB" scrub -q -r redact.yaml -i big.fc -o out.result --verify
        if compgen -G 'out.result*' > /dev/null; then ls -la out.result* >&2; fail "output left behind after Ctrl-C"; fi
    done
    stop_after 0.25 "$PGSCRUB" scan big.fc
    ;;
*) fail "unknown case $case_name" ;;
esac
echo "PASS: $case_name"
