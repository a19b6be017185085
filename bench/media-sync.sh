#!/usr/bin/env bash
# media sync between local directories, side by side with the references in
# one run: `cp -r` and `rsync -a` (which copy without cleaning anything), and
# pgscrub media sync with cleaning at -j 1 and -j 8, its peak memory, and a
# re-run with nothing changed. The S3 comparison with `aws s3 sync` is
# bench/media-s3.sh.
#
#   bench/media-sync.sh [PHOTOS [KIB_PER_PHOTO]]     (default 2000 photos of ~500 KiB: ~1 GB)
#
# Photos are JPEGs made with Pillow (noise, so they do not compress) and
# given GPS, a serial and an artist by exiftool; 10 % are PDFs (copied as
# they are). Needs /usr/bin/python3 with PIL, exiftool, bc and GNU time (rsync if installed).
set -euo pipefail
photos="${1:-2000}"
kib="${2:-500}"
root="$(cd "$(dirname "$0")/.." && pwd)"
PGSCRUB="${PGSCRUB:-$root/build/release/cli/pgscrub}"
dir="${PGSCRUB_BENCH_DIR:-/var/tmp/pgscrub-bench}/media-$photos-$kib"
mkdir -p "$dir"
src="$dir/src"
if [ ! -f "$src/.complete" ]; then
    rm -rf "$src" && mkdir -p "$src/original_images" "$src/documents"
    /usr/bin/python3 - "$src" "$photos" "$kib" <<'PY'
import os, sys
from PIL import Image
root, photos, kib = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
side = int((kib * 1024 / 3) ** 0.5 * 1.3)  # noise JPEG at q95 is ~0.6 bytes/pixel per channel
base = Image.frombytes("RGB", (side, side), os.urandom(side * side * 3))
for i in range(photos):
    if i % 10 == 9:
        with open(f"{root}/documents/doc-{i:05d}.pdf", "wb") as f:
            f.write(b"%PDF-1.4\n" + os.urandom(kib * 1024))
    else:
        base.rotate(i % 360).save(f"{root}/original_images/photo-{i:05d}.jpg", quality=95)
PY
    exiftool -q -overwrite_original -Artist='Jane Photographer' -SerialNumber=SN-998877 -Orientation#=6 \
        -GPSLatitude=51.5 -GPSLatitudeRef=N -GPSLongitude=0.14 -GPSLongitudeRef=W "$src/original_images"
    touch "$src/.complete"
fi
bytes=$(du -sb "$src" | cut -f1)
clock() { # NAME COMMAND...: wall seconds and peak RSS of COMMAND
    local name="$1"; shift
    /usr/bin/time -f "%e %M" -o "$dir/time.txt" "$@" > /dev/null 2>&1
    read -r seconds rss < "$dir/time.txt"
    printf '%-44s %8.2f s %8.1f MB/s %8d MiB peak\n' "$name" "$seconds" "$(echo "$bytes / $seconds / 1000000" | bc -l)" $((rss / 1024))
    echo "$seconds" > "$dir/$name.seconds"
}
echo "media sync bench: $photos objects, $((bytes / 1000000)) MB in $src ($(nproc) cores)"
sync; echo 3 > /proc/sys/vm/drop_caches 2> /dev/null || true
rm -rf "$dir/cp" && clock "cp -r (no cleaning)" cp -r "$src" "$dir/cp"
if command -v rsync > /dev/null; then
    rm -rf "$dir/rsync" && clock "rsync -a (no cleaning)" rsync -a "$src/" "$dir/rsync/"
fi
rm -rf "$dir/j1" && clock "pgscrub media sync -j 1 (cleaning)" "$PGSCRUB" media sync --from "$src" --to "$dir/j1" -j 1
rm -rf "$dir/j8" && clock "pgscrub media sync -j 8 (cleaning)" "$PGSCRUB" media sync --from "$src" --to "$dir/j8" -j 8
clock "pgscrub media sync re-run, nothing changed" "$PGSCRUB" media sync --from "$src" --to "$dir/j8" -j 8
cp_s=$(cat "$dir/cp -r (no cleaning).seconds")
j8_s=$(cat "$dir/pgscrub media sync -j 8 (cleaning).seconds")
printf 'ratio: pgscrub -j 8 with cleaning takes %.2fx the time of cp -r without\n' "$(echo "$j8_s / $cp_s" | bc -l)"
