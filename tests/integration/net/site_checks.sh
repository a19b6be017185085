#!/usr/bin/env bash
# The runbook's site checks against real servers on loopback: flush_redis
# empties exactly the database its URL names on a real redis-server (with and
# without a password, ACL user or not) and says how many keys there were; a
# wrong password, a missing one and a closed port fail with exit 3 and the URL
# masked. check_url reports the status of a loopback HTTP server's pages,
# follows redirects only when asked, and fails quickly on a closed port.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/net_lib.sh"
: "${PGSCRUB_PROBE:?PGSCRUB_PROBE must name pgscrub_site_checks_probe}"
work="$PGSCRUB_TEST_ROOT/net-site-checks"
rm -rf "$work" && mkdir -p "$work/site" && cd "$work"

# expect_failure CODE REGEX SECRET PROBE-ARGS...: exit CODE, a one-line
# message matching REGEX, and SECRET nowhere in it.
expect_failure() {
    local want="$1" pattern="$2" secret="$3" rc
    shift 3
    set +e
    "$PGSCRUB_PROBE" "$@" > out.txt 2> err.txt
    rc=$?
    set -e
    [ "$rc" = "$want" ] || { cat out.txt err.txt >&2; fail "probe $1 exited $rc, expected $want"; }
    [ "$rc" = 1 ] || [ "$(wc -l < err.txt)" = 1 ] || { cat err.txt >&2; fail "expected a one-line message"; }
    grep -qE -- "$pattern" out.txt err.txt || { cat out.txt err.txt >&2; fail "output does not match /$pattern/"; }
    no_secret "$secret" out.txt err.txt
}

# ---- Redis without a password: only the named database is emptied.
start_redis "$work/redis-open"
open_port="$REDIS_PORT"
cli() { redis-cli -h 127.0.0.1 -p "$open_port" "$@"; }
for i in $(seq 1 25); do cli -n 2 SET "cache:page:$i" "<html>$i</html>" > /dev/null; done
cli -n 3 SET "sessions:keep" yes > /dev/null
cli -n 0 SET "other" yes > /dev/null
"$PGSCRUB_PROBE" flush "redis://127.0.0.1:$open_port/2" > out.txt
grep -qxF "flushed 25 keys from database 2 of redis://127.0.0.1:$open_port/2" out.txt || { cat out.txt; fail "flush summary"; }
[ "$(cli -n 2 DBSIZE)" = 0 ] || fail "database 2 still holds keys"
[ "$(cli -n 3 DBSIZE)" = 1 ] || fail "database 3 was flushed too"
[ "$(cli -n 0 DBSIZE)" = 1 ] || fail "database 0 was flushed too"
# ?db=N names the database as well; an empty database flushes fine.
"$PGSCRUB_PROBE" flush "redis://127.0.0.1:$open_port?db=3" | grep -qxF "flushed 1 keys from database 3 of redis://127.0.0.1:$open_port?***" ||
    fail "flush with ?db=3"
"$PGSCRUB_PROBE" flush "redis://127.0.0.1:$open_port/3" | grep -q "^flushed 0 keys" || fail "flush of an empty database"
expect_failure 3 "redis://127.0.0.1:$open_port/99: SELECT 99 failed: ERR DB index is out of range" @@nothing@@ flush "redis://127.0.0.1:$open_port/99"

# ---- Redis with a password, and an ACL user.
password="pw-$RANDOM$RANDOM-topsecret"
start_redis "$work/redis-auth" --requirepass "$password"
auth_port="$REDIS_PORT"
acli() { REDISCLI_AUTH="$password" redis-cli -h 127.0.0.1 -p "$auth_port" --no-auth-warning "$@"; }
acli ACL SETUSER cache on ">acl-$password" '~*' '&*' '+@all' > /dev/null
for i in $(seq 1 7); do acli -n 1 SET "k$i" v > /dev/null; done
acli -n 0 SET stays yes > /dev/null
"$PGSCRUB_PROBE" flush "redis://:$password@127.0.0.1:$auth_port/1" > out.txt
grep -qxF "flushed 7 keys from database 1 of redis://***@127.0.0.1:$auth_port/1" out.txt || { cat out.txt; fail "flush with a password"; }
no_secret "$password" out.txt
[ "$(acli -n 1 DBSIZE)" = 0 ] && [ "$(acli -n 0 DBSIZE)" = 1 ] || fail "flush with a password emptied the wrong databases"
acli -n 1 SET again v > /dev/null
"$PGSCRUB_PROBE" flush "redis://cache:acl-$password@127.0.0.1:$auth_port/1" | grep -q "^flushed 1 keys" || fail "flush as an ACL user"
# A password given percent-encoded reaches the server decoded.
acli CONFIG SET requirepass "p@ss/$password" > /dev/null
REDISCLI_AUTH="p@ss/$password" redis-cli -h 127.0.0.1 -p "$auth_port" --no-auth-warning -n 1 SET x y > /dev/null
"$PGSCRUB_PROBE" flush "redis://:p%40ss%2F$password@127.0.0.1:$auth_port/1" | grep -q "^flushed 1 keys" || fail "percent-encoded password"
password="p@ss/$password"

expect_failure 3 "^pgscrub_site_checks_probe flush: redis://\*\*\*@127.0.0.1:$auth_port/1: AUTH failed: WRONGPASS .* — check the password" \
    "${password#p@ss/}" flush "redis://:wrong-p%40ss%2F${password#p@ss/}@127.0.0.1:$auth_port/1"
# The password written raw: its '/' ends the authority early, and nothing of the URL may show.
expect_failure 3 "^pgscrub_site_checks_probe flush: redis://\*\*\*: " "${password#p@ss/}" flush "redis://:$password@127.0.0.1:$auth_port/1"
expect_failure 3 "^pgscrub_site_checks_probe flush: redis://127.0.0.1:$auth_port/1: SELECT 1 failed: NOAUTH .* — give the password in the URL" \
    @@nothing@@ flush "redis://127.0.0.1:$auth_port/1"
[ "$(REDISCLI_AUTH="$password" redis-cli -h 127.0.0.1 -p "$auth_port" --no-auth-warning -n 0 DBSIZE)" = 1 ] || fail "a failed flush emptied a database"
closed="$(free_port)"
start=$(date +%s)
expect_failure 3 "^pgscrub_site_checks_probe flush: redis://\*\*\*@127.0.0.1:$closed/0: cannot connect: Connection refused" \
    secret-pass flush "redis://:secret-pass@127.0.0.1:$closed/0"
[ $(($(date +%s) - start)) -le 5 ] || fail "a closed Redis port took $(($(date +%s) - start)) s to fail"

# ---- Redis over TLS (rediss://), as Heroku's Key-Value Store requires: a
# private CA, a server certificate for 127.0.0.1, a password. OpenSSL
# verifies the chain and the host name unless told not to.
openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=pgscrub test CA" 2> /dev/null
openssl req -newkey rsa:2048 -nodes -keyout tls.key -out tls.csr -subj "/CN=127.0.0.1" 2> /dev/null
printf 'subjectAltName=IP:127.0.0.1\n' > san.cnf
openssl x509 -req -in tls.csr -CA ca.crt -CAkey ca.key -CAcreateserial -out tls.crt -days 2 -extfile san.cnf 2> /dev/null
openssl req -x509 -newkey rsa:2048 -nodes -keyout other.key -out other-ca.crt -days 2 -subj "/CN=another CA" 2> /dev/null
chmod 644 tls.key
tls_password="tls p@ss/$RANDOM$RANDOM"
tls_port="$(free_port)"
start_redis "$work/redis-tls" --port 0 --tls-port "$tls_port" --tls-cert-file "$work/tls.crt" --tls-key-file "$work/tls.key" \
    --tls-ca-cert-file "$work/ca.crt" --tls-auth-clients no --requirepass "$tls_password"
tcli() { REDISCLI_AUTH="$tls_password" redis-cli --tls --cacert "$work/ca.crt" -h 127.0.0.1 -p "$tls_port" "$@"; }
for i in $(seq 9); do tcli -n 4 SET "k$i" v > /dev/null; done
tcli -n 0 SET keep me > /dev/null
encoded_password="tls%20p%40ss%2F${tls_password#tls p@ss/}"
url="rediss://:$encoded_password@127.0.0.1:$tls_port/4"
secret="${tls_password#tls p@ss/}"
# Verified against the private CA: flushed, database 4 only, password hidden.
"$PGSCRUB_PROBE" flush "$url" --cacert "$work/ca.crt" > out.txt 2> err.txt || { cat out.txt err.txt; fail "flush over TLS with the private CA"; }
grep -qxF "flushed 9 keys from database 4 of rediss://***@127.0.0.1:$tls_port/4" out.txt || { cat out.txt; fail "TLS flush summary"; }
[ "$(tcli -n 4 DBSIZE)" = 0 ] && [ "$(tcli -n 0 DBSIZE)" = 1 ] || fail "the TLS flush did not empty exactly database 4"
no_secret "$secret" out.txt err.txt
# Verification on by default: the system's CAs do not know the private CA.
tcli -n 4 SET again 1 > /dev/null
expect_failure 3 "^pgscrub_site_checks_probe flush: rediss://\*\*\*@127.0.0.1:$tls_port/4: TLS: the server's certificate does not verify \(.*\) — give tls_ca: FILE .*tls_verify: false" \
    "$secret" flush "$url"
# A CA that did not sign the certificate is refused too; so is a certificate
# that is not for the host the URL names (it is for 127.0.0.1, not localhost).
expect_failure 3 "TLS: the server's certificate does not verify" "$secret" flush "$url" --cacert "$work/other-ca.crt"
expect_failure 3 "TLS: the server's certificate does not verify \(hostname mismatch\)" "$secret" \
    flush "rediss://:$encoded_password@localhost:$tls_port/4" --cacert "$work/ca.crt"
[ "$(tcli -n 4 DBSIZE)" = 1 ] || fail "a refused TLS connection flushed something"
# Verification off (tls_verify: false, Heroku's self-signed certificates): flushed.
"$PGSCRUB_PROBE" flush "rediss://:$encoded_password@localhost:$tls_port/4" --insecure | grep -q "^flushed 1 keys from database 4" \
    || fail "flush with verification off"
# A wrong password, a missing one, a database out of range: refused, nothing flushed, nothing shown.
tcli -n 0 SET more 1 > /dev/null
expect_failure 3 "AUTH failed: WRONGPASS .* — check the password" "$secret" flush "rediss://:wrong-$encoded_password@127.0.0.1:$tls_port/0" --insecure
expect_failure 3 "SELECT 0 failed: NOAUTH .* — give the password in the URL" @@nothing@@ flush "rediss://127.0.0.1:$tls_port/0" --insecure
expect_failure 3 "SELECT 99 failed: ERR DB index is out of range" "$secret" flush "rediss://:$encoded_password@127.0.0.1:$tls_port/99" --insecure
[ "$(tcli -n 0 DBSIZE)" = 2 ] || fail "a failed TLS flush emptied database 0"
# A plain client against the TLS port, and TLS against a plain port: clear failures.
expect_failure 3 "TLS handshake failed: no answer within 10 s — is this port plain Redis" @@nothing@@ flush "rediss://127.0.0.1:$open_port/0" --insecure

# ---- check_url against the loopback HTTP server.
start_http_server site
base="http://127.0.0.1:$HTTP_PORT"
"$PGSCRUB_PROBE" check "$base/" 200 > out.txt || { cat out.txt; fail "check of a 200 page"; }
grep -qE "^$base/: HTTP 200, in [0-9]+\.[0-9]{2} s$" out.txt || { cat out.txt; fail "check summary"; }
expect_failure 1 "^$base/missing: HTTP 404, expected 200, in " @@nothing@@ check "$base/missing" 200
"$PGSCRUB_PROBE" check "$base/status/503" 503 > /dev/null || fail "an expected 503 counts as a match"
# A redirect is a status of its own unless following is asked for.
"$PGSCRUB_PROBE" check "$base/moved" 301 > out.txt || { cat out.txt; fail "check of a 301"; }
grep -qF "$base/moved: HTTP 301 (redirect to $base/), in" out.txt || { cat out.txt; fail "301 summary names the target"; }
"$PGSCRUB_PROBE" check "$base/moved" 200 --follow > /dev/null || fail "check following a redirect"
expect_failure 3 "redirect-loop: request failed: Maximum \(10\) redirects followed" @@nothing@@ check "$base/redirect-loop" 200 --follow
# Credentials and a query string stay hidden in the summary.
expect_failure 1 "^http://\*\*\*@127.0.0.1:$HTTP_PORT/missing\?\*\*\*: HTTP 404, expected 200" basic-secret \
    check "http://user:basic-secret@127.0.0.1:$HTTP_PORT/missing?token=basic-secret" 200
# Nothing listening: a quick failure with the reason.
start=$(date +%s)
expect_failure 3 "^pgscrub_site_checks_probe check: http://127.0.0.1:$closed/: request failed: Failed to connect to 127.0.0.1 port $closed" \
    @@nothing@@ check "http://127.0.0.1:$closed/" 200
[ $(($(date +%s) - start)) -le 5 ] || fail "a closed HTTP port took $(($(date +%s) - start)) s to fail"
# A page slower than the timeout fails after the timeout.
head -c 20 /dev/zero > site/slow.bin
start=$(date +%s)
expect_failure 3 "/slow/1/slow.bin: request failed: Operation timed out" @@nothing@@ check "$base/slow/1/slow.bin" 200 --timeout 2
[ $(($(date +%s) - start)) -le 6 ] || fail "the check's timeout was not kept"
echo "PASS: site checks"
