#!/usr/bin/env bash
# Multipart uploads against a real S3 server (s3rver 3.7.1, which implements
# CreateMultipartUpload/UploadPart/Complete), with the threshold and part
# size lowered by the tuning variables (docs/media.md, "Large objects"):
# a file of several parts arrives byte for byte (boto3 reads it back) with its
# records; one at the threshold is a single PUT; an S3 object streamed
# bucket to bucket (its key holds '+', which s3rver's CopyObject cannot find)
# is a multipart upload that keeps Content-Type, Cache-Control,
# Content-Disposition, Content-Encoding and user metadata; the ACL asked for
# is sent on CreateMultipartUpload; a re-run copies nothing.
# Skips (77) as s3rver_lib.sh says.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/s3rver_lib.sh"

work="$PGSCRUB_TEST_ROOT/media-multipart-s3"
rm -rf "$work" && mkdir -p "$work/src" && cd "$work"
start_s3rver "$work" live-media staging-media
export PGSCRUB_S3_MULTIPART_THRESHOLD=6M PGSCRUB_S3_MULTIPART_PART_SIZE=5M

# big.bin: 3 parts of 5 MiB and one of 2 MiB + 123 bytes; exact.bin: the
# threshold itself (one PUT); small.bin: far below it.
"$PY" - <<'PY'
import random
rng = random.Random(7)
open("src/big.bin", "wb").write(rng.randbytes(17 * 2**20 + 123))
open("src/exact.bin", "wb").write(rng.randbytes(6 * 2**20))
open("src/small.bin", "wb").write(rng.randbytes(1000))
PY

boto() { "$PY" - "$@"; }
parts_stored() { grep -c 'Stored part ' s3rver.log || true; }

"$PGSCRUB" media sync --from src --to s3://live-media/site/ --acl private 2> up.txt ||
    { cat up.txt; tail -20 s3rver.log; fail "local -> S3 multipart sync failed"; }
grep -q ": 3 source objects, 0 outside the filter; 3 copied (" up.txt || { cat up.txt; fail "local -> S3 summary"; }
[ "$(parts_stored)" = 4 ] || { grep 'part' s3rver.log; fail "big.bin was not sent as 4 parts ($(parts_stored) stored)"; }
boto <<'PY' || fail "the multipart object differs, or lost its records"
import boto3, hashlib, os
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
for name in ("big.bin", "exact.bin", "small.bin"):
    body = s3.get_object(Bucket="live-media", Key="site/" + name)["Body"].read()
    assert body == open("src/" + name, "rb").read(), name + " differs"
    head = s3.head_object(Bucket="live-media", Key="site/" + name)
    assert head["Metadata"].get("pgscrub-source-size") == str(len(body)), (name, head["Metadata"])
    assert head["Metadata"].get("pgscrub-source-etag"), (name, head["Metadata"])
PY

# A second run copies nothing.
"$PGSCRUB" media sync --from src --to s3://live-media/site/ 2> up2.txt || { cat up2.txt; fail "second run failed"; }
grep -q "; 0 copied (0 bytes; 0 images cleaned of metadata), 0 deleted, 3 already in step" up2.txt ||
    { cat up2.txt; fail "a second run copied something"; }

# S3 -> S3, streamed: the properties travel on CreateMultipartUpload.
boto <<'PY' || fail "seeding the video"
import boto3, os
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
s3.put_object(Bucket="live-media", Key="site/video+clip=1.mp4", Body=open("src/big.bin", "rb").read(),
              ContentType="video/mp4", CacheControl="max-age=600", ContentDisposition='attachment; filename="clip.mp4"',
              ContentEncoding="identity", Metadata={"owner": "web", "camera": "unit 7"})
PY
before=$(parts_stored)
"$PGSCRUB" media sync --from s3://live-media/site/ --to s3://staging-media/ --include video 2> s2s.txt ||
    { cat s2s.txt; tail -20 s3rver.log; fail "S3 -> S3 multipart sync failed"; }
grep -q "; 1 copied (" s2s.txt || { cat s2s.txt; fail "S3 -> S3 summary"; }
[ "$(( $(parts_stored) - before ))" = 4 ] || fail "the video was not uploaded in 4 parts"
boto <<'PY' || fail "S3 -> S3 multipart lost bytes or properties"
import boto3, os
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
got = s3.get_object(Bucket="staging-media", Key="video+clip=1.mp4")
assert got["Body"].read() == open("src/big.bin", "rb").read(), "bytes differ"
assert got["ContentType"] == "video/mp4", got["ContentType"]
assert got.get("CacheControl") == "max-age=600", got
assert got.get("ContentDisposition") == 'attachment; filename="clip.mp4"', got
assert got.get("ContentEncoding") == "identity", got
meta = got["Metadata"]
assert meta.get("owner") == "web" and meta.get("camera") == "unit 7", meta
assert meta.get("pgscrub-source-size") == str(17 * 2**20 + 123), meta
PY
"$PGSCRUB" media sync --from s3://live-media/site/ --to s3://staging-media/ --include video 2> s2s2.txt
grep -q "; 0 copied (0 bytes; 0 images cleaned of metadata), 0 deleted, 1 already in step" s2s2.txt ||
    { cat s2s2.txt; fail "a second S3 -> S3 run copied something"; }

# A wrong tuning value is a usage error naming the variable.
set +e
PGSCRUB_S3_MULTIPART_PART_SIZE=1M "$PGSCRUB" media sync --from src --to s3://live-media/other/ 2> bad.txt
rc=$?
set -e
[ "$rc" = 2 ] || { cat bad.txt; fail "a part size below 5 MiB exited $rc, expected 2"; }
grep -q PGSCRUB_S3_MULTIPART_PART_SIZE bad.txt || { cat bad.txt; fail "the variable is not named"; }
echo "ok"
