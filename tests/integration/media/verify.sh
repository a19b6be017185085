#!/usr/bin/env bash
# `pgscrub media verify` after `media sync`, against real components: local
# -> local, local -> S3 and S3 -> S3 (s3rver 3.7.1 from npm, on loopback)
# pass with a photo cleaned and images that cannot be cleaned rightly left
# out; edits made on the target with an independent client (boto3) are
# caught: a same-size edit (content), a deleted key (missing), the uncleaned
# photo (not-cleaned), an uncleanable image put there (unstrippable); a key
# only the target holds passes without --exact and fails with it; --db on
# the PG15 fixture names the key a row points at that the target lacks, and
# a misspelt column is one line, exit 2, with the password masked.
# Skips (77) when npm cannot install s3rver, when node, exiftool,
# python3-boto3 or python3-pil is missing, or without PostgreSQL 15.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/s3rver_lib.sh"
command -v exiftool > /dev/null || { echo "SKIPPED: needs exiftool" >&2; exit 77; }
"$PY" -c 'import PIL.Image' 2> /dev/null || { echo "SKIPPED: needs python3-pil" >&2; exit 77; }

work="$PGSCRUB_TEST_ROOT/media-verify"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
start_s3rver "$work" live-media staging-media

# The source: a photo with GPS and an artist, a document, 30 small files, an
# AVIF and a truncated JPEG (images that cannot be cleaned).
make_media_source 30 2
head -c 200 src/original_images/photo.jpg > src/original_images/broken.jpg
printf '\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf' > src/original_images/upload.avif
printf '%%PDF-1.4 a document' > src/documents/report.pdf
total=$(find src -type f | wc -l)

boto() { "$PY" - "$@"; }
# verify EXPECTED_EXIT NAME ARGS...: runs media verify, output in NAME.txt.
verify() {
    local want="$1" name="$2" rc
    shift 2
    set +e
    "$PGSCRUB" media verify "$@" > "$name.txt" 2>&1
    rc=$?
    set -e
    [ "$rc" = "$want" ] || { cat "$name.txt"; fail "media verify $* exited $rc, expected $want"; }
}
sync_to() {
    set +e
    "$PGSCRUB" media sync --from "$1" --to "$2" > "sync-$3.txt" 2>&1
    local rc=$?
    set -e
    # 1: the two images that cannot be cleaned were left out, as they should be.
    [ "$rc" = 1 ] || { cat "sync-$3.txt"; fail "sync $1 -> $2 exited $rc, expected 1"; }
}
summary_ok() { grep -q ", 2 uncleanable images rightly absent, 0 only in the target (allowed): OK$" "$1.txt" ||
    { cat "$1.txt"; fail "$1: summary"; }; }

# local -> local: sync, then verify passes; the photo was compared cleaned.
sync_to src dst local
verify 0 local --from src --to dst --report local.json
summary_ok local
grep -q "^pgscrub media verify: $total source objects, 0 outside the filter; $((total - 2)) target objects; $((total - 2)) compared, $((total - 2)) match (1 images compared cleaned)" local.txt ||
    { cat local.txt; fail "local -> local counts"; }
"$PY" -c "import json; r = json.load(open('local.json')); assert r['ok'] and r['problems'] == [] and r['matching'] == $((total - 2)), r"
# Without stripping, the cleaned photo is a difference; with --unstrippable
# copy, the two images left out are missing.
verify 1 nostrip --from src --to dst --no-strip-metadata
grep -q '^size original_images/photo.jpg: ' nostrip.txt || { cat nostrip.txt; fail "--no-strip-metadata: cleaned photo not a difference"; }
verify 1 copy --from src --to dst --unstrippable copy
grep -q '^missing original_images/upload.avif: in the source (28 bytes), not in the target$' copy.txt || { cat copy.txt; fail "--unstrippable copy: AVIF not missing"; }
grep -q '^missing original_images/broken.jpg: ' copy.txt || { cat copy.txt; fail "--unstrippable copy: truncated JPEG not missing"; }
verify 2 both --from src --to dst --strip-metadata --no-strip-metadata
verify 2 overlap --from src --to src/bulk
verify 3 nodir --from src --to no-such-dir
grep -q 'no-such-dir' nodir.txt || { cat nodir.txt; fail "a missing directory is not named"; }

# local -> S3, then S3 -> S3: both pass. Bucket to bucket nothing is
# downloaded but the two JPEGs of the source (to clean them): ETags are MD5s.
sync_to src s3://live-media/site/ up
verify 0 up --from src --to s3://live-media/site/
summary_ok up
# Production holds the site's uploads as they are: the photo with its
# metadata, the uncleanable images too.
boto <<'PY'
import boto3, os
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
for name in ("photo.jpg", "upload.avif", "broken.jpg"):
    s3.put_object(Bucket="live-media", Key="site/original_images/" + name, Body=open("src/original_images/" + name, "rb").read())
PY
sync_to s3://live-media/site/ s3://staging-media/ s2s
verify 0 s2s --from s3://live-media/site/ --to s3://staging-media/ --report s2s.json
summary_ok s2s
"$PY" -c "import json; r = json.load(open('s2s.json')); assert r['objects_read'] == 2, r"

# Edits on the target with boto3: a same-size edit, a deleted key, the
# uncleaned photo, an AVIF put there, a key of staging's own.
boto <<'PY'
import boto3, os
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
s3.put_object(Bucket="staging-media", Key="bulk/f01.txt", Body=b"BULK 1")
s3.delete_object(Bucket="staging-media", Key="bulk/f02.txt")
s3.put_object(Bucket="staging-media", Key="original_images/photo.jpg", Body=open("src/original_images/photo.jpg", "rb").read())
s3.put_object(Bucket="staging-media", Key="original_images/upload.avif", Body=open("src/original_images/upload.avif", "rb").read())
s3.put_object(Bucket="staging-media", Key="staging-only/upload.txt", Body=b"made on staging")
PY
verify 1 edited --from s3://live-media/site/ --to s3://staging-media/ --report edited.json
for want in '^content bulk/f01.txt: same size (6 bytes), different bytes from the source$' \
            '^missing bulk/f02.txt: in the source (6 bytes), not in the target$' \
            '^not-cleaned original_images/photo.jpg: the target holds the source image with its metadata' \
            '^unstrippable original_images/upload.avif: an image pgscrub cannot clean (unknown-format: ' \
            '^extra staging-only/upload.txt: only in the target (15 bytes); allowed without --exact$' \
            '; 1 missing, 2 differ, 1 uncleanable images present, 1 uncleanable images rightly absent, 1 only in the target (allowed): DIFFERENCES FOUND$'; do
    grep -q "$want" edited.txt || { cat edited.txt; fail "edited target: no line matching $want"; }
done
"$PY" - <<'PY' || fail "the JSON report of the edited target"
import json
r = json.load(open("edited.json"))
assert not r["ok"]
kinds = {p["key"]: p["kind"] for p in r["problems"]}
assert kinds == {"bulk/f01.txt": "content", "bulk/f02.txt": "missing", "original_images/photo.jpg": "not-cleaned",
                 "original_images/upload.avif": "unstrippable"}, kinds
assert [p["key"] for p in r["only_in_target"]] == ["staging-only/upload.txt"]
PY

# Put right (sync again, the AVIF removed): only the extra key remains, which
# passes without --exact and fails with it.
boto <<'PY'
import boto3, os
boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"]).delete_object(Bucket="staging-media", Key="original_images/upload.avif")
PY
sync_to s3://live-media/site/ s3://staging-media/ fix
verify 0 extra --from s3://live-media/site/ --to s3://staging-media/ --report extra.json
# s3rver 3.7 keeps the old ETag when CopyObject overwrites a key (the
# re-copied bulk/f01.txt): its ETag is not the bytes' MD5, the mismatch is
# confirmed from both sides' bytes, and they match. So four objects are read:
# that key on both sides and the two source JPEGs.
"$PY" -c "import json; r = json.load(open('extra.json')); assert r['ok'] and r['objects_read'] == 4, r"
grep -q '^extra staging-only/upload.txt: ' extra.txt || { cat extra.txt; fail "the extra key is not listed"; }
verify 1 exact --from s3://live-media/site/ --to s3://staging-media/ --exact
grep -q '^extra staging-only/upload.txt: only in the target (15 bytes)$' exact.txt || { cat exact.txt; fail "--exact"; }
grep -q ': DIFFERENCES FOUND$' exact.txt || { cat exact.txt; fail "--exact summary"; }
# The filter: outside it, the extra key is not this verification's.
verify 0 filtered --from s3://live-media/site/ --to s3://staging-media/ --exact --preset wagtail-originals
grep -q " outside the filter; " filtered.txt || { cat filtered.txt; fail "filtered summary"; }

# --db: the rows of the PG15 fixture name one key the target holds, one it
# lacks, an empty and a NULL value.
use_cluster 15
fresh_db media_verify
q -d media_verify -c "CREATE TABLE wagtailimages_image (id int, file varchar(100));
    INSERT INTO wagtailimages_image VALUES (1, 'original_images/photo.jpg'), (2, 'original_images/absent.jpg'),
        (3, ''), (4, NULL), (5, 'original_images/photo.jpg');"
db="postgresql://postgres:db-s3cret@/media_verify?host=$PGHOST"
verify 1 db --from s3://live-media/site/ --to s3://staging-media/ --db "$db" --expect wagtailimages_image.file --report db.json
grep -q '^expected-missing original_images/absent.jpg: named by wagtailimages_image.file in the database, not in the target$' db.txt ||
    { cat db.txt; fail "--db: the absent key is not named"; }
! grep -q 'expected-missing original_images/photo.jpg' db.txt || { cat db.txt; fail "--db: a present key is named"; }
grep -q ', 1 database keys missing: DIFFERENCES FOUND$' db.txt || { cat db.txt; fail "--db summary"; }
"$PY" -c "import json; r = json.load(open('db.json')); assert r['expected'] == [{'column': 'wagtailimages_image.file', 'keys': 2, 'missing': 1}], r"
verify 2 db-column --from src --to dst --db "$db" --expect wagtailimages_image.filename
[ "$(wc -l < db-column.txt)" = 1 ] || { cat db-column.txt; fail "a wrong column is not one line"; }
grep -q 'has no column "filename" in a table "wagtailimages_image"' db-column.txt || { cat db-column.txt; fail "wrong column message"; }
verify 2 db-table --from src --to dst --db "$db" --expect wagtail_image.file
verify 2 db-alone --from src --to dst --db "$db"
verify 2 expect-alone --from src --to dst --expect wagtailimages_image.file
verify 3 db-down --from src --to dst --db "postgresql://postgres:db-s3cret@/no_such_db?host=$PGHOST" --expect t.c
! grep -q 'db-s3cret' ./*.txt ./*.json || fail "the database password was printed"
! grep -q 'S3RVER' ./*.txt ./*.json || fail "a credential was printed"
echo "ok"
