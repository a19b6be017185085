#!/usr/bin/env bash
# Servers that misbehave mid-conversation: a Redis port or web server that
# stalls (accepts, reads, never answers), resets the connection, or closes it
# at once. flush_cache, check_url and an https dump download each fail with
# exit 3 and one line naming the address, within their timeout (not never),
# and say which of the three happened.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/net_lib.sh"
: "${PGSCRUB_PROBE:?PGSCRUB_PROBE must name pgscrub_site_checks_probe}"
work="$PGSCRUB_TEST_ROOT/net-faults"
rm -rf "$work" && mkdir -p "$work" && cd "$work"

# expect_failure SECONDS REGEX PROBE-ARGS...: exit 3 within SECONDS, one line matching REGEX.
expect_failure() {
    local limit="$1" pattern="$2" rc start elapsed
    shift 2
    start=$(date +%s%N)
    set +e
    timeout 60 "$PGSCRUB_PROBE" "$@" > out.txt 2> err.txt
    rc=$?
    set -e
    elapsed=$((($(date +%s%N) - start) / 1000000))
    [ "$rc" = 3 ] || { cat out.txt err.txt >&2; fail "probe $* exited $rc, expected 3"; }
    [ "$(wc -l < err.txt)" = 1 ] || { cat err.txt >&2; fail "probe $*: expected a one-line message"; }
    grep -qE -- "$pattern" err.txt || { cat err.txt >&2; fail "probe $*: message does not match /$pattern/"; }
    [ "$elapsed" -le $((limit * 1000)) ] || fail "probe $* took ${elapsed} ms, more than ${limit} s"
    echo "ok (${elapsed} ms): $(cat err.txt)"
}

start_fault_server stall
stall=$FAULT_PORT
start_fault_server reset
reset=$FAULT_PORT
start_fault_server close
close=$FAULT_PORT

# ---- Redis (flush_cache): the reply timeout bounds a stall.
expect_failure 6 "^pgscrub_site_checks_probe flush: redis://127.0.0.1:$stall/0: .*no answer within 2 s" \
    flush "redis://127.0.0.1:$stall/0" --timeout 2
expect_failure 6 "^pgscrub_site_checks_probe flush: redis://127.0.0.1:$reset/0: .*(Connection reset by peer|connection lost|Server closed the connection)" \
    flush "redis://127.0.0.1:$reset/0" --timeout 2
expect_failure 6 "^pgscrub_site_checks_probe flush: redis://127.0.0.1:$close/0: .*(Connection reset by peer|connection lost|Server closed the connection)" \
    flush "redis://127.0.0.1:$close/0" --timeout 2
# Over TLS the handshake is what stalls or breaks.
expect_failure 6 "^pgscrub_site_checks_probe flush: rediss://127.0.0.1:$stall/0: TLS handshake failed: no answer within 2 s" \
    flush "rediss://127.0.0.1:$stall/0" --timeout 2 --insecure
expect_failure 6 "^pgscrub_site_checks_probe flush: rediss://127.0.0.1:$reset/0: TLS handshake failed" \
    flush "rediss://127.0.0.1:$reset/0" --timeout 2 --insecure

# ---- check_url: the page timeout bounds a stall.
expect_failure 6 "^pgscrub_site_checks_probe check: http://127.0.0.1:$stall/: request failed: .*(timed out|Timeout)" \
    check "http://127.0.0.1:$stall/" 200 --timeout 2
expect_failure 6 "^pgscrub_site_checks_probe check: http://127.0.0.1:$reset/: request failed: .*(reset by peer|Recv failure)" \
    check "http://127.0.0.1:$reset/" 200 --timeout 2
expect_failure 6 "^pgscrub_site_checks_probe check: http://127.0.0.1:$close/: request failed: .*(Empty reply|closed|reset by peer)" \
    check "http://127.0.0.1:$close/" 200 --timeout 2

# ---- an http dump source: the low-speed limit bounds a stall before any byte.
expect_failure 8 "^pgscrub_site_checks_probe fetch: http://127.0.0.1:$stall/x.dump: download failed after 0 bytes: Operation too slow" \
    fetch "http://127.0.0.1:$stall/x.dump" --low-speed-time 2
expect_failure 6 "^pgscrub_site_checks_probe fetch: http://127.0.0.1:$reset/x.dump: download failed after 0 bytes: .*(reset by peer|Recv failure)" \
    fetch "http://127.0.0.1:$reset/x.dump"
expect_failure 6 "^pgscrub_site_checks_probe fetch: http://127.0.0.1:$close/x.dump: download failed after 0 bytes: .*(Empty reply|closed|reset by peer)" \
    fetch "http://127.0.0.1:$close/x.dump"
echo "PASS: net faults"
