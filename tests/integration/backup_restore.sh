#!/usr/bin/env bash
# pgscrub backup and pgscrub restore against a real cluster, with the real
# pg_dump and pg_restore underneath: backups pg_restore accepts, with a
# manifest whose sha256 is the file's; restores equal to the fixture;
# guardrails that refuse (exit 2) and leave the target byte-for-byte as it
# was; one run per target; swap that leaves the target intact when the
# restore fails; Heroku's heroku_ext schema; Ctrl-C; no password anywhere.
#   backup_restore.sh CASE
source "$(dirname "$0")/lib.sh"
case_name="$1"
use_cluster 15
work="$PGSCRUB_TEST_ROOT/backup-restore-$case_name"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
"$BIN/pg_dump" -Fc -f fixture.dump fixture
# Each case uses databases named after it, so cases can run side by side.
db="br_${case_name//-/_}"

# run EXPECTED_EXIT pgscrub-args...: runs pgscrub with stdout/stderr in
# out.txt/err.txt and checks the exit code.
run() {
    local want="$1"
    shift
    set +e
    "$PGSCRUB" "$@" > out.txt 2> err.txt
    local rc=$?
    set -e
    cat err.txt >> all-output.txt
    cat out.txt >> all-output.txt
    [ "$rc" = "$want" ] || { cat err.txt >&2; fail "pgscrub $1 exited $rc, expected $want"; }
}

one_line() {
    [ "$(wc -l < err.txt)" = 1 ] || { cat err.txt >&2; fail "expected one line on stderr"; }
    grep -Eq -- "$1" err.txt || { cat err.txt >&2; fail "message does not match /$1/"; }
    echo "ok: $(cat err.txt)"
}

# A target holding its own data, to see whether a refused run touched it.
make_target() {
    fresh_db "$1"
    q -d "$1" -c "CREATE TABLE staging_only (id int PRIMARY KEY, note text); INSERT INTO staging_only VALUES (1, 'kept'), (2, 'also kept')"
}

# The target's data, and the databases named after it (none may appear or
# go); other cases' databases may come and go meanwhile.
snapshot() { { fingerprint "$1"; q -c "SELECT datname FROM pg_database WHERE datname LIKE '$1%' ORDER BY 1"; } > "$2"; }

untouched() {
    local name="$1" before="$2"
    diff -u "$before" <(snapshot "$name" /dev/stdout) || fail "$name changed although the run was refused or failed"
}

no_side_databases() {
    local left
    left="$(q -c "SELECT datname FROM pg_database WHERE datname LIKE '${db}%pgscrub%'")"
    [ -z "$left" ] || fail "databases left behind: $left"
}

case "$case_name" in
backup)
    run 0 backup --db "postgresql:///fixture" -o fixture-backup.dump
    one_line '^pgscrub backup: fixture-backup\.dump \([0-9.]+ KiB, database fixture, PostgreSQL 15\..*\) in [0-9.]+ s; sha256 [0-9a-f]{64}; manifest fixture-backup\.dump\.manifest\.json$'
    "$BIN/pg_restore" -l fixture-backup.dump > toc.txt || fail "pg_restore -l rejects the backup"
    grep -q 'TABLE DATA public people' toc.txt || fail "the backup lacks the fixture's tables"
    python3 - fixture-backup.dump <<'PY'
import hashlib, json, os, sys
path = sys.argv[1]
m = json.load(open(path + ".manifest.json"))
data = open(path, "rb").read()
assert m["sha256"] == hashlib.sha256(data).hexdigest(), "sha256"
assert m["size"] == len(data) == os.path.getsize(path), "size"
assert m["file"] == "fixture-backup.dump" and m["format"] == "custom"
assert m["database"] == "fixture", m["database"]
assert m["server_version"].startswith("15."), m["server_version"]
assert m["pg_dump_version"].startswith("pg_dump (PostgreSQL) 15"), m["pg_dump_version"]
assert m["created_at"].endswith("Z") and m["pgscrub_version"], m
PY
    [ "$(sha256sum < fixture-backup.dump | cut -d' ' -f1)" = "$(python3 -c 'import json;print(json.load(open("fixture-backup.dump.manifest.json"))["sha256"])')" ] \
        || fail "manifest sha256 differs from sha256sum"
    if compgen -G '*pgscrub-partial*' > /dev/null; then fail "temporary files left behind"; fi
    restore_and_compare fixture-backup.dump "$db" --no-owner
    # A backup must be a file: the manifest describes its bytes.
    run 2 backup --db "postgresql:///fixture" -o -
    one_line 'give -o FILE, not -o -'
    ;;
backup-missing-db)
    run 3 backup --db "postgresql:///no_such_database" -o missing.dump
    one_line '^pgscrub backup: postgresql:///no_such_database: cannot connect: .*database "no_such_database" does not exist'
    if compgen -G 'missing.dump*' > /dev/null; then ls -la >&2; fail "a failed backup left files"; fi
    # pg_dump itself failing (no such tool directory) leaves nothing either.
    run 3 backup --db "postgresql:///fixture" -o missing.dump --pg-bin /nonexistent/bin
    one_line 'no executable pg_dump in /nonexistent/bin'
    if compgen -G 'missing.dump*' > /dev/null; then ls -la >&2; fail "a failed backup left files"; fi
    ;;
restore)
    fresh_db "$db"
    run 0 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db"
    one_line "^pgscrub restore: fixture\.dump restored into postgresql:///$db in [0-9.]+ s$"
    compare_with_fixture "$db"
    # Row counts, table by table, as the fixture has them.
    diff <(q -d fixture -c "SELECT relname, n_live_tup FROM pg_stat_user_tables ORDER BY 1" | cut -d'|' -f1) \
         <(q -d "$db" -c "SELECT relname, n_live_tup FROM pg_stat_user_tables ORDER BY 1" | cut -d'|' -f1) || fail "tables differ"
    # Into a database that already holds the objects: pg_restore's own error, exit 3.
    run 3 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db"
    one_line '^pgscrub restore: fixture\.dump: pg_restore exited with status 1: .*already exists'
    # --clean replaces them (the drops pg_restore cannot do on partitions
    # are harmless: their parents' drops take them); -j 2 restores in parallel.
    run 0 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db" --clean -j 2
    compare_with_fixture "$db"
    # A real error in a clean restore still fails, naming the first one: a
    # view the archive does not know keeps a table from being dropped.
    q -d "$db" -c "CREATE VIEW target_only_view AS SELECT * FROM people"
    run 3 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db" --clean
    one_line '^pgscrub restore: fixture\.dump: pg_restore failed: pg_restore: error: could not execute query: ERROR: .* already exists / Command was: CREATE .* \(and [0-9]+ more errors\)$'
    q -d "$db" -c "DROP VIEW target_only_view"
    # In one transaction the clean phase's harmless drops on partitions stop
    # pg_restore, and nothing of the restore stays.
    snapshot "$db" before.txt
    run 3 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db" --clean --single-transaction
    one_line 'harmless only outside one transaction: restore without --single-transaction, or into a fresh database'
    untouched "$db" before.txt
    # --single-transaction: a whole restore, or (a truncated archive) nothing at all.
    fresh_db "$db"
    run 0 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db" --single-transaction
    compare_with_fixture "$db"
    fresh_db "$db"
    snapshot "$db" before.txt
    head -c $(( $(stat -c %s fixture.dump) * 2 / 3 )) fixture.dump > truncated.dump
    run 3 restore -i truncated.dump --db "postgresql:///$db" --confirm "$db" --single-transaction
    one_line '^pgscrub restore: truncated\.dump: pg_restore exited with status 1: .*'
    untouched "$db" before.txt
    # From a directory archive, and from a stream on stdin.
    "$BIN/pg_dump" -Fd -f fixture.dir fixture
    fresh_db "$db"
    run 0 restore -i fixture.dir --db "postgresql:///$db" --confirm "$db" -j 2
    compare_with_fixture "$db"
    fresh_db "$db"
    set +e
    "$PGSCRUB" restore -i - --db "postgresql:///$db" --confirm "$db" < fixture.dump 2> err.txt
    rc=$?
    set -e
    [ "$rc" = 0 ] || { cat err.txt; fail "restore from stdin exited $rc"; }
    compare_with_fixture "$db"
    # Owners and grants are left out by default: the tables belong to whoever restored.
    q -c "DROP ROLE IF EXISTS br_owner" 2> /dev/null && q -c "CREATE ROLE br_owner"
    q -d "$db" -c "ALTER TABLE people OWNER TO br_owner"
    "$BIN/pg_dump" -Fc -f owned.dump "$db"
    fresh_db "$db"
    run 0 restore -i owned.dump --db "postgresql:///$db" --confirm "$db"
    [ "$(q -d "$db" -c "SELECT tableowner FROM pg_tables WHERE tablename = 'people'")" = postgres ] || fail "--no-owner by default"
    fresh_db "$db"
    run 0 restore -i owned.dump --db "postgresql:///$db" --confirm "$db" --owner
    [ "$(q -d "$db" -c "SELECT tableowner FROM pg_tables WHERE tablename = 'people'")" = br_owner ] || fail "--owner keeps owners"
    q -c "DROP DATABASE $db" && q -c "DROP ROLE br_owner"
    # A plain SQL dump is not pg_restore's: a clear message, exit 3.
    "$BIN/pg_dump" -Fp -f fixture.sql fixture
    fresh_db "$db"
    run 3 restore -i fixture.sql --db "postgresql:///$db" --confirm "$db"
    one_line 'plain SQL dump, which pg_restore cannot read: restore it with psql -f'
    ;;
refusals)
    make_target "$db"
    snapshot "$db" before.txt
    run 2 restore -i fixture.dump --db "postgresql:///$db" --confirm wrong_name
    one_line "^pgscrub restore: refusing to write to postgresql:///$db: the confirmation \"wrong_name\" is not its database name \"$db\""
    untouched "$db" before.txt
    run 2 restore -i fixture.dump --db "postgresql:///$db"
    one_line "refusing to write to postgresql:///$db without a confirmation"
    untouched "$db" before.txt
    run 2 restore -i fixture.dump --db "postgresql:///$db" --confirm wrong_name --strategy swap
    untouched "$db" before.txt
    # The name in the address is empty: the server's name is compared.
    run 2 restore -i fixture.dump --db "user=postgres" --confirm "$db"
    one_line "the confirmation \"$db\" is not the name the server reports for it, \"postgres\""
    untouched "$db" before.txt
    # Production-like names are refused unless allowed.
    prod="${db}_prod_copy"
    make_target "$prod"
    snapshot "$prod" before-prod.txt
    run 2 restore -i fixture.dump --db "postgresql:///$prod" --confirm "$prod"
    one_line 'looks like production'
    untouched "$prod" before-prod.txt
    run 2 restore -i fixture.dump --db "postgresql:///$prod" --confirm "$prod" --strategy swap
    untouched "$prod" before-prod.txt
    run 0 restore -i fixture.dump --db "postgresql:///$prod" --confirm "$prod" --allow-production-like-target --strategy swap
    compare_with_fixture "$prod"
    q -c "DROP DATABASE $prod"
    # Usage errors are exit 2 as well.
    run 2 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db" --strategy swap --clean
    run 2 restore -i - --db "postgresql:///$db" --confirm "$db" -j 2
    untouched "$db" before.txt
    ;;
lock)
    make_target "$db"
    # A session holding the lock pgscrub takes: pgscrub refuses, naming it.
    mkfifo hold.fifo
    "$BIN/psql" -X -q -v ON_ERROR_STOP=1 -At < hold.fifo > hold.out 2>&1 &
    holder=$!
    exec 3> hold.fifo
    echo "SELECT pg_advisory_lock(x'70677363'::int, hashtext('$db')); SELECT 'locked';" >&3
    for _ in $(seq 100); do grep -q locked hold.out 2> /dev/null && break; sleep 0.1; done
    grep -q locked hold.out || fail "the test could not take the lock"
    snapshot "$db" before.txt
    run 2 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db"
    one_line "another pgscrub run holds the lock on database \"$db\" \(server process [0-9]+, connected since .* UTC\) — wait for it to finish"
    untouched "$db" before.txt
    exec 3>&-
    wait "$holder" || true
    # Two real runs: the first waits for its archive on a pipe, holding the lock.
    mkfifo archive.fifo
    "$PGSCRUB" restore -i archive.fifo --db "postgresql:///$db" --confirm "$db" --strategy swap 2> first.err &
    first=$!
    exec 4> archive.fifo # returns once the first run opened it, after it took the lock
    run 2 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db" --strategy swap
    one_line 'another pgscrub run holds the lock'
    cat fixture.dump >&4
    exec 4>&-
    wait "$first" || { cat first.err; fail "the first run failed"; }
    compare_with_fixture "$db"
    # Released when the run ends: the next run goes ahead.
    run 0 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db" --clean
    compare_with_fixture "$db"
    ;;
swap)
    make_target "$db"
    # A client connected to the target is disconnected by the swap.
    "$BIN/psql" -X -q -d "$db" -c "SELECT pg_sleep(60)" > /dev/null 2>&1 &
    client=$!
    run 0 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db" --strategy swap
    one_line "^pgscrub restore: fixture\.dump restored into a fresh database and swapped into place as postgresql:///$db in [0-9.]+ s; the previous one dropped$"
    wait "$client" || true
    compare_with_fixture "$db"
    no_side_databases
    # --keep-old keeps the previous target under a name that says what it is.
    run 0 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db" --strategy swap --keep-old
    old="$(q -c "SELECT datname FROM pg_database WHERE datname LIKE '${db}_pgscrub_old_%'")"
    [ -n "$old" ] || fail "--keep-old kept nothing"
    grep -qF "the previous one kept as \"$old\"" err.txt || fail "the kept database is not named"
    compare_with_fixture "$old"
    q -c "DROP DATABASE \"$old\""
    # The fresh database is shaped like the target: owner, encoding, collation.
    q -c "DROP ROLE IF EXISTS br_app" 2> /dev/null && q -c "CREATE ROLE br_app"
    q -c "DROP DATABASE $db" && q -c "CREATE DATABASE $db OWNER br_app TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'"
    q -d "$db" -c "CREATE TABLE staging_only (id int)"
    run 0 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db" --strategy swap
    [ "$(q -c "SELECT pg_get_userbyid(datdba) || ' ' || pg_encoding_to_char(encoding) || ' ' || datcollate || ' ' || datctype FROM pg_database WHERE datname = '$db'")" = "br_app UTF8 C C" ] \
        || fail "the swapped-in database lost the target's owner, encoding or collation"
    q -c "DROP DATABASE $db" && q -c "DROP ROLE br_app"
    # A truncated archive: the restore fails, the target stays as it was.
    make_target "$db"
    snapshot "$db" before.txt
    head -c $(( $(stat -c %s fixture.dump) * 2 / 3 )) fixture.dump > truncated.dump
    run 3 restore -i truncated.dump --db "postgresql:///$db" --confirm "$db" --strategy swap
    one_line '^pgscrub restore: truncated\.dump: pg_restore exited with status 1: .*; the target was not touched$'
    untouched "$db" before.txt
    no_side_databases
    # The same, streamed: the archive ends early on stdin.
    set +e
    "$PGSCRUB" restore -i - --db "postgresql:///$db" --confirm "$db" --strategy swap < truncated.dump 2> err.txt
    rc=$?
    set -e
    [ "$rc" = 3 ] || { cat err.txt; fail "truncated stream exited $rc, expected 3"; }
    untouched "$db" before.txt
    no_side_databases
    ;;
heroku-ext)
    # A Heroku backup: extensions WITH SCHEMA heroku_ext, the schema itself not in the dump.
    src="${db}_src"
    fresh_db "$src"
    q -d "$src" > /dev/null <<'SQL'
CREATE SCHEMA heroku_ext;
CREATE EXTENSION citext WITH SCHEMA heroku_ext;
CREATE EXTENSION pgcrypto WITH SCHEMA heroku_ext;
CREATE TABLE users (id int PRIMARY KEY, email heroku_ext.citext NOT NULL UNIQUE, token text DEFAULT encode(heroku_ext.gen_random_bytes(8), 'hex'));
INSERT INTO users (id, email) VALUES (1, 'Ann@Example.org'), (2, 'bob@example.org');
SQL
    "$BIN/pg_dump" -Fc --exclude-schema=heroku_ext -f heroku.dump "$src"
    "$BIN/pg_restore" -l heroku.dump | grep -q 'EXTENSION - citext' || fail "the dump lacks the extension"
    if "$BIN/pg_restore" -l heroku.dump | grep -q 'SCHEMA - heroku_ext'; then fail "the dump should not create heroku_ext"; fi
    # Stock pg_restore fails on plain PostgreSQL: the premise.
    fresh_db "$db"
    if "$BIN/pg_restore" --exit-on-error --no-owner -d "$db" heroku.dump 2> stock.err; then fail "stock pg_restore should fail"; fi
    grep -q 'schema "heroku_ext" does not exist' stock.err || { cat stock.err; fail "unexpected stock failure"; }
    check_users() {
        # As on Heroku, heroku_ext is on the search path of whoever uses the extensions.
        [ "$(q -d "$1" -c "SET search_path = public, heroku_ext; SELECT count(*) FROM users WHERE email = 'ann@EXAMPLE.org'")" = 1 ] \
            || fail "citext does not work in $1"
        [ "$(q -d "$1" -c "SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'citext'")" = heroku_ext ] || fail "citext not in heroku_ext"
    }
    for how in file stream swap; do
        fresh_db "$db"
        case "$how" in
        file) run 0 restore -i heroku.dump --db "postgresql:///$db" --confirm "$db" ;;
        swap) run 0 restore -i heroku.dump --db "postgresql:///$db" --confirm "$db" --strategy swap ;;
        stream)
            set +e
            "$PGSCRUB" restore -i - --db "postgresql:///$db" --confirm "$db" < heroku.dump 2> err.txt
            [ $? = 0 ] || { cat err.txt; fail "stream restore failed"; }
            set -e
            ;;
        esac
        grep -q 'created schema heroku_ext first' err.txt || { cat err.txt; fail "$how: no note that heroku_ext was created"; }
        check_users "$db"
    done
    # A target that has the schema already is left as it is.
    fresh_db "$db"
    q -d "$db" -c "CREATE SCHEMA heroku_ext"
    run 0 restore -i heroku.dump --db "postgresql:///$db" --confirm "$db"
    if grep -q 'created schema heroku_ext' err.txt; then fail "heroku_ext created although it existed"; fi
    check_users "$db"
    ;;
interrupted)
    make_target "$db"
    snapshot "$db" before.txt
    mkfifo archive.fifo
    "$PGSCRUB" restore -i archive.fifo --db "postgresql:///$db" --confirm "$db" --strategy swap 2> err.txt &
    pid=$!
    exec 3<> archive.fifo # read-write: never blocks, even if pgscrub stopped early
    head -c $(( $(stat -c %s fixture.dump) / 2 )) fixture.dump >&3
    for _ in $(seq 100); do pgrep -P "$pid" -x pg_restore > /dev/null && break; sleep 0.1; done
    child="$(pgrep -P "$pid" -x pg_restore)" || { cat err.txt; fail "pg_restore did not start"; }
    kill -INT "$pid"
    set +e
    wait "$pid"
    rc=$?
    set -e
    exec 3>&-
    [ "$rc" = 3 ] || { cat err.txt; fail "interrupted restore exited $rc, expected 3"; }
    grep -q 'interrupted by a signal' err.txt || { cat err.txt; fail "message"; }
    if kill -0 "$child" 2> /dev/null; then fail "pg_restore (pid $child) outlived pgscrub"; fi
    untouched "$db" before.txt
    no_side_databases
    # The lock went with the run.
    run 0 restore -i fixture.dump --db "postgresql:///$db" --confirm "$db" --strategy swap
    ;;
password)
    # The cluster trusts every local connection, so the password is ignored by
    # the server, but pgscrub must carry it without ever showing it.
    secret='Pw-s3cret-7f2c'
    q -c "DROP ROLE IF EXISTS br_pw_user" 2> /dev/null && q -c "CREATE ROLE br_pw_user LOGIN SUPERUSER PASSWORD '$secret'"
    make_target "$db"
    url="postgresql://br_pw_user:$secret@/$db?host=$PGHOST"
    # A spy on pg_dump/pg_restore: the real tools run; the spy records where
    # the password travelled.
    mkdir spybin
    for tool in pg_dump pg_restore; do
        printf '#!/bin/sh\nprintf "%%s\\n" "$@" >> %s/args.log\n[ "$PGPASSWORD" = "%s" ] && echo "%s got PGPASSWORD" >> %s/env.log\nexec %s/%s "$@"\n' \
            "$work" "$secret" "$tool" "$work" "$BIN" "$tool" > "spybin/$tool"
        chmod +x "spybin/$tool"
    done
    run 0 backup --db "$url" -o pw.dump --pg-bin "$work/spybin"
    run 3 backup --db "postgresql://br_pw_user:$secret@/no_such_db?host=$PGHOST" -o pw2.dump
    run 0 restore -i pw.dump --db "$url" --confirm "$db" --clean --pg-bin "$work/spybin"
    run 0 restore -i fixture.dump --db "$url" --confirm "$db" --strategy swap --pg-bin "$work/spybin"
    run 2 restore -i fixture.dump --db "$url" --confirm wrong
    run 2 restore -i fixture.dump --db "postgresql://br_pw_user:$secret@/${db}_prod?host=$PGHOST" --confirm "${db}_prod"
    run 3 restore -i fixture.dump --db "$url" --confirm "$db" # objects exist: pg_restore fails
    head -c 100000 fixture.dump > truncated.dump
    run 3 restore -i truncated.dump --db "$url" --confirm "$db" --strategy swap
    run 3 restore -i fixture.dump --db "host=$PGHOST dbname=$db user=br_pw_user password=$secret port=1" --confirm "$db"
    run 3 restore -i fixture.dump --db "postgresql://br_pw_user:$secret@/$db?host=$PGHOST&sslmode=bogus" --confirm "$db"
    cat pw.dump.manifest.json >> all-output.txt
    grep -q "postgresql://br_pw_user:\*\*\*@/$db" all-output.txt || { cat all-output.txt; fail "the address is not shown masked"; }
    if grep -F -- "$secret" all-output.txt; then fail "the password appeared in pgscrub's output or the manifest"; fi
    if grep -F -- "$secret" args.log; then fail "the password was passed on a command line"; fi
    grep -q 'pg_dump got PGPASSWORD' env.log && grep -q 'pg_restore got PGPASSWORD' env.log || fail "the password did not reach the tools"
    q -c "DROP DATABASE $db" && q -c "DROP ROLE br_pw_user"
    ;;
*) fail "unknown case $case_name" ;;
esac
echo "PASS: $case_name"
