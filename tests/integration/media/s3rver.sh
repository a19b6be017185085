# s3rver 3.7.1 (npm) for the media tests that need an S3 server: installed
# once into a cache, started on loopback on a free port with its own
# directory, stopped when the script exits. Sourced after lib.sh; needs node
# and npm (the caller checks). Exports the AWS_* variables pgscrub and boto3
# read. Exits 77 (skipped) when npm cannot install it (no network).
# boto3 1.26 of Debian 12 does not read AWS_ENDPOINT_URL: give it the
# endpoint (endpoint_url=os.environ["AWS_ENDPOINT_URL"]).

# start_s3rver DIRECTORY BUCKET...
start_s3rver() {
    local dir="$1" cache s3rver_js port args=()
    shift
    cache="${PGSCRUB_CACHE:-$HOME/.cache/pgscrub}/s3rver-3.7.1"
    s3rver_js="$cache/node_modules/s3rver/bin/s3rver.js"
    if ! [ -f "$s3rver_js" ]; then
        mkdir -p "$cache"
        if ! npm install --silent --no-audit --no-fund --prefix "$cache" s3rver@3.7.1 > "$cache/npm.log" 2>&1; then
            echo "SKIPPED: npm cannot install s3rver 3.7.1 (no network?): $(tail -n 3 "$cache/npm.log")" >&2
            exit 77
        fi
    fi
    for bucket in "$@"; do args+=(--configure-bucket "$bucket"); done
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    # --openssl-legacy-provider: s3rver 3.7's continuation tokens use DES, which
    # Node 20's OpenSSL 3 refuses without it.
    node --openssl-legacy-provider "$s3rver_js" -d "$dir" -a 127.0.0.1 -p "$port" "${args[@]}" > "$dir/../s3rver.log" 2>&1 &
    S3RVER_PID=$!
    trap 'kill "$S3RVER_PID" 2> /dev/null || true' EXIT
    export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1
    export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_REQUEST_CHECKSUM_CALCULATION=when_required
    unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL_S3
    for _ in $(seq 100); do
        /usr/bin/python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2> /dev/null && return 0
        sleep 0.1
    done
    fail "s3rver did not start: $(tail -n 5 "$dir/../s3rver.log")"
}
