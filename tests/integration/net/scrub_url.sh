#!/usr/bin/env bash
# pgscrub reading its input from a signed URL (an http server on loopback
# that wants the token in the query string, as S3 does): scrub writes the
# same archive, byte for byte, as from the local file, and pg_restore restores
# it; scan and inspect read URLs too; a download cut short fails the run with
# exit 3 and leaves no output; an error status names itself; and the token
# appears nowhere — not in messages, the report or inspect's output.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/net_lib.sh"
use_cluster 15
work="$PGSCRUB_TEST_ROOT/net-scrub-url"
rm -rf "$work" && mkdir -p "$work/site" && cd "$work"
rules="$HERE/fixture_rules.yaml"

token="secret-$RANDOM$RANDOM"
"$BIN/pg_dump" -Fc -f site/site.dump fixture
"$BIN/pg_dump" -Ft -f site/site.tar fixture
"$BIN/pg_dump" -Fp -f site/site.sql fixture
HTTP_LOG="$work/serve.log" start_http_server site --token "$token"
base="http://127.0.0.1:$HTTP_PORT"
sig="X-Amz-Signature=$token"

# Custom format: identical output from the URL and from the file; restorable.
"$PGSCRUB" scrub -q -r "$rules" -i site/site.dump -o local.dump
"$PGSCRUB" scrub -q -r "$rules" -i "$base/site.dump?$sig" -o url.dump --report report.json 2> err.txt
cmp local.dump url.dump || fail "scrubbing the URL wrote another archive than scrubbing the file"
fresh_db net_scrub_url
"$BIN/pg_restore" --exit-on-error -d net_scrub_url url.dump
[ "$(q -d net_scrub_url -c "SELECT count(*) FROM people")" = "$(q -d fixture -c "SELECT count(*) FROM people")" ] ||
    fail "restored row count differs"
grep -qF "\"input\":\"$base/site.dump?***\"" report.json || { grep -F '"input"' report.json; fail "report input is not the masked URL"; }

# Tar through a redirect, and plain SQL: identical too.
"$PGSCRUB" scrub -q -r "$rules" -i site/site.tar -o local.tar
"$PGSCRUB" scrub -q -r "$rules" -i "$base/redirect/site.tar?$sig" -o url.tar 2>> err.txt
# (tar headers carry the time of writing: compare the members.)
cmp <(tar -tvf local.tar | awk '{print $3, $6}') <(tar -tvf url.tar | awk '{print $3, $6}') || fail "tar members differ"
cmp <(tar -xOf local.tar) <(tar -xOf url.tar) || fail "tar from a redirected URL differs"
"$PGSCRUB" scrub -q -r "$rules" -i site/site.sql -o local.sql
"$PGSCRUB" scrub -q -r "$rules" -i "$base/site.sql?$sig" -o url.sql 2>> err.txt
cmp local.sql url.sql || fail "plain SQL from a URL differs"

# scan and inspect read a URL as they read a file; inspect names it masked.
set +e
"$PGSCRUB" scan site/site.dump > scan-local.txt
rc_local=$?
"$PGSCRUB" scan "$base/site.dump?$sig" > scan-url.txt 2>> err.txt
rc_url=$?
set -e
[ "$rc_local" = 1 ] && [ "$rc_url" = 1 ] || fail "scan exited $rc_local (file) and $rc_url (URL), expected 1 and 1"
untimed() { sed -E 's/ scanned in [0-9.]+ s$//' "$1"; }
diff <(untimed scan-local.txt) <(untimed scan-url.txt) || fail "scan of the URL differs from scan of the file"
"$PGSCRUB" inspect "$base/site.dump?$sig" > inspect.txt 2>> err.txt
"$PGSCRUB" inspect --json "$base/site.sql?$sig" > inspect.json 2>> err.txt
grep -qF "$base/site.dump?***" inspect.txt || { head -5 inspect.txt; fail "inspect does not name the masked URL"; }
grep -qF "\"archive\":\"$base/site.sql?***\"" inspect.json || { head -c 300 inspect.json; fail "inspect --json archive name"; }
no_secret "$token" err.txt report.json report.html inspect.txt inspect.json scan-url.txt

# expect_failure CODE REGEX URL: scrub from URL exits CODE with REGEX in its
# one-line message, no secret, no output under any name.
expect_failure() {
    local want="$1" pattern="$2" url="$3" rc
    rm -rf out && mkdir out
    set +e
    "$PGSCRUB" scrub -q -r "$rules" -i "$url" -o out/out.dump > /dev/null 2> err.txt
    rc=$?
    set -e
    [ "$rc" = "$want" ] || { cat err.txt >&2; fail "scrub from $url exited $rc, expected $want"; }
    [ "$(wc -l < err.txt)" = 1 ] || { cat err.txt >&2; fail "expected a one-line message"; }
    grep -qE -- "$pattern" err.txt || { cat err.txt >&2; fail "message does not match /$pattern/"; }
    no_secret "$token" err.txt
    [ -z "$(ls -A out)" ] || { ls -la out >&2; fail "a failed run left output behind"; }
}

size=$(stat -c %s site/site.dump)
for cut in 3 2000 $((size / 2)) $((size - 10)); do
    expect_failure 3 "^pgscrub scrub: $base/cut/$cut/site.dump\?\*\*\*: .*(transfer closed with [0-9]+ bytes remaining|unexpected end of file)" \
        "$base/cut/$cut/site.dump?$sig"
done
# Cut inside table data, the download's own check speaks first: the archive is incomplete.
expect_failure 3 "download failed after $((size / 2)) bytes: transfer closed with $((size - size / 2)) bytes remaining to read; the archive is incomplete" \
    "$base/cut/$((size / 2))/site.dump?$sig"
expect_failure 3 "^pgscrub scrub: $base/missing.dump\?\*\*\*: download failed: HTTP status 404 \(Not Found\)$" "$base/missing.dump?$sig"
expect_failure 3 "HTTP status 403 \(Forbidden\); the server says: AccessDenied: Request has expired" "$base/site.dump?X-Amz-Signature=old"
expect_failure 3 "HTTP status 500" "$base/status/500?$sig"

# Ctrl-C while the download trickles in: the run stops at once, exit 3, no output.
rm -rf out && mkdir out
"$PGSCRUB" scrub -q -r "$rules" -i "$base/slow/20000/site.dump?$sig" -o out/out.dump 2> err.txt &
scrub_pid=$!
sleep 2
kill -INT "$scrub_pid"
start=$(date +%s)
set +e
wait "$scrub_pid"
rc=$?
set -e
[ "$rc" = 3 ] || { cat err.txt >&2; fail "an interrupted download exited $rc, expected 3"; }
[ $(($(date +%s) - start)) -le 3 ] || fail "Ctrl-C took $(($(date +%s) - start)) s to stop the download"
grep -qE "^pgscrub scrub: $base/slow/20000/site.dump\?\*\*\*: .*interrupted; partial output removed$" err.txt || { cat err.txt >&2; fail "interrupt message"; }
no_secret "$token" err.txt
[ -z "$(ls -A out)" ] || { ls -la out >&2; fail "an interrupted run left output behind"; }
echo "PASS: scrub from a URL"
