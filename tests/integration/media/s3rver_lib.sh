# s3rver 3.7.1 (npm) on loopback for the media tests: sourced after ../lib.sh.
#   start_s3rver WORKDIR BUCKET...       starts it with its own directory
#                                        (WORKDIR/s3data), the buckets made, and
#                                        exports the AWS_* variables pointing at it
#                                        (credentials S3RVER/S3RVER); it is killed
#                                        when the script exits. Its log:
#                                        WORKDIR/s3rver.log.
# The parts, for tests that stop and restart the server (faults_s3.sh):
#   s3rver_require                       skip (77) without node, npm or python3-boto3
#   s3rver_install                       install into the cache once; skip (77) when npm cannot
#   s3rver_start DIR PORT LOG BUCKET...  start it (S3RVER_PID) on PORT, wait until it listens,
#                                        point the AWS variables at it
#   s3rver_drop_incomplete DIR           remove what a killed s3rver left half-written
#   free_port, wait_for_port PORT
# Skips (77) when a tool is missing or npm cannot install s3rver (no network):
# see scripts/install-deps.sh. boto3 1.26 of Debian 12 does not read
# AWS_ENDPOINT_URL: give it the endpoint (endpoint_url=os.environ["AWS_ENDPOINT_URL"]).
PY=/usr/bin/python3

s3rver_require() {
    local need
    for need in node npm; do
        command -v "$need" > /dev/null || { echo "SKIPPED: needs $need" >&2; exit 77; }
    done
    "$PY" -c 'import boto3' 2> /dev/null || { echo "SKIPPED: needs python3-boto3" >&2; exit 77; }
}

# Installed once into a cache (idempotent: an install that runs is reused).
s3rver_install() {
    local cache="${PGSCRUB_CACHE:-$HOME/.cache/pgscrub}/s3rver-3.7.1"
    S3RVER_JS="$cache/node_modules/s3rver/bin/s3rver.js"
    if ! [ -f "$S3RVER_JS" ]; then
        mkdir -p "$cache"
        if ! npm install --silent --no-audit --no-fund --prefix "$cache" s3rver@3.7.1 > "$cache/npm.log" 2>&1; then
            echo "SKIPPED: npm cannot install s3rver 3.7.1 (no network?): $(tail -n 3 "$cache/npm.log")" >&2
            exit 77
        fi
    fi
}

free_port() {
    "$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

wait_for_port() {
    local port=$1
    for _ in $(seq 100); do
        "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2> /dev/null && return 0
        sleep 0.1
    done
    return 1
}

s3rver_start() {
    local dir=$1 port=$2 log=$3 bucket args=()
    shift 3
    for bucket in "$@"; do args+=(--configure-bucket "$bucket"); done
    mkdir -p "$dir"
    # --openssl-legacy-provider: s3rver's continuation tokens use DES (docs/media.md).
    node --openssl-legacy-provider "$S3RVER_JS" -d "$dir" -a 127.0.0.1 -p "$port" "${args[@]}" >> "$log" 2>&1 &
    S3RVER_PID=$!
    export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REQUEST_CHECKSUM_CALCULATION=when_required
    unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL_S3
    wait_for_port "$port" || { cat "$log" >&2; fail "s3rver did not start on port $port"; }
}

start_s3rver() {
    local work="$1"
    shift
    s3rver_require
    s3rver_install
    s3rver_start "$work/s3data" "$(free_port)" "$work/s3rver.log" "$@"
    trap 'kill "$S3RVER_PID" 2> /dev/null || true' EXIT
}

# make_media_source COUNT DIGITS: the source the S3 tests sync, in ./src: a
# photo with GPS and an artist (original_images/photo.jpg) and COUNT small
# files bulk/fNN.txt, numbered with DIGITS digits. Needs Pillow and exiftool.
make_media_source() {
    mkdir -p src/original_images src/documents src/bulk
    "$PY" - "$1" "$2" <<'PY'
import sys
from PIL import Image
count, digits = int(sys.argv[1]), int(sys.argv[2])
img = Image.new("RGB", (40, 30))
img.putdata([((x * 9) % 256, (y * 5) % 256, 90) for y in range(30) for x in range(40)])
img.save("src/original_images/photo.jpg", quality=90)
for i in range(count):
    open("src/bulk/f%0*d.txt" % (digits, i), "w").write("bulk %d" % i)
PY
    exiftool -q -overwrite_original -Artist='Jane Photographer' -GPSLatitude=51.5014 -GPSLatitudeRef=N \
        src/original_images/photo.jpg
}

# s3rver 3.7 writes an object's file, then its MD5, then its metadata, each
# in place: one killed mid-PUT leaves objects with a short file, or without
# (or with half) their metadata, and every listing of the bucket then fails
# (500). S3 never shows a PUT that did not complete: remove what the kill
# left half-written (metadata that does not parse, or a file whose MD5 is not
# the recorded one), as S3's all-or-nothing PUT would have.
s3rver_drop_incomplete() {
    "$PY" - "$1" <<'PY'
import hashlib, json, os, sys
for directory, _, names in os.walk(sys.argv[1]):
    for name in names:
        if not name.endswith("._S3rver_object"):
            continue
        base = os.path.join(directory, name[: -len("_object")])
        try:
            json.load(open(base + "_metadata.json"))
            complete = open(base + "_object.md5").read() == hashlib.md5(open(base + "_object", "rb").read()).hexdigest()
        except (OSError, ValueError):
            complete = False
        if not complete:
            print("s3rver left %s half-written: removed" % os.path.relpath(base + "_object", sys.argv[1]), file=sys.stderr)
            for suffix in ("_object", "_object.md5", "_metadata.json"):
                if os.path.exists(base + suffix):
                    os.remove(base + suffix)
PY
}
