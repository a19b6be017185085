# s3rver 3.7.1 (npm) on loopback for the media tests: sourced after ../lib.sh.
#   start_s3rver WORKDIR BUCKET...   starts it with its own directory
#                                    (WORKDIR/s3data), the buckets made, and
#                                    exports the AWS_* variables pointing at it
#                                    (credentials S3RVER/S3RVER); it is killed
#                                    when the script exits. Its log:
#                                    WORKDIR/s3rver.log.
# Skips (77) when a tool is missing (node, npm, python3-boto3) or npm cannot
# install s3rver (no network): see scripts/install-deps.sh.
PY=/usr/bin/python3

need_s3rver_tools() {
    for need in node npm; do
        command -v "$need" > /dev/null || { echo "SKIPPED: needs $need" >&2; exit 77; }
    done
    "$PY" -c 'import boto3' 2> /dev/null || { echo "SKIPPED: needs python3-boto3" >&2; exit 77; }
}

start_s3rver() {
    local work="$1" port cache s3rver_js bucket
    shift
    need_s3rver_tools
    # Installed once into a cache (idempotent: an install that runs is reused).
    cache="${PGSCRUB_CACHE:-$HOME/.cache/pgscrub}/s3rver-3.7.1"
    s3rver_js="$cache/node_modules/s3rver/bin/s3rver.js"
    if ! [ -f "$s3rver_js" ]; then
        mkdir -p "$cache"
        if ! npm install --silent --no-audit --no-fund --prefix "$cache" s3rver@3.7.1 > "$cache/npm.log" 2>&1; then
            echo "SKIPPED: npm cannot install s3rver 3.7.1 (no network?): $(tail -n 3 "$cache/npm.log")" >&2
            exit 77
        fi
    fi
    mkdir -p "$work/s3data"
    port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    local configure=()
    for bucket in "$@"; do configure+=(--configure-bucket "$bucket"); done
    # --openssl-legacy-provider: s3rver's continuation tokens use DES (docs/media.md).
    node --openssl-legacy-provider "$s3rver_js" -d "$work/s3data" -a 127.0.0.1 -p "$port" "${configure[@]}" \
        > "$work/s3rver.log" 2>&1 &
    s3rver_pid=$!
    trap 'kill "$s3rver_pid" 2> /dev/null || true' EXIT
    export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REQUEST_CHECKSUM_CALCULATION=when_required
    unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL_S3
    for _ in $(seq 100); do
        "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2> /dev/null && return 0
        sleep 0.1
    done
    echo "s3rver did not start: $(tail -n 5 "$work/s3rver.log")" >&2
    return 1
}
