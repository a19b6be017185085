#!/usr/bin/env bash
# dump::HttpInput against a real HTTP server on loopback (serve.py): a body
# arrives byte for byte, through redirects, in bounded memory; a body cut
# short (Content-Length or chunked), an error status, a redirect loop, a stall
# and a refused connection each fail with exit 3 and a one-line message that
# names the URL masked — never the signature in its query string or the
# password in its user info.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/net_lib.sh"
: "${PGSCRUB_PROBE:?PGSCRUB_PROBE must name pgscrub_site_checks_probe}"
work="$PGSCRUB_TEST_ROOT/net-http-input"
rm -rf "$work" && mkdir -p "$work/site" && cd "$work"

token="sig-$RANDOM$RANDOM-topsecret"
password="hunter2-$RANDOM"
head -c 3000000 /dev/urandom > site/blob.bin
truncate -s 300M site/big.bin # sparse: costs no disk
HTTP_LOG="$work/serve.log" start_http_server site --token "$token"
base="http://127.0.0.1:$HTTP_PORT"
sig="X-Amz-Signature=$token"

# expect_failure CODE REGEX PROBE-ARGS...: the probe exits CODE with a message
# matching REGEX, and no secret in it.
expect_failure() {
    local want="$1" pattern="$2" rc
    shift 2
    set +e
    "$PGSCRUB_PROBE" "$@" > body.out 2> err.txt
    rc=$?
    set -e
    [ "$rc" = "$want" ] || { cat err.txt >&2; fail "probe ${1} exited $rc, expected $want"; }
    [ "$(wc -l < err.txt)" = 1 ] || { cat err.txt >&2; fail "expected a one-line message"; }
    grep -qE -- "$pattern" err.txt || { cat err.txt >&2; fail "message does not match /$pattern/"; }
    no_secret "$token" err.txt
    no_secret "$password" err.txt
}

# The whole body, byte for byte; the stream's name is the masked URL.
"$PGSCRUB_PROBE" fetch "$base/blob.bin?$sig" > got.bin 2> err.txt
cmp got.bin site/blob.bin || fail "the body differs from the file served"
grep -qF "fetched 3000000 bytes from $base/blob.bin?***" err.txt || { cat err.txt; fail "fetch summary"; }
no_secret "$token" err.txt

# Redirects are followed, the query string going along.
"$PGSCRUB_PROBE" fetch "$base/redirect/blob.bin?$sig" > got.bin 2> /dev/null
cmp got.bin site/blob.bin || fail "the body differs after a redirect"

# Bounded memory: 300 MB through a fast consumer and through a slow one (the
# download then waits: nothing is buffered beyond a few MB). A sanitizer build
# (the debug preset) carries ASan's shadow memory and quarantine on top.
rss_limit=40000
if ldd "$PGSCRUB_PROBE" 2> /dev/null | grep -q libasan; then rss_limit=120000; fi
/usr/bin/time -f '%M' -o rss.txt "$PGSCRUB_PROBE" fetch "$base/big.bin?$sig" 2> /dev/null | wc -c > size.txt
[ "$(cat size.txt)" = $((300 * 1024 * 1024)) ] || fail "300 MB body arrived as $(cat size.txt) bytes"
[ "$(tail -1 rss.txt)" -lt "$rss_limit" ] || fail "streaming 300 MB took $(tail -1 rss.txt) KB of memory"
/usr/bin/time -f '%M' -o rss.txt "$PGSCRUB_PROBE" fetch "$base/big.bin?$sig" 2> /dev/null |
    python3 -c '
import sys, time
total = 0
while True:
    block = sys.stdin.buffer.read(4 << 20)
    if not block: break
    total += len(block)
    time.sleep(0.02)
print(total)' > size.txt
[ "$(cat size.txt)" = $((300 * 1024 * 1024)) ] || fail "300 MB body to a slow reader arrived as $(cat size.txt) bytes"
[ "$(tail -1 rss.txt)" -lt "$rss_limit" ] || fail "streaming 300 MB to a slow reader took $(tail -1 rss.txt) KB of memory"

masked="$base/cut/100000/blob.bin\\?\\*\\*\\*"
# A body shorter than its Content-Length is an error, not a short file.
expect_failure 3 "^pgscrub_site_checks_probe fetch: $masked: download failed after [0-9]+ bytes: transfer closed with [0-9]+ bytes remaining to read; the archive is incomplete$" \
    fetch "$base/cut/100000/blob.bin?$sig"
[ "$(stat -c %s body.out)" -le 100000 ] || fail "more bytes than were sent"
# ... and so is a chunked body without its last chunk.
expect_failure 3 "/chunked-cut/5000/blob.bin\?\*\*\*: download failed after 5000 bytes: .*; the archive is incomplete$" \
    fetch "$base/chunked-cut/5000/blob.bin?$sig"

# Error statuses, with S3's own explanation when the body has one.
expect_failure 3 "/missing.dump\?\*\*\*: download failed: HTTP status 404 \(Not Found\)$" fetch "$base/missing.dump?$sig"
expect_failure 3 "/status/500\?\*\*\*: download failed: HTTP status 500 \(Internal Server Error\)$" fetch "$base/status/500?$sig"
expect_failure 3 "/blob.bin\?\*\*\*: download failed: HTTP status 403 \(Forbidden\); the server says: AccessDenied: Request has expired — a signed URL expires" \
    fetch "$base/blob.bin?X-Amz-Signature=expired-$token"
expect_failure 3 "/status/404\?\*\*\*: download failed: HTTP status 404 \(Not Found\) \(redirected to $base/status/404\?\*\*\*\)$" \
    fetch "$base/redirect/status/404?$sig"
expect_failure 3 "redirect-loop\?\*\*\*: download failed after 0 bytes: Maximum \(10\) redirects followed$" fetch "$base/redirect-loop?$sig"

# User info never shows, not even in libcurl's own words.
expect_failure 3 "^pgscrub_site_checks_probe fetch: http://\*\*\*@127.0.0.1:$HTTP_PORT/missing.dump\?\*\*\*: download failed: HTTP status 404" \
    fetch "http://admin:$password@127.0.0.1:$HTTP_PORT/missing.dump?$sig"

# A stall below the low-speed limit fails after the low-speed time, not never.
start=$(date +%s)
expect_failure 3 "/stall/1000/blob.bin\?\*\*\*: download failed after 1000 bytes: Operation too slow" \
    fetch "$base/stall/1000/blob.bin?$sig" --low-speed-time 2
[ $(($(date +%s) - start)) -le 15 ] || fail "a stalled download took $(($(date +%s) - start)) s to fail"

# Nothing listening: a quick failure naming the reason.
port="$(free_port)"
start=$(date +%s)
expect_failure 3 "http://127.0.0.1:$port/x.dump\?\*\*\*: download failed after 0 bytes: Failed to connect to 127.0.0.1 port $port" \
    fetch "http://127.0.0.1:$port/x.dump?$sig"
[ $(($(date +%s) - start)) -le 5 ] || fail "a refused connection took $(($(date +%s) - start)) s to fail"

# TLS is verified: a self-signed certificate is refused, naming the reason;
# trusted, it streams; an https URL is never redirected to plain http.
openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
    -keyout tls.key -out tls.crt 2> /dev/null
plain_port="$HTTP_PORT"
start_http_server site --token "$token" --tls tls.crt tls.key
tls="https://127.0.0.1:$HTTP_PORT"
expect_failure 3 "^pgscrub_site_checks_probe fetch: $tls/blob.bin\?\*\*\*: download failed after 0 bytes: SSL certificate problem: self-signed certificate" \
    fetch "$tls/blob.bin?$sig"
"$PGSCRUB_PROBE" fetch "$tls/blob.bin?$sig" --cacert tls.crt > got.bin 2> /dev/null
cmp got.bin site/blob.bin || fail "the body differs over TLS"
"$PGSCRUB_PROBE" fetch "$base/redirect-http/$plain_port/blob.bin?$sig" > got.bin 2> /dev/null # http to http is fine
cmp got.bin site/blob.bin || fail "the body differs after an http redirect"
expect_failure 3 "^pgscrub_site_checks_probe fetch: $tls/redirect-http/$plain_port/blob.bin\?\*\*\*: download failed after 0 bytes: Protocol \"http\" not supported.* — an https download is redirected to https only$" \
    fetch "$tls/redirect-http/$plain_port/blob.bin?$sig" --cacert tls.crt

# A URL with a raw '/' in its password cannot be split: nothing of it is shown.
expect_failure 3 "^pgscrub_site_checks_probe fetch: http://\*\*\*: not a valid URL" fetch "http://admin:a/$password@127.0.0.1/x"
echo "PASS: http input"
