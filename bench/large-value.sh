#!/usr/bin/env bash
# One very large value: a table with a single text field of about SIZE_MB
# MiB holding hundreds of thousands of e-mail addresses and phone numbers,
# scrubbed with redact and with mask, with --verify, and scanned. The cost
# must grow linearly with the value (issue 10: redact of a 49 MB field took
# 246 s, scan 288 s, mask peaked at 575 MB). A benchmark, not a test.
#   bench/large-value.sh [SIZE_MB]      (default 50)
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb="${1:-50}"
export PGSCRUB="${PGSCRUB:-$PWD/build/release/cli/pgscrub}"
export PGSCRUB_TEST_ROOT="${PGSCRUB_BENCH_DIR:-/var/tmp/pgscrub-bench}/large-value"
export PGSCRUB_SECRET=large-value-bench-key-0123456789
source tests/integration/lib.sh
mkdir -p "$PGSCRUB_TEST_ROOT"
cluster_start 15
trap 'cluster_stop 15' EXIT
use_cluster 15
work="$PGSCRUB_TEST_ROOT/work"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
python3 - "$size_mb" > field.copy <<'PY'
import sys
target = int(sys.argv[1]) << 20
out, size, i = [], 0, 0
while size < target:
    part = f"contact person{i}@fastmail.com or +44 20 {7000 + i % 999:04d} {1000 + i % 8999:04d} about order {i} "
    out.append(part); size += len(part); i += 1
sys.stdout.write("1\t" + "".join(out) + "\n")
PY
fresh_db large_value
q -d large_value -c "CREATE TABLE notes (id int, body text)"
q -d large_value -c "\copy notes FROM '$work/field.copy'"
"$BIN/pg_dump" -Fc -Z0 -f in.fc large_value
printf 'version: 1\ntables:\n  notes:\n    keep: [id]\n    columns: {body: redact}\n' > redact.yaml
printf 'version: 1\ntables:\n  notes:\n    keep: [id]\n    columns: {body: mask}\n' > mask.yaml
measure() { # LABEL COMMAND...
    local label="$1"; shift
    /usr/bin/time -f "%e %M" -o time.txt "$@" > /dev/null 2> err.txt || [ "$label" = scan ] || { cat err.txt; exit 1; }
    read -r seconds kib < <(tail -n 1 time.txt)
    printf '%-22s %8.2f s %8d MB\n' "$label" "$seconds" "$((kib / 1024))"
}
echo "one field of $(($(stat -c %s field.copy) >> 20)) MiB"
measure "scrub redact" "$PGSCRUB" scrub -q -r redact.yaml -i in.fc -o redact.fc
measure "scrub mask" "$PGSCRUB" scrub -q -r mask.yaml -i in.fc -o mask.fc
measure "scrub redact --verify" "$PGSCRUB" scrub -q -r redact.yaml -i in.fc -o verify.fc --verify
measure "scan" "$PGSCRUB" scan in.fc
