#!/usr/bin/env bash
# The image cleaner (media/image_cleaner.hpp) on photos made by independent
# tools: Pillow draws JPEG, PNG, WebP and GIF images with an ICC profile,
# exiftool fills them with GPS, a serial number, an artist, XMP, IPTC, a
# thumbnail, comments and Orientation=6, and a trailer goes after the end
# marker. The test driver cleans each; then exiftool must find none of that
# metadata but still Orientation and the ICC profile, and Pillow must decode
# the same pixels as from the source. A JPEG named .heic is cleaned (the
# format comes from the bytes); a truncated JPEG and an AVIF are refused.
#
#   media_clean.sh DRIVER     (DRIVER: the pgscrub_media_clean_driver binary)
set -euo pipefail

DRIVER="${1:?usage: media_clean.sh DRIVER}"
# Debian's Pillow is in the system Python; a pyenv python3 on PATH lacks it.
PY=/usr/bin/python3
if ! "$PY" -c 'import PIL.Image, PIL.ImageCms' 2> /dev/null || ! command -v exiftool > /dev/null; then
    echo "SKIPPED: needs python3-pil (with ImageCms) and exiftool (libimage-exiftool-perl)" >&2
    exit 77
fi
fail() { echo "FAIL: $*" >&2; exit 1; }

dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cd "$dir"

# ---- the photos ---------------------------------------------------------
"$PY" - <<'PY'
from PIL import Image, ImageCms
import random

random.seed(12)
w, h = 48, 32
img = Image.new("RGB", (w, h))
img.putdata([(random.randrange(256), (x * 5) % 256, (y * 7) % 256) for y in range(h) for x in range(w)])
icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
img.save("photo.jpg", quality=90, icc_profile=icc)
img.save("photo.png", icc_profile=icc)
img.save("photo.webp", lossless=True, icc_profile=icc)
img.quantize(64).save("photo.gif", comment=b"shot by Jane Photographer at home")
img.resize((8, 6)).save("thumb.jpg", quality=50)
PY

tags=(-Orientation#=6 -Artist='Jane Photographer' -SerialNumber=SN-998877 -OwnerName='Jane Owner'
    -GPSLatitude=51.5014 -GPSLatitudeRef=N -GPSLongitude=0.1419 -GPSLongitudeRef=W
    -XMP-dc:Creator='Jane Photographer' -XMP-aux:SerialNumber=SN-998877)
exiftool -q -overwrite_original "${tags[@]}" -IPTC:By-line='Jane Photographer' -IPTC:City=London \
    '-ThumbnailImage<=thumb.jpg' -Comment='shot by Jane Photographer' photo.jpg
exiftool -q -overwrite_original "${tags[@]}" -PNG:Author='Jane Photographer' photo.png
exiftool -q -overwrite_original "${tags[@]}" photo.webp
exiftool -q -overwrite_original -XMP-dc:Creator='Jane Photographer' photo.gif
for f in photo.jpg photo.png photo.webp photo.gif; do
    printf 'TRAILER: the uncropped original, Jane Photographer' >> "$f"
done
cp photo.jpg camera-upload.heic

# The sources really hold what the cleaner must remove, or the test proves nothing.
exiftool -q -q -a -G1 -s photo.jpg > source-jpg.tags
for want in GPS:GPSLatitude IFD0:Artist ExifIFD:SerialNumber XMP-dc:Creator IPTC:By-line IFD1:ThumbnailImage \
    IFD0:Orientation ICC_Profile:ProfileDescription; do
    grep -q "^\[${want%%:*}\] *${want#*:} " source-jpg.tags || fail "exiftool did not write $want into the source JPEG"
done

# ---- cleaning -----------------------------------------------------------
for f in photo.jpg photo.png photo.webp photo.gif camera-upload.heic; do
    out="clean-${f}"
    "$DRIVER" "$f" "$out" > "$f.result" || fail "$f was not cleaned: $(cat "$f.result")"
    echo "$f: $(cat "$f.result")"
done
grep -q '^cleaned jpeg removed=gps,serials,names,xmp,iptc,thumbnail,comments,trailer' photo.jpg.result ||
    fail "the JPEG's report lacks a kind: $(cat photo.jpg.result)"
grep -q 'orientation=6' photo.png.result || fail "the PNG's Orientation was not kept: $(cat photo.png.result)"
grep -q '^cleaned jpeg' camera-upload.heic.result || fail "a JPEG named .heic was not cleaned as JPEG"

# ---- what exiftool finds in the cleaned files ----------------------------
for f in clean-photo.jpg clean-photo.png clean-photo.webp clean-photo.gif clean-camera-upload.heic; do
    exiftool -j -a -G1 -n "$f" > "$f.json"
    "$PY" - "$f" "$f.json" <<'PY' || fail "exiftool finds personal metadata in $f (above)"
import json, sys

name, path = sys.argv[1], sys.argv[2]
tags = json.load(open(path))[0]
problems = []
forbidden_groups = ("GPS", "ExifIFD", "IFD1", "XMP", "IPTC", "Photoshop", "MakerNotes", "InteropIFD")
for key, value in tags.items():
    group, _, tag = key.partition(":")
    if group.startswith(forbidden_groups):
        problems.append(key)
    elif group == "IFD0" and tag != "Orientation":
        problems.append(key)
    elif tag in ("Comment", "Artist", "SerialNumber", "Author", "ThumbnailImage", "OwnerName"):
        problems.append(key)
    elif group == "ExifTool" and tag == "Warning":
        problems.append(f"{key}={value}")
if not name.endswith(".gif"):
    if tags.get("IFD0:Orientation") != 6:
        problems.append("Orientation is not 6")
    if not any(k.startswith("ICC") for k in tags):
        problems.append("no ICC profile")
data = open(name, "rb").read()
for secret in (b"Jane", b"SN-998877", b"TRAILER", b"London"):
    if secret in data:
        problems.append(f"the bytes still hold {secret!r}")
if problems:
    print(f"{name}: " + ", ".join(problems), file=sys.stderr)
    sys.exit(1)
PY
done

# ---- the pixels Pillow decodes ---------------------------------------------
"$PY" - <<'PY' || fail "decoded pixels differ (above)"
from PIL import Image
import sys

bad = []
for src, dst in [("photo.jpg", "clean-photo.jpg"), ("photo.png", "clean-photo.png"),
                 ("photo.webp", "clean-photo.webp"), ("photo.gif", "clean-photo.gif")]:
    a, b = Image.open(src), Image.open(dst)
    if (a.mode, a.size) != (b.mode, b.size) or a.tobytes() != b.tobytes():
        bad.append(src)
    elif a.mode == "P" and a.getpalette() != b.getpalette():
        bad.append(src + " (palette)")
    # Pillow's exif_transpose, which Wagtail's auto-orient uses, still rotates.
    if not src.endswith(".gif") and b.getexif().get(0x0112) != 6:
        bad.append(dst + " (Orientation as Pillow reads it)")
if bad:
    print("differ: " + ", ".join(bad), file=sys.stderr)
    sys.exit(1)
PY

# ---- refusals ------------------------------------------------------------------
head -c 2000 photo.jpg > truncated.jpg
printf '\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf' > photo.avif
for f in truncated.jpg photo.avif; do
    if "$DRIVER" "$f" "clean-$f" > "$f.result"; then fail "$f was cleaned; it must be refused"; fi
    [ ! -e "clean-$f" ] || fail "a refused $f still produced output"
    echo "$f: $(cat "$f.result")"
done
grep -q '^unstrippable truncated' truncated.jpg.result || fail "truncated.jpg: $(cat truncated.jpg.result)"
grep -q '^unstrippable unknown-format' photo.avif.result || fail "photo.avif: $(cat photo.avif.result)"
echo "media_clean: OK"
