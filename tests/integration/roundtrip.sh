#!/usr/bin/env bash
# Round trips through real pg_dump, pgscrub scrub (keep-everything rules) and
# real pg_restore/psql: the restored database must equal the source, table by
# table, sequence by sequence, large object by large object.
#   roundtrip.sh VERSION CASE
source "$(dirname "$0")/lib.sh"
version="$1" case_name="$2"
use_cluster "$version"
work="$PGSCRUB_TEST_ROOT/roundtrip-$version-$case_name"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
printf 'version: 1\nunlisted_tables: keep\nunlisted_columns: keep\ntables: {}\n' > keep.yaml
db="rt_${version}_${case_name//-/_}"

scrub() { "$PGSCRUB" scrub -r keep.yaml -q "$@"; }

# The data offsets of a custom archive written to a file must be set (flag 2),
# so pg_restore -j can schedule and seek.
assert_lists() {
    "$BIN/pg_restore" -l "$1" > toc.list || fail "pg_restore -l $1"
    grep -q 'TABLE DATA public people' toc.list || fail "pg_restore -l $1 does not list TABLE DATA public people"
}

case "$case_name" in
custom-*-identical)
    # custom-Z-identical: Z is gzip, z0, lz4 or zstd (pg_dump -Z).
    z="${case_name#custom-}"; z="${z%-identical}"
    case "$z" in gzip) opts=() ;; z0) opts=(-Z0) ;; *) opts=(-Z "$z") ;; esac
    "$BIN/pg_dump" -Fc "${opts[@]}" -f in.fc fixture
    scrub -i in.fc -o out.fc --report report.json
    cmp in.fc out.fc || fail "keep-everything custom -> custom is not byte-identical"
    python3 - <<'PY' || fail "report of a pass-through"
import json
tables = json.load(open('report.json'))['tables']
assert len(tables) == 8 and all(t['copied_as_stored'] and t['action'] == 'kept' for t in tables), tables
PY
    assert_lists out.fc
    restore_and_compare out.fc "$db" -j 2
    ;;
statistics-identical)
    # PostgreSQL 18: keep-everything rules keep every statistic, byte for byte.
    q -d fixture -c "ANALYZE" > /dev/null
    "$BIN/pg_dump" --statistics -Fc -f in.fc fixture
    "$BIN/pg_restore" -l in.fc | grep -q 'STATISTICS DATA public people' || fail "pg_dump wrote no statistics"
    scrub -i in.fc -o out.fc
    cmp in.fc out.fc || fail "keep-everything rules changed the statistics"
    restore_and_compare out.fc "$db"
    ;;
custom-rewrite | custom-rewrite-j1)
    # -j 2 compresses gzip blocks on two threads (pigz style); -j 1 on one.
    [ "$case_name" = custom-rewrite ] && jobs=2 || jobs=1
    "$BIN/pg_dump" -Fc -f in.fc fixture
    scrub -i in.fc -o out.fc --rewrite-all -j "$jobs" --report report.json
    assert_lists out.fc
    python3 - <<'PY' || fail "report of a --rewrite-all pass"
import json
tables = {t['table']: t for t in json.load(open('report.json'))['tables']}
people = tables['public.people']
assert people['rows'] == 20006 and not people['copied_as_stored'], people
assert people['copy_bytes_in'] > people['stored_bytes_in'] > 0, people
assert tables['public.empty_table']['rows'] == 0
PY
    restore_and_compare out.fc "$db" -j 2
    ;;
custom-pipes)
    # pg_dump | pgscrub | pg_restore: nothing seekable anywhere.
    "$BIN/pg_dump" -Fc fixture | scrub | cat > piped.fc
    fresh_db "$db"
    "$BIN/pg_dump" -Fc fixture | scrub --rewrite-all | "$BIN/pg_restore" --exit-on-error -d "$db"
    compare_with_fixture "$db"
    restore_and_compare piped.fc "${db}_file"
    ;;
custom-to-fifo)
    # A device or named pipe is written in place, never replaced by a file
    # renamed over it (that once turned /dev/null into a regular file).
    "$BIN/pg_dump" -Fc -f in.fc fixture
    mkfifo out.fifo
    cat out.fifo > from-fifo.fc &
    reader=$!
    scrub -i in.fc -o out.fifo
    wait "$reader"
    [ -p out.fifo ] || fail "the named pipe was replaced by a regular file"
    scrub -i in.fc -o /dev/null
    [ -c /dev/null ] || fail "/dev/null is no longer a character device"
    restore_and_compare from-fifo.fc "$db"
    ;;
custom-stdin-to-file)
    "$BIN/pg_dump" -Fc -f in.fc fixture
    scrub < in.fc > out.fc
    assert_lists out.fc
    restore_and_compare out.fc "$db" -j 2
    ;;
directory | directory-rewrite | directory-lz4 | directory-zstd)
    opts=(); extra=()
    case "$case_name" in
    directory-rewrite) extra=(--rewrite-all -j 2) ;;
    directory-lz4 | directory-zstd) opts=(-Z "${case_name#directory-}") ;;
    esac
    "$BIN/pg_dump" -Fd "${opts[@]}" -f in.dir fixture
    scrub -i in.dir -o out.dir "${extra[@]}"
    [ -f out.dir/toc.dat ] || fail "no toc.dat in the output directory"
    cmp in.dir/toc.dat out.dir/toc.dat || fail "toc.dat changed in a directory -> directory pass"
    if [ "${#extra[@]}" = 0 ]; then
        diff <(cd in.dir && ls) <(cd out.dir && ls) || fail "directory pass-through changed the file names"
    fi
    restore_and_compare out.dir "$db" -j 2
    ;;
directory-to-custom)
    "$BIN/pg_dump" -Fd -f in.dir fixture
    scrub -i in.dir -o out.fc --format custom
    assert_lists out.fc
    restore_and_compare out.fc "$db" -j 2
    ;;
custom-to-directory)
    "$BIN/pg_dump" -Fc -f in.fc fixture
    scrub -i in.fc -o out.dir --format directory
    restore_and_compare out.dir "$db" -j 2
    ;;
custom-to-tar | tar | tar-rewrite | tar-pipes)
    if [ "$case_name" = custom-to-tar ]; then
        "$BIN/pg_dump" -Fc -f in.fc fixture
        scrub -i in.fc -o out.tar --format tar
    else
        "$BIN/pg_dump" -Ft -f in.tar fixture
        case "$case_name" in
        tar) scrub -i in.tar -o out.tar ;;
        tar-rewrite) scrub -i in.tar -o out.tar --rewrite-all ;;
        tar-pipes) scrub < in.tar | cat > out.tar ;;
        esac
    fi
    restore_and_compare out.tar "$db"
    ;;
plain | plain-rewrite)
    "$BIN/pg_dump" -Fp -f in.sql fixture
    extra=(); [ "$case_name" = plain-rewrite ] && extra=(--rewrite-all)
    scrub -i in.sql -o out.sql "${extra[@]}"
    cmp in.sql out.sql || fail "keep-everything plain -> plain changed the script"
    fresh_db "$db"
    q -d "$db" -f out.sql >/dev/null
    compare_with_fixture "$db"
    ;;
compress-*)
    # compress-FROM-TO, e.g. compress-gzip-none: dump with FROM, convert to TO.
    from="${case_name#compress-}"; from="${from%%-*}"; to="${case_name##*-}"
    case "$from" in none) zopt=(-Z0) ;; gzip) zopt=() ;; *) zopt=(-Z "$from") ;; esac
    for fmt in c d; do
        rm -rf "in.$fmt" "out.$fmt"
        "$BIN/pg_dump" -F"$fmt" "${zopt[@]}" -f "in.$fmt" fixture
        scrub -i "in.$fmt" -o "out.$fmt" --compress "$to"
        header="$("$BIN/pg_restore" -l "out.$fmt" | grep -i '^; *Compression')"
        case "$to" in
        none) echo "$header" | grep -Eq ': (0|none)$' || fail "out.$fmt header says '$header', expected no compression" ;;
        gzip*) echo "$header" | grep -Eq ': (-1|[1-9]|gzip)$' || fail "out.$fmt header says '$header', expected gzip" ;;
        *) echo "$header" | grep -q "${to%%:*}" || fail "out.$fmt header says '$header', expected $to" ;;
        esac
        restore_and_compare "out.$fmt" "${db}_$fmt" -j 2
    done
    ;;
*) fail "unknown case $case_name" ;;
esac
echo "PASS: PostgreSQL $version $case_name"
