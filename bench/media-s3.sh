#!/usr/bin/env bash
# media sync with S3, side by side in one run against one S3 server (s3rver
# 3.7.1 from npm, on loopback, plain http, its own directory): `aws s3 sync`
# (which cleans nothing) and `pgscrub media sync -j 8` (which cleans every
# photo) on the same objects, local -> S3 and S3 -> S3, each followed by a
# re-run with nothing changed; pgscrub's peak memory (GNU time's maximum RSS).
# A pgscrub re-run must take under 5 s (issue #12); the script exits 1 if not.
#
#   bench/media-s3.sh [PHOTOS [KIB_PER_PHOTO]]    (default 2000 photos of ~500 KiB: ~1 GB)
#   bench/media-s3.sh 100                         (smoke run: about a minute)
#
# Photos: JPEGs made by Pillow from seeded noise (they do not compress, and
# two runs give the same bytes), each with EXIF GPS, a camera serial, an
# owner and an artist; made once into PGSCRUB_BENCH_DIR and reused. The S3 ->
# S3 source is the bucket `aws s3 sync` filled, so it holds the photos
# uncleaned. aws copies bucket to bucket with CopyObject; pgscrub must
# download, clean and upload every photo (docs/media.md, "Bucket to bucket").
# Needs node and npm (s3rver is installed into PGSCRUB_CACHE once), aws,
# /usr/bin/python3 with PIL, exiftool, bc and GNU time (/usr/bin/time).
# Environment: PGSCRUB (binary, default build/release/cli/pgscrub),
# PGSCRUB_BENCH_DIR (default /var/tmp/pgscrub-bench; needs ~5x the photos'
# size), PGSCRUB_CACHE (default ~/.cache/pgscrub, shared with the tests).
set -euo pipefail
photos="${1:-2000}"
kib="${2:-500}"
root="$(cd "$(dirname "$0")/.." && pwd)"
PGSCRUB="$(realpath "${PGSCRUB:-$root/build/release/cli/pgscrub}")"
bench="${PGSCRUB_BENCH_DIR:-/var/tmp/pgscrub-bench}"
PY=/usr/bin/python3
for need in node npm aws exiftool bc /usr/bin/time "$PGSCRUB"; do
    command -v "$need" > /dev/null || { echo "media-s3.sh: needs $need" >&2; exit 2; }
done
"$PY" -c 'import PIL.Image' 2> /dev/null || { echo "media-s3.sh: needs python3-pil for $PY" >&2; exit 2; }

# The photos, made once per (PHOTOS, KIB); bump `made` when the generator changes.
src="$bench/media-s3-photos-$photos-$kib"
made="media-s3.sh photos v2"
if [ "$(cat "$src/.complete" 2> /dev/null)" != "$made" ]; then
    rm -rf "$src" && mkdir -p "$src/media/original_images"
    echo "making $photos photos of ~$kib KiB in $src (once)" >&2
    "$PY" - "$src/media/original_images" "$photos" "$kib" <<'PY'
import random, sys
from PIL import Image
out, photos, kib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
side = int((kib * 1024 / 1.18) ** 0.5)  # RGB noise as JPEG at q95: 1.18 bytes per pixel
rng = random.Random(12)
bases = [Image.frombytes("RGB", (side, side), rng.randbytes(side * side * 3)) for _ in range(4)]
# 32 pixel variants (4 bases, 8 flips and quarter turns); the EXIF below makes every file differ.
variants = [None, *Image.Transpose]
for i in range(photos):
    exif = Image.Exif()
    exif[0x010F] = "BenchCam"                      # Make
    exif[0x013B] = "Jane Photographer"             # Artist
    exif[0x0112] = 1 + i % 8                       # Orientation: kept by the cleaner
    exif[0x8769] = {0xA431: f"SN-{i:06d}",         # ExifIFD BodySerialNumber
                    0xA430: "Jane Photographer"}   # CameraOwnerName
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, float(i % 60)), 3: "W", 4: (0.0, 8.0, 24.0)}  # GPS
    base, turn = bases[i % 4], variants[i // 4 % 8]
    (base if turn is None else base.transpose(turn)).save(f"{out}/photo-{i:05d}.jpg", quality=95, exif=exif)
PY
    echo "$made" > "$src/.complete"
fi
media="$src/media"
bytes=$(du -sb "$media" | cut -f1)

# s3rver, installed once into the cache the tests use (tests/integration/media/sync_s3.sh).
cache="${PGSCRUB_CACHE:-$HOME/.cache/pgscrub}/s3rver-3.7.1"
s3rver_js="$cache/node_modules/s3rver/bin/s3rver.js"
if ! [ -f "$s3rver_js" ]; then
    mkdir -p "$cache"
    npm install --silent --no-audit --no-fund --prefix "$cache" s3rver@3.7.1 > "$cache/npm.log" 2>&1 ||
        { echo "media-s3.sh: npm cannot install s3rver 3.7.1: $(tail -n 3 "$cache/npm.log")" >&2; exit 2; }
fi
dir="$bench/media-s3-run"
rm -rf "$dir" && mkdir -p "$dir/s3data"
port=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# --openssl-legacy-provider: s3rver's listing continuation tokens use DES
# (docs/media.md); --silent: no log line per request.
node --openssl-legacy-provider "$s3rver_js" -d "$dir/s3data" -a 127.0.0.1 -p "$port" --silent \
    --configure-bucket src-aws --configure-bucket src-pgscrub \
    --configure-bucket copy-aws --configure-bucket copy-pgscrub > "$dir/s3rver.log" 2>&1 &
s3rver_pid=$!
# The buckets' copies go with the server (~4x the photos); the outputs stay in $dir.
trap 'kill "$s3rver_pid" 2> /dev/null || true; wait "$s3rver_pid" 2> /dev/null || true; rm -rf "$dir/s3data"' EXIT
for _ in $(seq 100); do
    "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $port), 0.2)" 2> /dev/null && break
    sleep 0.1
done
# Both clients get the same credentials and endpoint, and no user config.
export AWS_ACCESS_KEY_ID=S3RVER AWS_SECRET_ACCESS_KEY=S3RVER AWS_REGION=us-east-1 AWS_DEFAULT_REGION=us-east-1
export AWS_ENDPOINT_URL="http://127.0.0.1:$port" AWS_CONFIG_FILE="$dir/aws-config"
export AWS_SHARED_CREDENTIALS_FILE="$dir/aws-credentials"
# awscli 1.45 adds CRC32 checksums s3rver does not need; only when required.
export AWS_REQUEST_CHECKSUM_CALCULATION=when_required AWS_RESPONSE_CHECKSUM_VALIDATION=when_required
unset AWS_PROFILE AWS_SESSION_TOKEN AWS_ENDPOINT_URL_S3
: > "$AWS_CONFIG_FILE"
: > "$AWS_SHARED_CREDENTIALS_FILE"

# s3rver's CPU seconds so far (user + system), to show how much of a step is the server.
server_cpu() {
    awk -v hz="$(getconf CLK_TCK)" '{ print ($14 + $15) / hz }' "/proc/$s3rver_pid/stat"
}
# clock NAME COMMAND...: wall seconds, peak RSS (KiB), user and system CPU seconds; s3rver CPU seconds: into $dir/NAME.*
clock() {
    local name="$1" before
    shift
    before=$(server_cpu)
    /usr/bin/time -f "%e %M %U %S" -o "$dir/$name.time" "$@" > "$dir/$name.out" 2>&1 ||
        { cat "$dir/$name.out" >&2; echo "media-s3.sh: $name failed: $*" >&2; exit 1; }
    echo "$(server_cpu) - $before" | bc -l > "$dir/$name.server"
}
seconds() { cut -d' ' -f1 "$dir/$1.time"; }
rss_mib() { echo "$(cut -d' ' -f2 "$dir/$1.time") / 1024" | bc; }
cpu() { echo "$(cut -d' ' -f3 "$dir/$1.time") + $(cut -d' ' -f4 "$dir/$1.time")" | bc -l; }
# copied NAME: how many objects a pgscrub run says it copied.
copied() { sed -nE 's/.*; ([0-9]+) copied \(.*/\1/p' "$dir/$1.out" | tail -n 1; }
keys() { aws s3 ls --recursive "s3://$1/" | wc -l; }

echo "media sync S3 bench: $photos photos, $((bytes / 1000000)) MB in $media"
echo "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $("$PGSCRUB" --version 2> /dev/null | head -n 1)" \
    "at $(git -C "$root" rev-parse --short HEAD 2> /dev/null || echo '?'); $(aws --version 2>&1 | cut -d' ' -f1,4)" \
    "(default 10 requests at a time); s3rver 3.7.1 on node $(node --version)"
cat "$media"/original_images/* > /dev/null # the page cache, warmed for both clients alike

clock aws-up aws s3 sync --no-progress "$media/" s3://src-aws/
clock pgscrub-up "$PGSCRUB" media sync --from "$media" --to s3://src-pgscrub/ -j 8
clock aws-up-again aws s3 sync --no-progress "$media/" s3://src-aws/
clock pgscrub-up-again "$PGSCRUB" media sync --from "$media" --to s3://src-pgscrub/ -j 8
clock aws-copy aws s3 sync --no-progress s3://src-aws/ s3://copy-aws/
clock pgscrub-copy "$PGSCRUB" media sync --from s3://src-aws/ --to s3://copy-pgscrub/ -j 8
clock aws-copy-again aws s3 sync --no-progress s3://src-aws/ s3://copy-aws/
clock pgscrub-copy-again "$PGSCRUB" media sync --from s3://src-aws/ --to s3://copy-pgscrub/ -j 8

# The runs did what they are timed for: everything copied once, nothing again, photos cleaned.
count=$(find "$media" -type f | wc -l)
for bucket in src-aws src-pgscrub copy-aws copy-pgscrub; do
    [ "$(keys "$bucket")" = "$count" ] || { echo "media-s3.sh: bucket $bucket holds $(keys "$bucket") keys, not $count" >&2; exit 1; }
done
for run in pgscrub-up pgscrub-copy; do
    grep -q "; $count copied ([0-9]* bytes; $count images cleaned of metadata)" "$dir/$run.out" ||
        { cat "$dir/$run.out" >&2; echo "media-s3.sh: $run did not copy and clean $count photos" >&2; exit 1; }
done
for run in pgscrub-up-again pgscrub-copy-again; do
    [ "$(copied "$run")" = 0 ] || { cat "$dir/$run.out" >&2; echo "media-s3.sh: $run copied something" >&2; exit 1; }
done
for bucket in src-pgscrub copy-pgscrub; do
    aws s3 cp --quiet "s3://$bucket/original_images/photo-00001.jpg" "$dir/$bucket.jpg"
    if exiftool -s -GPSLatitude -SerialNumber -Artist "$dir/$bucket.jpg" | grep -q .; then
        echo "media-s3.sh: a photo in $bucket still has GPS, a serial or an artist" >&2
        exit 1
    fi
done
exiftool -s -GPSLatitude "$media/original_images/photo-00001.jpg" | grep -q . || { echo "media-s3.sh: the source photo has no GPS" >&2; exit 1; }

printf '\n%-22s %7s %9s %7s %12s %7s %11s %11s\n' "step" "aws_s" "pgscrub_s" "ratio" "pgscrub_MB/s" "RSS_MiB" "client_cpu" "s3rver_cpu"
for step in up up-again copy copy-again; do
    case "$step" in
    up) label="local -> S3" ;;
    up-again) label="local -> S3, re-run" ;;
    copy) label="S3 -> S3" ;;
    copy-again) label="S3 -> S3, re-run" ;;
    esac
    a=$(seconds "aws-$step") p=$(seconds "pgscrub-$step") rate=-
    case "$step" in *-again) ;; *) rate=$(printf '%.1f' "$(echo "$bytes / ($p + 0.005) / 1000000" | bc -l)") ;; esac
    printf '%-22s %7.2f %9.2f %6.2fx %12s %7d %5.1f/%-5.1f %5.1f/%-5.1f\n' "$label" "$a" "$p" \
        "$(echo "$p / ($a + 0.005)" | bc -l)" "$rate" "$(rss_mib "pgscrub-$step")" \
        "$(cpu "aws-$step")" "$(cpu "pgscrub-$step")" "$(cat "$dir/aws-$step.server")" "$(cat "$dir/pgscrub-$step.server")"
done
echo "ratio = pgscrub / aws (pgscrub cleans every photo, aws cleans nothing); pgscrub_MB/s = the photos' size / pgscrub_s;"
echo "RSS_MiB = pgscrub's peak resident memory at -j 8 (aws: $(rss_mib aws-up) MiB up, $(rss_mib aws-copy) MiB S3 -> S3);"
echo "client_cpu, s3rver_cpu = CPU seconds (user + system) of the client and of the server during the aws / pgscrub"
echo "run (s3rver is one node process: on 2 cores the server and the client compete, compare CPU under load)."
slow=0
for run in pgscrub-up-again pgscrub-copy-again; do
    if [ "$(echo "$(seconds "$run") >= 5" | bc)" = 1 ]; then
        echo "FAIL: $run took $(seconds "$run") s; a re-run with nothing changed must take under 5 s" >&2
        slow=1
    fi
done
[ "$slow" = 0 ] && echo "re-runs with nothing changed: under 5 s"
exit "$slow"
