#!/usr/bin/env python3
"""pgscrub's SigV4 signer against botocore's, on awkward S3 requests.

    sigv4_oracle.py SIGV4_DRIVER      # exit 0 all agree, 1 a difference, 77 no botocore

s3rver accepts any signature, so the bucket tests cannot catch a wrong one.
Here every request is signed twice at a fixed time: by pgscrub (through
SIGV4_DRIVER, built from tests/integration/net/sigv4_driver.cpp) and by
botocore's S3SigV4Auth (Debian's python3-botocore, or any botocore on the
path), which signs exactly what the AWS CLI sends. The Authorization header,
the other signed headers, and the path and query that go in the URL must be
the same. botocore encodes the key (botocore.utils.percent_encode, as its S3
serializer does) and the query parameters itself, so the encoding is checked
as well as the hashing.

Cases: keys with space, Unicode, '+', '=', '%', '~', reserved characters,
'//' and dot segments; queries with repeated names, empty values, base64
continuation tokens; session tokens; metadata headers whose names prefix
each other; values with runs of spaces; signed and unsigned payloads; plus
a few hundred random keys and queries from a fixed seed.
"""

import datetime
import hashlib
import json
import random
import subprocess
import sys

try:
    import botocore.auth
    import botocore.utils
    from botocore.awsrequest import AWSRequest
    from botocore.config import Config
    from botocore.credentials import Credentials
except ImportError:
    print("sigv4_oracle: botocore is not installed (Debian: python3-botocore); skipped", file=sys.stderr)
    sys.exit(77)

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
TIME = 1369353600  # 2013-05-24T00:00:00Z
UNSIGNED = "UNSIGNED-PAYLOAD"


def case(name, method="GET", path="/bucket/key", query=(), headers=(), body=b"", unsigned=False,
         token="", region="eu-west-1", host="127.0.0.1:4568", time=TIME, key="AKIAIOSFODNN7EXAMPLE"):
    return {"name": name, "method": method, "host": host, "path": path, "query": [list(q) for q in query],
            "headers": [list(h) for h in headers], "body": body, "unsigned": unsigned, "token": token,
            "region": region, "service": "s3", "time": time, "key": key, "secret": SECRET}


CASES = [
    case("plain get"),
    case("key with spaces", path="/bucket/original_images/my photo  2.jpg"),
    case("unicode key", path="/bucket/original_images/caf\u00e9 \u65e5\u672c \U0001F600.png"),
    case("plus equals percent tilde", path="/bucket/a+b=c%d~e%20f.jpg"),
    case("reserved characters", path="/bucket/!$&'()*,;:@[]?#.txt"),
    case("slashes and dots kept", path="/bucket//a/./b/../c/"),
    case("bucket only", path="/bucket"),
    case("root", path="/"),
    case("list v2 page", query=[("list-type", "2"), ("prefix", "original_images/a b+"), ("max-keys", "1000"),
                                ("continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM+E=="),
                                ("encoding-type", "url"), ("start-after", "caf\u00e9=%")], path="/bucket"),
    case("repeated names and empty values", query=[("k", "2"), ("k", "1"), ("k", ""), ("empty", ""), ("a", "=&+ %")]),
    case("uploads", method="POST", path="/bucket/big file.bin", query=[("uploads", "")]),
    case("upload part", method="PUT", query=[("uploadId", "VXBsb2FkIElE+/="), ("partNumber", "3")],
         body=b"x" * 1000),
    case("session token", token="FQoGZXIvYXdzE//////////wEaDKv+eXAMPLE=="),
    case("put with metadata", method="PUT", path="/bucket/original_images/p h+o=t%o.jpg", body=b"\xff\xd8\xff\xe0jpeg",
         headers=[("Content-Type", "image/jpeg"), ("Cache-Control", "max-age=60,   public"),
                  ("Content-Disposition", 'attachment; filename="a  b.jpg"'), ("x-amz-meta-a-b", "1"),
                  ("X-Amz-Meta-A", "  2  "), ("x-amz-meta-pgscrub-src-etag", '"9b2cf535f27731c974343645a3985328"'),
                  ("x-amz-acl", "private")]),
    case("unsigned put", method="PUT", body=b"streamed", unsigned=True, headers=[("Content-Length", "8")]),
    case("copy object", method="PUT", path="/staging/original_images/a b+c.jpg",
         headers=[("x-amz-copy-source", "/prod/original_images/a%20b%2Bc.jpg"), ("x-amz-metadata-directive", "COPY")]),
    case("head", method="HEAD", path="/bucket/documents/r\u00e9sum\u00e9.pdf"),
    case("delete", method="DELETE", path="/bucket/images/x.fill-100x100.jpg", token="tok"),
    case("range", headers=[("Range", "bytes=0-9")], region="us-east-1", host="examplebucket.s3.amazonaws.com"),
    case("dotted bucket path style", path="/media.example.org/original_images/x.jpg",
         host="s3.eu-west-2.amazonaws.com", region="eu-west-2"),
    case("leap day", time=951782400),
]

ALPHABET = list("abcXYZ019 -._~+=%&/?#!$'()*,;:@[]") + ["\u00e9", "\u00df", "\u65e5", "\U0001F600", "\u0301"]


def random_cases(count):
    rng = random.Random(12)
    out = []
    for i in range(count):
        key = "".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 24)))
        query = [("".join(rng.choice(ALPHABET) for _ in range(rng.randint(1, 6))),
                  "".join(rng.choice(ALPHABET) for _ in range(rng.randint(0, 10)))) for _ in range(rng.randint(0, 4))]
        headers = [("x-amz-meta-" + rng.choice(["a", "a-b", "ab", "a.b"]) + str(j),
                    " ".join("v" * rng.randint(1, 3) for _ in range(rng.randint(1, 3)))) for j in range(rng.randint(0, 3))]
        out.append(case(f"random {i}", method=rng.choice(["GET", "PUT", "HEAD"]), path="/bucket/" + key, query=query,
                        headers=headers, body=bytes(rng.randrange(256) for _ in range(rng.randint(0, 40))),
                        unsigned=rng.random() < 0.3, token=rng.choice(["", "tok+/=="])))
    return out


def botocore_sign(spec):
    when = datetime.datetime.fromtimestamp(spec["time"], datetime.timezone.utc).replace(tzinfo=None)
    botocore.auth.get_current_datetime = lambda: when  # sign at the spec's time
    url = "http://" + spec["host"] + botocore.utils.percent_encode(spec["path"], safe="/~")
    request = AWSRequest(method=spec["method"], url=url, headers=dict(spec["headers"]), data=spec["body"])
    # AWSRequest's headers keep one value per name; the cases use distinct names.
    assert len(request.headers) == len(spec["headers"]), spec["name"]
    request.params = [tuple(pair) for pair in spec["query"]]
    if spec["unsigned"]:
        request.context["client_config"] = Config(s3={"payload_signing_enabled": False})
    credentials = Credentials(spec["key"], spec["secret"], spec["token"] or None)
    auth = botocore.auth.S3SigV4Auth(credentials, "s3", spec["region"])
    auth.add_auth(request)
    sent = {name.lower(): value for name, value in request.headers.items()}
    sent["host"] = botocore.auth._host_from_url(url)
    authorization = request.headers["Authorization"]
    del request.headers["Authorization"]  # so the canonical request shown on a failure is the one signed
    return {"authorization": authorization,
            "path": botocore.utils.percent_encode(spec["path"], safe="/~"),
            "query": auth._canonical_query_string_params(request.params),
            "headers": sent,
            "canonical_request": auth.canonical_request(request)}


def main():
    driver = sys.argv[1]
    cases = CASES + random_cases(300)
    lines = []
    for spec in cases:
        payload = UNSIGNED if spec["unsigned"] else hashlib.sha256(spec["body"]).hexdigest()
        lines.append(json.dumps({**{k: v for k, v in spec.items() if k not in ("body", "unsigned", "time")},
                                 "payload": payload, "time": spec["time"]}))
    result = subprocess.run([driver], input="\n".join(lines) + "\n", capture_output=True, text=True, check=False)
    if result.returncode != 0:
        print(f"sigv4_oracle: the driver failed: {result.stderr.strip()}", file=sys.stderr)
        return 1
    ours = [json.loads(line) for line in result.stdout.splitlines()]
    if len(ours) != len(cases):
        print(f"sigv4_oracle: {len(cases)} requests, {len(ours)} answers", file=sys.stderr)
        return 1
    failures = 0
    for spec, mine in zip(cases, ours):
        theirs = botocore_sign(spec)
        mine_headers = {name.lower(): value for name, value in mine["headers"]}
        sent_by_caller = {name.lower(): value for name, value in spec["headers"]}
        problems = []
        if mine["authorization"] != theirs["authorization"]:
            problems.append(f"Authorization\n    pgscrub:  {mine['authorization']}\n    botocore: {theirs['authorization']}")
        if mine["path"] != theirs["path"]:
            problems.append(f"path {mine['path']!r} != {theirs['path']!r}")
        if mine["query"] != theirs["query"]:
            problems.append(f"query {mine['query']!r} != {theirs['query']!r}")
        if {**mine_headers, **sent_by_caller} != theirs["headers"]:
            problems.append(f"headers {sorted(mine_headers.items())} != {sorted(theirs['headers'].items())}")
        if problems:
            failures += 1
            print(f"DIFFERENT {spec['name']} ({spec['path']!r}):", file=sys.stderr)
            for problem in problems:
                print("  " + problem, file=sys.stderr)
            print("  pgscrub canonical request:\n" + mine["canonical_request"], file=sys.stderr)
            print("  botocore canonical request:\n" + theirs["canonical_request"], file=sys.stderr)
    print(f"sigv4_oracle: {len(cases) - failures} of {len(cases)} requests signed as botocore "
          f"{botocore.__version__} signs them")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
