#!/usr/bin/env bash
# `pgscrub media sync` cleans images on the way, through the real binary:
# Pillow makes a JPEG and a PNG, exiftool fills them with GPS, a serial, an
# artist and Orientation=6; after the sync exiftool finds none of that in the
# target but Orientation, documents are copied byte for byte, an AVIF (which
# cannot be cleaned) is not copied and makes the run exit 1 — or is copied
# unchanged with --unstrippable copy —, the JSON report counts the removals,
# and a second run copies nothing (the cleaned copies are recorded as such).
source "$(dirname "$0")/../lib.sh"
PY=/usr/bin/python3
if ! "$PY" -c 'import PIL.Image' 2> /dev/null || ! command -v exiftool > /dev/null; then
    echo "SKIPPED: needs python3-pil and exiftool (libimage-exiftool-perl)" >&2
    exit 77
fi
work="$PGSCRUB_TEST_ROOT/media-sync-images"
rm -rf "$work" && mkdir -p "$work/src/original_images" "$work/src/documents" && cd "$work"

"$PY" - <<'PY'
from PIL import Image
img = Image.new("RGB", (40, 30))
img.putdata([((x * 9) % 256, (y * 5) % 256, 90) for y in range(30) for x in range(40)])
img.save("src/original_images/photo.jpg", quality=90)
img.save("src/original_images/photo.png")
PY
exiftool -q -overwrite_original -Orientation#=6 -Artist='Jane Photographer' -SerialNumber=SN-998877 \
    -GPSLatitude=51.5014 -GPSLatitudeRef=N -GPSLongitude=0.1419 -GPSLongitudeRef=W \
    src/original_images/photo.jpg src/original_images/photo.png
printf '%%PDF-1.4 a document, copied as it is' > src/documents/report.pdf
# An AVIF (ISO BMFF): an image the cleaner cannot clean.
printf '\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf' > src/original_images/upload.avif
exiftool -s -GPSLatitude src/original_images/photo.jpg | grep -q GPSLatitude || fail "exiftool wrote no GPS into the source"

set +e
"$PGSCRUB" media sync --from src --to dst --report report.json 2> first.txt
rc=$?
set -e
[ "$rc" = 1 ] || { cat first.txt; fail "a sync that left an image out exited $rc, expected 1"; }
grep -q '^not copied: cannot remove the metadata of original_images/upload.avif (unknown-format: ' first.txt ||
    { cat first.txt; fail "the AVIF is not named"; }
[ ! -e dst/original_images/upload.avif ] || fail "an image that cannot be cleaned was copied"
grep -q '; 3 copied (.* bytes; 2 images cleaned of metadata)' first.txt || { cat first.txt; fail "summary"; }

for f in photo.jpg photo.png; do
    exiftool -j -a -G1 -n "dst/original_images/$f" > "$f.json"
    "$PY" - "$f.json" <<'PY' || fail "exiftool finds personal metadata in the synced $f"
import json, sys
tags = json.load(open(sys.argv[1]))[0]
bad = [k for k in tags if k.split(":")[0] in ("[GPS]", "GPS", "ExifIFD", "XMP-dc", "XMP-aux")
       or k.endswith(":Artist") or k.endswith(":SerialNumber") or k.endswith(":GPSLatitude")]
assert not bad, bad
orientation = [v for k, v in tags.items() if k.endswith(":Orientation")]
assert orientation == [6], tags
PY
done
"$PY" - <<'PY' || fail "pixels changed"
from PIL import Image
for f in ("photo.jpg", "photo.png"):
    a, b = Image.open("src/original_images/" + f), Image.open("dst/original_images/" + f)
    assert a.tobytes() == b.tobytes(), f
PY
cmp -s src/documents/report.pdf dst/documents/report.pdf || fail "a document was not copied byte for byte"
"$PY" - <<'PY' || fail "report.json"
import json
r = json.load(open("report.json"))
assert r["cleaned"] == 2 and r["copied"] == 3, r
assert r["removed_by_kind"].get("gps") == 2 and r["removed_by_kind"].get("names") == 2, r["removed_by_kind"]
assert [u["key"] for u in r["unstrippable"]] == ["original_images/upload.avif"], r["unstrippable"]
assert r["unstrippable"][0]["copied_unchanged"] is False
PY

# Cleaned copies are recorded: nothing copies again (the AVIF is tried again, and refused again).
set +e
"$PGSCRUB" media sync --from src --to dst 2> second.txt
set -e
grep -q '; 0 copied (0 bytes; 0 images cleaned of metadata), 0 deleted, 3 already in step' second.txt ||
    { cat second.txt; fail "a second run copied again"; }

# --unstrippable copy: copied unchanged, with a warning, exit 0.
"$PGSCRUB" media sync --from src --to dst --unstrippable copy 2> copy.txt || { cat copy.txt; fail "--unstrippable copy failed"; }
grep -q '^warning: copied unchanged, with its metadata: original_images/upload.avif' copy.txt || { cat copy.txt; fail "no warning"; }
cmp -s src/original_images/upload.avif dst/original_images/upload.avif || fail "--unstrippable copy changed the file"

# --no-strip-metadata copies images as they are.
"$PGSCRUB" media sync --from src --to raw --no-strip-metadata 2> raw.txt
cmp -s src/original_images/photo.jpg raw/original_images/photo.jpg || fail "--no-strip-metadata changed an image"
echo "PASS: media sync cleans images on the way"
