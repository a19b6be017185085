#!/usr/bin/env bash
# `pgscrub media sync` with S3 on either side, against a real S3 server
# (s3rver 3.7.1 from npm, on loopback, its own directory), read back with an
# independent client (boto3): local -> S3 copies everything (awkward keys, a
# 0-byte object, 1,050 keys that need a listing continuation) with images
# cleaned; a second run copies nothing; S3 -> S3 uses CopyObject for what
# needs no cleaning and a cleaned PUT for images, keeping Content-Type; an
# edit on the target by someone else is copied again; --delete removes what
# the source lacks; S3 -> local works; a missing bucket exits 3.
# Skips (77) when npm cannot install s3rver (no network) or a tool the test
# reads with is missing (node, exiftool, python3-boto3, python3-pil: see
# scripts/install-deps.sh). s3rver is started by s3rver_lib.sh.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/s3rver_lib.sh"
command -v exiftool > /dev/null || { echo "SKIPPED: needs exiftool" >&2; exit 77; }
"$PY" -c 'import PIL.Image' 2> /dev/null || { echo "SKIPPED: needs python3-pil" >&2; exit 77; }

work="$PGSCRUB_TEST_ROOT/media-sync-s3"
rm -rf "$work" && mkdir -p "$work/src" && cd "$work"
start_s3rver "$work" live-media staging-media

# The source: a photo with GPS, a document, awkward keys, an empty object,
# and 1,050 small files (more than one listing page).
make_media_source 1050 4
printf '%%PDF-1.4 a document' > src/documents/report.pdf
printf 'spaces and signs' > "src/documents/a b+c=d%20e.txt"
printf 'unicode' > "src/documents/ünïcode ☃.txt"
: > src/documents/empty.bin
total=$(find src -type f | wc -l)

boto() { "$PY" - "$@"; }
# KEY SIZE SHA256 lines for a bucket (prefix optional), sorted: the independent view.
listing() {
    boto "$1" "${2:-}" <<'PY'
import boto3, hashlib, sys
s3 = boto3.client("s3", endpoint_url=__import__("os").environ["AWS_ENDPOINT_URL"])
bucket, prefix = sys.argv[1], sys.argv[2]
out = []
for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix):
    for o in page.get("Contents", []):
        body = s3.get_object(Bucket=bucket, Key=o["Key"])["Body"].read()
        out.append("%s %d %s" % (o["Key"][len(prefix):], len(body), hashlib.sha256(body).hexdigest()))
print("\n".join(sorted(out)))
PY
}
local_listing() {
    (cd "$1" && find . -type f ! -name .pgscrub-media.json -printf '%P\n' | LC_ALL=C sort | while IFS= read -r f; do
        printf '%s %s %s\n' "$f" "$(stat -c %s "$f")" "$(sha256sum < "$f" | cut -d' ' -f1)"
    done) | LC_ALL=C sort
}

# local -> S3: everything arrives, the photo cleaned.
"$PGSCRUB" media sync --from src --to s3://live-media/site/ -j 8 2> up.txt || { cat up.txt s3rver.log; fail "local -> S3 sync failed"; }
grep -q ": $total source objects, 0 outside the filter; $total copied (" up.txt || { cat up.txt; fail "local -> S3 summary"; }
listing live-media site/ > live.txt
local_listing src > src.txt
[ "$(wc -l < live.txt)" = "$total" ] || fail "the bucket holds $(wc -l < live.txt) keys, expected $total"
diff <(grep -v '^original_images/photo.jpg ' src.txt) <(grep -v '^original_images/photo.jpg ' live.txt) > /dev/null ||
    { diff <(grep -v photo.jpg src.txt) <(grep -v photo.jpg live.txt) | head; fail "bytes differ between src and the bucket"; }
boto <<'PY' || fail "records on the uploaded objects"
import boto3
s3 = boto3.client("s3", endpoint_url=__import__("os").environ["AWS_ENDPOINT_URL"])
open("photo-live.jpg", "wb").write(s3.get_object(Bucket="live-media", Key="site/original_images/photo.jpg")["Body"].read())
head = s3.head_object(Bucket="live-media", Key="site/documents/report.pdf")
assert head["Metadata"].get("pgscrub-source-size") == "19", head["Metadata"]
assert head["Metadata"].get("pgscrub-source-etag"), head["Metadata"]
PY
! exiftool -s -GPSLatitude -Artist photo-live.jpg | grep -q . || fail "the uploaded photo still has GPS or Artist"

# A second run copies nothing (records read back with HEAD).
"$PGSCRUB" media sync --from src --to s3://live-media/site/ 2> up2.txt || { cat up2.txt; fail "second local -> S3 run failed"; }
grep -q "; 0 copied (0 bytes; 0 images cleaned of metadata), 0 deleted, $total already in step" up2.txt ||
    { cat up2.txt; fail "second local -> S3 run copied something"; }

# Content-Type on the source, for S3 -> S3 to carry.
boto <<'PY'
import boto3
s3 = boto3.client("s3", endpoint_url=__import__("os").environ["AWS_ENDPOINT_URL"])
s3.copy_object(Bucket="live-media", Key="site/documents/report.pdf", CopySource={"Bucket": "live-media", "Key": "site/documents/report.pdf"},
               MetadataDirective="REPLACE", ContentType="application/pdf", CacheControl="max-age=60",
               Metadata={"pgscrub-source-etag": "x", "pgscrub-source-size": "19", "owner": "web"})
PY

# S3 -> S3: CopyObject for what needs no cleaning, a cleaned PUT for the photo.
"$PGSCRUB" media sync --from s3://live-media/site/ --to s3://staging-media/ 2> s2s.txt || { cat s2s.txt s3rver.log | tail -20; fail "S3 -> S3 sync failed"; }
grep -q ": $total source objects, 0 outside the filter; $total copied (.*1 images cleaned" s2s.txt || { cat s2s.txt; fail "S3 -> S3 summary"; }
# s3rver logs each CopyObject: every bulk object went bucket to bucket, the photo did not.
[ "$(grep -c 'Copied object "site/bulk/.* into bucket "staging-media"' s3rver.log)" = 1050 ] || fail "bulk objects were not copied with CopyObject"
! grep -q 'Copied object "site/original_images/photo.jpg"' s3rver.log || fail "the photo was copied by the server, not cleaned"
listing staging-media > staging.txt
diff live.txt staging.txt > /dev/null || { diff live.txt staging.txt | head; fail "staging differs from live"; }
boto <<'PY' || fail "S3 -> S3 lost Content-Type, Cache-Control or metadata"
import boto3
s3 = boto3.client("s3", endpoint_url=__import__("os").environ["AWS_ENDPOINT_URL"])
head = s3.head_object(Bucket="staging-media", Key="documents/report.pdf")
assert head["ContentType"] == "application/pdf", head["ContentType"]
assert head.get("CacheControl") == "max-age=60", head
assert head["Metadata"].get("owner") == "web", head["Metadata"]
assert head["Metadata"].get("pgscrub-source-size") == "19", head["Metadata"]
PY
"$PGSCRUB" media sync --from s3://live-media/site/ --to s3://staging-media/ 2> s2s2.txt
grep -q "; 0 copied (0 bytes; 0 images cleaned of metadata), 0 deleted, $total already in step" s2s2.txt ||
    { cat s2s2.txt; fail "second S3 -> S3 run copied something"; }

# An edit on the target by another client drops the records: copied again.
boto <<'PY'
import boto3
boto3.client("s3", endpoint_url=__import__("os").environ["AWS_ENDPOINT_URL"]).put_object(Bucket="staging-media", Key="bulk/f0001.txt", Body=b"BULK 1")
PY
"$PGSCRUB" media sync --from s3://live-media/site/ --to s3://staging-media/ --dry-run 2> edit.txt
grep -q '^would copy bulk/f0001.txt (6 bytes, not copied by pgscrub)$' edit.txt || { cat edit.txt; fail "target edit not noticed"; }

# --delete removes what the source lacks (DELETE), with --confirm naming the bucket.
boto <<'PY' || fail "seeding a stale key"
import boto3
boto3.client("s3", endpoint_url=__import__("os").environ["AWS_ENDPOINT_URL"]).put_object(Bucket="staging-media", Key="stale.txt", Body=b"old")
PY
"$PGSCRUB" media sync --from s3://live-media/site/ --to s3://staging-media/ --delete --confirm staging-media 2> del.txt ||
    { cat del.txt; fail "--delete run failed"; }
grep -q '; 1 copied (6 bytes; 0 images cleaned of metadata), 1 deleted' del.txt || { cat del.txt; fail "--delete summary"; }
listing staging-media > staging2.txt
diff live.txt staging2.txt > /dev/null || { diff live.txt staging2.txt | head; fail "staging differs from live after --delete"; }

# S3 -> local.
"$PGSCRUB" media sync --from s3://live-media/site/ --to down 2> down.txt || { cat down.txt; fail "S3 -> local sync failed"; }
local_listing down > down-list.txt
diff live.txt down-list.txt > /dev/null || { diff live.txt down-list.txt | head; fail "local copy differs from the bucket"; }

# Names that mislead: a photo without an extension, and text under an image's
# name. The bytes decide, whatever the name: the photo is cleaned (its first
# bytes read to tell), the text copied as it is (read whole at once, as an
# image's name makes likely).
boto <<'PY'
import boto3, os
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
s3.put_object(Bucket="live-media", Key="odd/scan", Body=open("src/original_images/photo.jpg", "rb").read())
s3.put_object(Bucket="live-media", Key="odd/notes.jpg", Body=b"not a picture")
PY
"$PGSCRUB" media sync --from s3://live-media/odd/ --to s3://staging-media/odd/ 2> odd.txt || { cat odd.txt; fail "odd names: sync failed"; }
grep -q '; 2 copied (.* bytes; 1 images cleaned of metadata)' odd.txt || { cat odd.txt; fail "odd names: summary"; }
boto <<'PY' || fail "odd names: the photo without an extension kept its GPS, or the text changed"
import boto3, os
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
assert s3.get_object(Bucket="staging-media", Key="odd/notes.jpg")["Body"].read() == b"not a picture"
open("odd-scan.jpg", "wb").write(s3.get_object(Bucket="staging-media", Key="odd/scan")["Body"].read())
PY
! exiftool -s -GPSLatitude -Artist odd-scan.jpg | grep -q . || fail "the photo without an extension still has GPS or Artist"

# A missing bucket is a network error (exit 3) naming it, not a crash.
set +e
"$PGSCRUB" media sync --from s3://no-such-bucket/ --to elsewhere 2> missing.txt
rc=$?
set -e
[ "$rc" = 3 ] || { cat missing.txt; fail "a missing bucket exited $rc, expected 3"; }
grep -q 'NoSuchBucket' missing.txt || { cat missing.txt; fail "a missing bucket is not named"; }
! grep -q 'S3RVER' missing.txt || fail "a credential was printed"
echo "ok"
