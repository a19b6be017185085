#!/usr/bin/env bash
# `pgscrub media sync` to S3 when things go wrong, against a real S3 server
# (s3rver 3.7.1 on loopback, s3rver_lib.sh) and a fault-injecting proxy in front
# of it (fault_proxy.py):
# - the server killed mid-run: exit 3 within a bounded time, one line naming
#   the endpoint; the server restarted on its directory, a re-run finishes
#   the job and no key is PUT twice across both runs;
# - 503 SlowDown and 500 InternalError answered to the first attempts of
#   every PUT: retried with backoff, the sync succeeds; 503 on every attempt:
#   exit 3 after the bounded attempts, naming SlowDown and the key;
# - a re-run's HEAD per key goes over one connection per thread, not one each;
# - Ctrl-C mid-run: exit 3, and a re-run copies nothing twice (the local
#   target's case is in sync_local.sh).
# The bucket is read back with boto3. Skips (77) like sync_s3.sh.
source "$(dirname "$0")/../lib.sh"
source "$(dirname "$0")/s3rver_lib.sh"
s3rver_require
s3rver_install
proxy_py="$(cd "$(dirname "$0")" && pwd)/fault_proxy.py"

work="$PGSCRUB_TEST_ROOT/media-faults-s3"
rm -rf "$work" && mkdir -p "$work/s3data" && cd "$work"
proxy_pid=
trap 'kill "${S3RVER_PID:-}" $proxy_pid 2> /dev/null || true' EXIT
port=$(free_port)
s3rver_start "$work/s3data" "$port" s3rver.log media
endpoint="127.0.0.1:$port"

now() { date +%s.%N; }
# Seconds since $1, to a tenth.
since() { "$PY" -c "import sys; print('%.1f' % (float(sys.argv[2]) - float(sys.argv[1])))" "$1" "$(now)"; }
# below SECONDS LIMIT: true when SECONDS < LIMIT.
below() { "$PY" -c "import sys; sys.exit(0 if float(sys.argv[1]) < float(sys.argv[2]) else 1)" "$1" "$2"; }

# DIR COUNT SIZE: COUNT files of SIZE random bytes.
make_files() {
    "$PY" - "$@" <<'PY'
import os, sys
directory, count, size = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(directory, exist_ok=True)
for i in range(count):
    with open(os.path.join(directory, "f%04d.bin" % i), "wb") as f:
        f.write(os.urandom(size))
PY
}

# DIR PREFIX: the bucket's keys under PREFIX hold DIR's files, byte for byte (boto3).
same_as_bucket() {
    "$PY" - "$@" <<'PY'
import boto3, hashlib, os, sys
directory, prefix = sys.argv[1], sys.argv[2]
s3 = boto3.client("s3", endpoint_url=os.environ["AWS_ENDPOINT_URL"])
want = {}
for name in os.listdir(directory):
    with open(os.path.join(directory, name), "rb") as f:
        want[name] = hashlib.sha256(f.read()).hexdigest()
got = {}
for page in s3.get_paginator("list_objects_v2").paginate(Bucket="media", Prefix=prefix):
    for o in page.get("Contents", []):
        body = s3.get_object(Bucket="media", Key=o["Key"])["Body"].read()
        got[o["Key"][len(prefix):]] = hashlib.sha256(body).hexdigest()
missing = sorted(set(want) - set(got))
extra = sorted(set(got) - set(want))
differ = sorted(k for k in want if k in got and want[k] != got[k])
if missing or extra or differ:
    sys.exit("bucket vs %s: missing %s, extra %s, different %s" % (directory, missing[:5], extra[:5], differ[:5]))
PY
}

# PREFIX: how many PUTs s3rver stored under PREFIX, in all its logs.
stored() { sed 's/\x1b\[[0-9;]*m//g' s3rver*.log | grep -c "Stored object \"$1" || true; }
# PREFIX: fails when s3rver stored a key under PREFIX more than once.
no_key_stored_twice() {
    local twice
    twice=$(sed 's/\x1b\[[0-9;]*m//g' s3rver*.log | grep -o "Stored object \"$1[^\"]*\"" | sort | uniq -d | head -3)
    [ -z "$twice" ] || fail "PUT more than once across the runs: $twice"
}

# ---- the server killed mid-run ------------------------------------------------
make_files src 600 16384
start=$(now)
"$PGSCRUB" media sync --from src --to s3://media/killed/ -j 8 2> killed.txt &
sync_pid=$!
for _ in $(seq 600); do
    [ "$(stored killed/)" -ge 60 ] && break
    sleep 0.02
done
kill -KILL "$S3RVER_PID"
killed_at=$(now)
wait "$S3RVER_PID" 2> /dev/null || true # reaped quietly
set +e
wait "$sync_pid"
rc=$?
set -e
took=$(since "$killed_at")
echo "the server killed after $(stored killed/) PUTs ($(since "$start") s into the run); pgscrub stopped $took s later"
[ "$rc" = 3 ] || { cat killed.txt; fail "a sync whose server died exited $rc, expected 3"; }
below "$took" 15 || fail "pgscrub took $took s to give up on a dead server (retries are bounded: ~3 s)"
[ "$(wc -l < killed.txt)" = 1 ] || { cat killed.txt; fail "expected one line of error"; }
grep -q "$endpoint" killed.txt || { cat killed.txt; fail "the error does not name the endpoint"; }
! grep -q S3RVER killed.txt || fail "a credential was printed"
grep -q 'copies done and kept: run the same command again to finish' killed.txt || { cat killed.txt; fail "the error does not say how to finish"; }
first=$(stored killed/)
[ "$first" -lt 600 ] || fail "the kill came after the run had finished; make the files larger"

mv s3rver.log s3rver-1.log
s3rver_drop_incomplete "$work/s3data"
# What the first run completed, counted on the server's disk (a kill can
# come after an object is stored and before s3rver logs it).
complete=$(find s3data/media/killed -name '*._S3rver_object' | wc -l)
s3rver_start "$work/s3data" "$port" s3rver.log media
"$PGSCRUB" media sync --from src --to s3://media/killed/ -j 8 2> rerun.txt || { cat rerun.txt; fail "the re-run after the server came back failed"; }
grep -q ": 600 source objects, 0 outside the filter; $((600 - complete)) copied (" rerun.txt ||
    { cat rerun.txt; fail "the re-run did not copy exactly the $((600 - complete)) objects left"; }
same_as_bucket src killed/ || fail "after the re-run the bucket differs from the source"
no_key_stored_twice killed/

# ---- 503 SlowDown and 500 InternalError, retried -------------------------------
# proxy LOG ARGS...: the fault proxy in front of s3rver, as the endpoint.
proxy() {
    local proxy_port log=$1
    shift
    proxy_port=$(free_port)
    "$PY" "$proxy_py" "$proxy_port" "$port" "$log" "$@" 2> "$log.err" &
    proxy_pid=$!
    wait_for_port "$proxy_port" || { cat "$log.err"; fail "the fault proxy did not start"; }
    PROXY_URL="http://127.0.0.1:$proxy_port"
}
stop_proxy() { kill "$proxy_pid"; wait "$proxy_pid" 2> /dev/null || true; proxy_pid=; }

make_files few 5 1000
for status in 503 500; do
    proxy "proxy-$status.log" --method PUT --path-contains "/media/retried-$status/" --times 2 --status "$status"
    AWS_ENDPOINT_URL=$PROXY_URL "$PGSCRUB" media sync --from few --to "s3://media/retried-$status/" 2> "retried-$status.txt" ||
        { cat "retried-$status.txt"; fail "a sync with two $status answers per PUT failed"; }
    stop_proxy
    same_as_bucket few "retried-$status/" || fail "after $status retries the bucket differs from the source"
    # Each key: two faults, then the PUT that went through; attempts spaced by the backoff (at least 200 ms).
    "$PY" - "proxy-$status.log" <<'PY' || fail "the proxy did not see the retries ($status)"
import collections, sys
attempts = collections.defaultdict(list)
for line in open(sys.argv[1]):
    t, kind, method, path, status = line.split()
    if method == "PUT":
        attempts[path].append((float(t), kind))
assert len(attempts) == 5, attempts
for path, seen in attempts.items():
    assert [k for _, k in seen] == ["FAULT", "FAULT", "PASS"], (path, seen)
    gaps = [b[0] - a[0] for a, b in zip(seen, seen[1:])]
    assert all(g >= 0.19 for g in gaps), (path, gaps)
PY
done

# 503 on every attempt: gives up after the bounded attempts, naming SlowDown and the key.
proxy proxy-always.log --method PUT --path-contains /media/never/ --always
start=$(now)
set +e
AWS_ENDPOINT_URL=$PROXY_URL "$PGSCRUB" media sync --from few --to s3://media/never/ -j 1 2> never.txt
rc=$?
set -e
took=$(since "$start")
stop_proxy
echo "always 503: gave up after $took s"
[ "$rc" = 3 ] || { cat never.txt; fail "a sync answered SlowDown on every attempt exited $rc, expected 3"; }
[ "$(wc -l < never.txt)" = 1 ] || { cat never.txt; fail "expected one line of error"; }
grep -q 'SlowDown' never.txt || { cat never.txt; fail "the error does not name SlowDown"; }
grep -q 'f0000.bin' never.txt || { cat never.txt; fail "the error does not name the key"; }
[ "$(grep -c 'FAULT PUT /media/never/f0000.bin' proxy-always.log)" = 4 ] || { cat proxy-always.log; fail "expected 4 attempts"; }
[ "$(grep -c 'PUT' proxy-always.log)" = 4 ] || { cat proxy-always.log; fail "other keys were tried after the first failed"; }
below "$took" 10 || fail "giving up took $took s"

# ---- connections are reused ----------------------------------------------------------
# A re-run sends a HEAD per key: on one connection per transfer thread, not a
# new one per request (on S3, a TLS handshake each).
make_files reuse 200 100
"$PGSCRUB" media sync --from reuse --to s3://media/reuse/ -j 4 2> reuse-first.txt || { cat reuse-first.txt; fail "reuse: first sync"; }
proxy proxy-reuse.log --method NONE --times 0
AWS_ENDPOINT_URL=$PROXY_URL "$PGSCRUB" media sync --from reuse --to s3://media/reuse/ -j 4 2> reuse.txt ||
    { cat reuse.txt; fail "reuse: the re-run failed"; }
stop_proxy
heads=$(grep -c ' PASS HEAD ' proxy-reuse.log || true)
connections=$(grep -c ' CONNECT ' proxy-reuse.log || true)
echo "re-run: $heads HEAD requests on $connections connections"
[ "$heads" = 200 ] || { cat reuse.txt; fail "the re-run sent $heads HEAD requests, expected one per key (200)"; }
[ "$connections" -le 8 ] || fail "the re-run opened $connections connections for $heads requests: they are not reused"

# ---- Ctrl-C mid-run ---------------------------------------------------------------
make_files big 300 262144
"$PGSCRUB" media sync --from big --to s3://media/interrupted/ -j 4 2> interrupted.txt &
sync_pid=$!
for _ in $(seq 600); do
    [ "$(stored interrupted/)" -ge 20 ] && break
    sleep 0.02
done
kill -INT "$sync_pid"
interrupted_at=$(now)
set +e
wait "$sync_pid"
rc=$?
set -e
took=$(since "$interrupted_at")
echo "Ctrl-C after $(stored interrupted/) PUTs; pgscrub stopped $took s later"
[ "$rc" = 3 ] || { cat interrupted.txt; fail "an interrupted sync exited $rc, expected 3"; }
[ "$(wc -l < interrupted.txt)" = 1 ] || { cat interrupted.txt; fail "expected one line after Ctrl-C"; }
grep -q 'copies done and kept: run the same command again to finish' interrupted.txt || { cat interrupted.txt; fail "the Ctrl-C message does not say how to finish"; }
below "$took" 5 || fail "pgscrub took $took s to stop on Ctrl-C"
[ "$(stored interrupted/)" -lt 300 ] || fail "Ctrl-C came after the run had finished; make the files larger"
s3rver_drop_incomplete "$work/s3data"
complete=$(find s3data/media/interrupted -name '*._S3rver_object' | wc -l)
"$PGSCRUB" media sync --from big --to s3://media/interrupted/ -j 4 2> resumed.txt || { cat resumed.txt; fail "the re-run after Ctrl-C failed"; }
grep -q ": 300 source objects, 0 outside the filter; $((300 - complete)) copied (" resumed.txt ||
    { cat resumed.txt; fail "the re-run did not copy exactly the $((300 - complete)) objects left"; }
same_as_bucket big interrupted/ || fail "after the re-run the bucket differs from the source"
no_key_stored_twice interrupted/
echo "PASS: media sync to S3 through faults"
