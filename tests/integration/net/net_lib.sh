# Loopback servers for the network tests: the misbehaving HTTP server
# (serve.py) and a throwaway redis-server, both stopped when the test exits.
# Sourced after ../lib.sh.
NET_HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
net_pids=()
stop_net_servers() {
    local pid
    for pid in "${net_pids[@]}"; do
        kill "$pid" 2> /dev/null || true
        wait "$pid" 2> /dev/null || true
    done
}
trap stop_net_servers EXIT

# start_http_server ROOT [--token TOKEN]: serves ROOT on 127.0.0.1; sets HTTP_PORT.
start_http_server() {
    local root="$1" port_file
    shift
    port_file="$PGSCRUB_TEST_ROOT/http-port.$$.$RANDOM"
    python3 "$NET_HERE/serve.py" "$root" "$port_file" "$@" 2>> "${HTTP_LOG:-/dev/null}" &
    net_pids+=($!)
    for _ in $(seq 100); do
        [ -s "$port_file" ] && break
        sleep 0.1
    done
    [ -s "$port_file" ] || fail "serve.py did not start"
    HTTP_PORT="$(cat "$port_file")"
    rm -f "$port_file"
}

# A TCP port on 127.0.0.1 that nothing listens on right now.
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_redis DIR [redis-server options...]: a throwaway redis-server on a
# free loopback port, no persistence; sets REDIS_PORT. Exits 77 (skipped)
# when redis-server is not installed.
start_redis() {
    local dir="$1" pid
    shift
    if ! command -v redis-server > /dev/null || ! command -v redis-cli > /dev/null; then
        echo "SKIPPED: redis-server is not installed (scripts/install-deps.sh installs it)" >&2
        exit 77
    fi
    mkdir -p "$dir"
    for _ in 1 2 3 4 5; do # another process may take the free port first
        REDIS_PORT="$(free_port)"
        redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --dir "$dir" \
            --daemonize no "$@" > "$dir/redis-$REDIS_PORT.log" 2>&1 &
        pid=$!
        for _ in $(seq 100); do
            grep -q 'Ready to accept connections' "$dir/redis-$REDIS_PORT.log" && { net_pids+=("$pid"); return 0; }
            kill -0 "$pid" 2> /dev/null || break
            sleep 0.1
        done
        kill "$pid" 2> /dev/null || true
        wait "$pid" 2> /dev/null || true
    done
    cat "$dir/redis-$REDIS_PORT.log" >&2
    fail "redis-server did not start"
}

# no_secret SECRET FILE...: fails if SECRET appears in any FILE.
no_secret() {
    local secret="$1"
    shift
    if grep -qF -- "$secret" "$@"; then
        grep -F -- "$secret" "$@" >&2
        fail "a secret from a URL appears in $*"
    fi
}

# start_fault_server MODE: a TCP server on 127.0.0.1 that stalls, resets or
# closes every connection (fault_server.py); sets FAULT_PORT.
start_fault_server() {
    local port_file="$PGSCRUB_TEST_ROOT/fault-port.$$.$RANDOM"
    python3 "$NET_HERE/fault_server.py" "$1" "$port_file" &
    net_pids+=($!)
    for _ in $(seq 100); do
        [ -s "$port_file" ] && break
        sleep 0.1
    done
    [ -s "$port_file" ] || fail "fault_server.py did not start"
    FAULT_PORT="$(cat "$port_file")"
    rm -f "$port_file"
}
