#!/usr/bin/env python3
"""pgscrub's multipart requests against botocore's, built and signed.

    multipart_oracle.py MULTIPART_DRIVER   # exit 0 all agree, 1 a difference, 77 no botocore

s3rver implements no UploadPartCopy and accepts any signature, so the
requests of a multipart copy (and of the multipart upload s3rver does run)
are checked here: the S3 store builds each one (through MULTIPART_DRIVER,
tests/integration/media/multipart_driver.cpp) and signs it at a fixed time;
botocore serializes the same operation from S3's API model (rest-xml: where
each parameter goes, the Complete body) and signs it with S3SigV4Auth. The
method, path, query, every signed header, the body and the Authorization
must be the same. The copy source header is compared with what botocore's
CopySource handler writes (botocore leaves out the leading '/'; S3 takes
both). Cases: CreateMultipartUpload with every property, metadata and an
ACL; UploadPart; UploadPartCopy with ranges at the 5 GiB boundary and
awkward keys; CompleteMultipartUpload with ETags that need escaping;
AbortMultipartUpload; session tokens.
"""

import datetime
import json
import subprocess
import sys
import types
import urllib.parse

try:
    import botocore.auth
    import botocore.awsrequest
    import botocore.handlers
    import botocore.serialize
    import botocore.session
    from botocore.credentials import Credentials
except ImportError:
    print("multipart_oracle: botocore is not installed (Debian: python3-botocore); skipped", file=sys.stderr)
    sys.exit(77)

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TIME = 1369353600
ENDPOINT = "http://127.0.0.1:4568"
GIB = 2**30


def case(name, op, bucket="staging-media", key="videos/clip.mp4", token="", region="eu-west-1", **fields):
    return {"name": name, "op": op, "bucket": bucket, "key": key, "token": token, "region": region,
            "endpoint": ENDPOINT, "key_id": "AKIAIOSFODNN7EXAMPLE", "secret": SECRET, "time": TIME, **fields}


def create(name, key="videos/clip.mp4", acl="bucket-owner-full-control", content_type="", cache_control="",
           content_disposition="", content_encoding="", metadata=(), source_etag='"9b2cf535f27731c974343645a3985328"',
           source_size=6 * GIB, **kw):
    return case(name, "create", key=key, acl=acl, content_type=content_type, cache_control=cache_control,
                content_disposition=content_disposition, content_encoding=content_encoding,
                metadata=[list(m) for m in metadata], source_etag=source_etag, source_size=str(source_size), **kw)


def copy(name, part, first, length, key="videos/clip.mp4", source_bucket="live-media", source_key="site/videos/clip.mp4",
         upload_id="VXBsb2FkIElEIGZvciA2aWY+/=", **kw):
    return case(name, "upload_part_copy", key=key, part_number=str(part), first=str(first), length=str(length),
                source_bucket=source_bucket, source_key=source_key, upload_id=upload_id, **kw)


CASES = [
    create("create, plain"),
    create("create, every property", key="documents/r\u00e9sum\u00e9 a+b=c.pdf", acl="private",
           content_type="application/pdf", cache_control="max-age=60,   public",
           content_disposition='attachment; filename="a  b.pdf"', content_encoding="gzip",
           metadata=[("x-amz-meta-owner", "web"), ("x-amz-meta-a-b", "1"), ("x-amz-meta-a", " 2 ")]),
    create("create, public-read with a session token", acl="public-read", token="FQoGZXIvYXdzE//////////wEaDKv+eXAMPLE=="),
    case("upload part", "upload_part", part_number="3", upload_id="VXBsb2FkIElE+/=", body="x" * 1000),
    case("upload part 10000", "upload_part", key="a b/c%d.bin", part_number="10000", upload_id="id", body=""),
    copy("copy part 1 of a 5 GiB + 1 object", 1, 0, 512 * 2**20),
    copy("copy the last byte", 11, 5 * GIB, 1),
    copy("copy, awkward keys", 2, 5 * 2**20, 5 * 2**20, key="v\u00eddeos/a b+c=d%e~f.mp4",
         source_key="site/v\u00eddeos/a b+c=d%e~f.mp4", token="tok+/=="),
    copy("copy from a dotted bucket", 3, 10 * GIB, 5 * GIB, source_bucket="media.example.org"),
    case("complete", "complete", upload_id="VXBsb2FkIElE+/=",
         etags=['"b54357faf0632cce46e942fa68356b38"', '"0c78aef83f66abc1fa1e8477f296d394"']),
    case("complete, escaping", "complete", key="a&b<c>.bin", upload_id="id", etags=['"a&<b>"', "plain"]),
    case("complete, one part", "complete", upload_id="id", etags=['"e1"']),
    case("abort", "abort", key="a b+c.bin", upload_id="VXBsb2FkIElE+/="),
]

SESSION = botocore.session.get_session()
MODEL = SESSION.get_service_model("s3")
SERIALIZER = botocore.serialize.create_serializer("rest-xml")


def meta_name(header):
    return header[len("x-amz-meta-"):]


def operation(spec):
    b, k = spec["bucket"], spec["key"]
    if spec["op"] == "create":
        params = {"Bucket": b, "Key": k, "ACL": spec["acl"],
                  "ContentType": spec["content_type"] or "application/octet-stream",
                  "Metadata": {**{meta_name(n): v for n, v in spec["metadata"]},
                               "pgscrub-source-etag": spec["source_etag"],
                               "pgscrub-source-size": spec["source_size"]}}
        for name, field in (("CacheControl", "cache_control"), ("ContentDisposition", "content_disposition"),
                            ("ContentEncoding", "content_encoding")):
            if spec[field]:
                params[name] = spec[field]
        return "CreateMultipartUpload", params
    if spec["op"] == "upload_part":
        return "UploadPart", {"Bucket": b, "Key": k, "UploadId": spec["upload_id"],
                              "PartNumber": int(spec["part_number"]), "Body": spec["body"].encode()}
    if spec["op"] == "upload_part_copy":
        first, length = int(spec["first"]), int(spec["length"])
        source = botocore.handlers._quote_source_header_from_dict(
            {"Bucket": spec["source_bucket"], "Key": spec["source_key"]})
        return "UploadPartCopy", {"Bucket": b, "Key": k, "UploadId": spec["upload_id"],
                                  "PartNumber": int(spec["part_number"]), "CopySource": "/" + source,
                                  "CopySourceRange": "bytes=%d-%d" % (first, first + length - 1)}
    if spec["op"] == "complete":
        return "CompleteMultipartUpload", {
            "Bucket": b, "Key": k, "UploadId": spec["upload_id"],
            "MultipartUpload": {"Parts": [{"ETag": e, "PartNumber": i + 1} for i, e in enumerate(spec["etags"])]}}
    return "AbortMultipartUpload", {"Bucket": b, "Key": k, "UploadId": spec["upload_id"]}


def botocore_build(spec):
    name, params = operation(spec)
    request_dict = SERIALIZER.serialize_to_request(params, MODEL.operation_model(name))
    botocore.awsrequest.prepare_request_dict(request_dict, endpoint_url=ENDPOINT)
    request = botocore.awsrequest.create_request_object(request_dict)
    when = datetime.datetime.fromtimestamp(spec["time"], datetime.timezone.utc).replace(tzinfo=None)
    # Sign at the spec's time: newer botocore asks get_current_datetime(),
    # older (Debian 12's 1.29) datetime.datetime.utcnow().
    botocore.auth.get_current_datetime = lambda: when

    class FixedDatetime(datetime.datetime):
        @classmethod
        def utcnow(cls):
            return when

    botocore.auth.datetime = types.SimpleNamespace(datetime=FixedDatetime)
    auth = botocore.auth.S3SigV4Auth(Credentials(spec["key_id"], SECRET, spec["token"] or None), "s3", spec["region"])
    auth.add_auth(request)
    url = urllib.parse.urlsplit(request.url)
    headers = {n.lower(): v for n, v in request.headers.items()}
    headers["host"] = url.netloc
    body = request.body or b""
    return {"method": request.method, "path": url.path,
            "query": sorted(urllib.parse.parse_qsl(url.query, keep_blank_values=True)),
            "headers": headers, "body": body if isinstance(body, bytes) else body.encode()}


def main():
    driver = sys.argv[1]
    lines = [json.dumps(spec) for spec in CASES]
    result = subprocess.run([driver], input="\n".join(lines) + "\n", capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(f"multipart_oracle: the driver failed: {result.stderr.strip()}", file=sys.stderr)
        return 1
    ours = [json.loads(line) for line in result.stdout.splitlines()]
    if len(ours) != len(CASES):
        print(f"multipart_oracle: {len(CASES)} requests, {len(ours)} answers", file=sys.stderr)
        return 1
    failures = 0
    for spec, mine in zip(CASES, ours):
        theirs = botocore_build(spec)
        url = urllib.parse.urlsplit(mine["url"])
        mine_view = {"method": mine["method"], "path": url.path,
                     "query": sorted(urllib.parse.parse_qsl(url.query, keep_blank_values=True)),
                     "headers": {n.lower(): v for n, v in mine["headers"]}, "body": mine["body"].encode()}
        problems = [f"{field}:\n    pgscrub:  {mine_view[field]!r}\n    botocore: {theirs[field]!r}"
                    for field in ("method", "path", "query", "body") if mine_view[field] != theirs[field]]
        for name in sorted(set(mine_view["headers"]) | set(theirs["headers"])):
            if mine_view["headers"].get(name) != theirs["headers"].get(name):
                problems.append(f"header {name}: {mine_view['headers'].get(name)!r} != {theirs['headers'].get(name)!r}")
        if problems:
            failures += 1
            print(f"DIFFERENT {spec['name']}:", file=sys.stderr)
            for problem in problems:
                print("  " + problem, file=sys.stderr)
    print(f"multipart_oracle: {len(CASES) - failures} of {len(CASES)} multipart requests built and signed as "
          f"botocore {botocore.__version__} builds and signs them")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
