#!/usr/bin/env bash
# `pgscrub media sync` between local directories, through the real binary:
# what a dry run lists, a first copy that equals the source (awkward keys and
# an empty file included), a second run that copies nothing, a same-size
# edit on the target reverted, a changed source copied, --delete only with
# --confirm and only inside the filter, the Wagtail preset, the guardrails,
# and a run stopped by Ctrl-C that a re-run finishes without copying twice.
source "$(dirname "$0")/../lib.sh"
work="$PGSCRUB_TEST_ROOT/media-sync-local"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

mkdir -p src/original_images src/images src/documents
printf 'jpeg bytes' > src/original_images/photo.jpg
printf 'spaces' > "src/original_images/a b+c=d%20e.jpg"
printf 'unicode' > "src/original_images/ünïcode ☃.png"
: > src/documents/empty.pdf
printf 'rendition' > src/images/photo.fill-100x100.jpg

sync() { "$PGSCRUB" media sync --from src --to dst "$@"; }

# A dry run lists every copy and writes nothing.
sync --dry-run 2> dry.txt
[ "$(grep -c '^would copy ' dry.txt)" = 5 ] || { cat dry.txt; fail "dry run: expected 5 copies listed"; }
grep -q '(dry run): 5 source objects, 0 outside the filter; 5 to copy' dry.txt || { cat dry.txt; fail "dry run summary"; }
[ ! -e dst ] || fail "dry run wrote to the target"

# The first run copies everything, byte for byte.
sync 2> first.txt
grep -q ': 5 source objects, 0 outside the filter; 5 copied (' first.txt || { cat first.txt; fail "first run summary"; }
diff -r src dst > /dev/null 2>&1 || true
for f in "original_images/photo.jpg" "original_images/a b+c=d%20e.jpg" "original_images/ünïcode ☃.png" \
         "documents/empty.pdf" "images/photo.fill-100x100.jpg"; do
    cmp -s "src/$f" "dst/$f" || fail "copy of $f differs"
done
[ -f dst/.pgscrub-media.json ] || fail "no manifest in the target"
python3 -c "import json,sys; m=json.load(open('dst/.pgscrub-media.json')); assert len(m['objects'])==5, m" || fail "manifest"

# A second run with nothing changed copies nothing.
sync 2> second.txt
grep -q '; 0 copied (0 bytes; 0 images cleaned of metadata), 0 deleted, 5 already in step' second.txt || { cat second.txt; fail "second run copied something"; }

# A same-size edit on the target (aws s3 sync never notices one) is reverted.
printf 'JPEG BYTES' > dst/original_images/photo.jpg
touch -d '+1 minute' dst/original_images/photo.jpg
sync --dry-run 2> edited.txt
grep -q '^would copy original_images/photo.jpg (10 bytes, target changed)$' edited.txt || { cat edited.txt; fail "same-size edit not noticed"; }
sync 2> /dev/null
cmp -s src/original_images/photo.jpg dst/original_images/photo.jpg || fail "edit not reverted"

# A changed source is copied again.
printf 'new jpeg bytes' > src/original_images/photo.jpg
sync 2> changed.txt
grep -q '; 1 copied (14 bytes;' changed.txt || { cat changed.txt; fail "changed source not copied"; }

# --delete needs --confirm naming the target, and deletes inside the filter only.
printf 'stale' > dst/original_images/stale.jpg
printf 'stale' > dst/images/stale-rendition.jpg
set +e
sync --delete 2> nodelete.txt
rc=$?
set -e
[ "$rc" = 2 ] || fail "--delete without --confirm exited $rc, expected 2"
grep -q 'without --confirm dst' nodelete.txt || { cat nodelete.txt; fail "--delete refusal message"; }
[ -f dst/original_images/stale.jpg ] || fail "refused --delete deleted something"
sync --preset wagtail-originals --delete --confirm dst 2> deleted.txt
[ ! -e dst/original_images/stale.jpg ] || fail "--delete left a key the source lacks"
[ -f dst/images/stale-rendition.jpg ] || fail "--delete removed a key outside the filter"

# The Wagtail preset pulls original images only.
sync_to() { "$PGSCRUB" media sync --from src --to "$1" "${@:2}"; }
sync_to originals --preset wagtail-originals 2> preset.txt
[ "$(find originals -type f ! -name .pgscrub-media.json | wc -l)" = 3 ] || { find originals; fail "preset copied more than original_images/"; }

# Guardrails: a target inside its source, and a bucket that looks like production, are refused.
for args in "--to src/inside" "--to s3://media-prod/x"; do
    set +e
    # shellcheck disable=SC2086
    "$PGSCRUB" media sync --from src $args 2> refused.txt
    rc=$?
    set -e
    [ "$rc" = 2 ] || { cat refused.txt; fail "media sync $args exited $rc, expected 2"; }
    [ "$(wc -l < refused.txt)" = 1 ] || { cat refused.txt; fail "media sync $args: expected one line"; }
done
[ ! -e src/inside ] || fail "a refused sync wrote into its source"

# On a terminal, a progress line (objects, bytes, rate), cleared before the
# summary; never in a pipe or a file (the runs above), nor in a dry run.
! grep -q $'\r' first.txt dry.txt || fail "a progress line was written to a file"
if command -v script > /dev/null; then
    script -qec "'$PGSCRUB' media sync --from src --to tty-copy" /dev/null > tty.txt
    grep -q $'\r\e\[Kpgscrub: media [0-5]/5 objects, [0-9.]* [kMG]*B of 36 B' tty.txt || { cat -A tty.txt; fail "no progress line on a terminal"; }
    grep -q $'\r\e\[Kpgscrub media sync: 5 source objects' tty.txt || { cat -A tty.txt; fail "the progress line was not cleared before the summary"; }
    script -qec "'$PGSCRUB' media sync --from src --to tty-dry --dry-run" /dev/null > tty-dry.txt
    ! grep -q 'pgscrub: media ' tty-dry.txt || { cat -A tty-dry.txt; fail "a dry run showed a progress line"; }
else
    echo "note: util-linux script(1) is missing: the progress line on a terminal is not checked" >&2
fi

# Ctrl-C in the middle: exit 3; what was committed is recorded, and a re-run
# copies only the rest.
mkdir -p many
python3 - <<'PY'
import os
for i in range(400):
    with open(f"many/obj-{i:04d}.bin", "wb") as f:
        f.write(os.urandom(256 * 1024))
PY
"$PGSCRUB" media sync --from many --to many-copy -j 1 2> cut.txt &
pid=$!
# Ctrl-C once the first objects are in (a fixed sleep lost the race on a quiet
# machine, where the whole copy takes ~0.3 s).
for _ in $(seq 1000); do
    [ "$(find many-copy -name 'obj-*.bin' 2> /dev/null | wc -l)" -ge 3 ] && break
    sleep 0.005
done
kill -INT "$pid" 2> /dev/null || fail "the sync finished before Ctrl-C; make the objects larger"
set +e
wait "$pid"
rc=$?
set -e
[ "$rc" = 3 ] || { cat cut.txt; fail "interrupted media sync exited $rc, expected 3"; }
done_first=$(python3 -c "import json; print(len(json.load(open('many-copy/.pgscrub-media.json'))['objects']))")
[ "$done_first" -lt 400 ] || fail "the interrupt came after the run had finished; make the objects larger"
"$PGSCRUB" media sync --from many --to many-copy 2> rerun.txt
grep -q "; $((400 - done_first)) copied (" rerun.txt || { cat rerun.txt; fail "the re-run copied more than what was left ($done_first done before)"; }
diff -r many many-copy -x .pgscrub-media.json || fail "after the re-run the copy differs"
echo "PASS: media sync between local directories"
