#!/usr/bin/env bash
# A run file's media steps (sync_media, verify_media) around a real restore,
# as examples/pull-local.yaml uses them on a developer's machine:
#   - the Wagtail-like site is restored (swap), its rendition rows deleted,
#     original_images/ pulled into a local folder with the photo cleaned
#     (exiftool finds no GPS, serial or artist; Orientation stays), no
#     rendition or document copied, and verify_media finds every key the
#     restored wagtailimages_image.file names; the report's Media section
#     counts what was copied and cleaned and what was removed by kind;
#   - a photo that cannot be cleaned is left out, the run completes, the
#     report names it and the run exits 1;
#   - a key the database names but the source lacks fails verify_media
#     (exit 3) naming it, and the report says which step failed;
#   - a sync_media target inside its source is refused (exit 2) before the
#     database is touched.
source "$(dirname "$0")/../lib.sh"
use_cluster 15
PY=/usr/bin/python3
if ! "$PY" -c 'import PIL.Image' 2> /dev/null || ! command -v exiftool > /dev/null; then
    echo "SKIPPED: needs python3-pil and exiftool (libimage-exiftool-perl)" >&2
    exit 77
fi
work="$PGSCRUB_TEST_ROOT/run-media"
rm -rf "$work" && mkdir -p "$work/prod-media/original_images" "$work/prod-media/images" "$work/prod-media/documents" && cd "$work"

# ---- production: the Wagtail-like site, and its media as Wagtail lays it out.
prod=run_media_production local=run_media_local
fresh_db "$prod"
q -d "$prod" -f "$HERE/wagtail_schema.sql" > /dev/null 2>&1
q -d "$prod" -f "$HERE/wagtail_data.sql" > /dev/null
"$BIN/pg_dump" -Fc -f production.dump "$prod"
fresh_db "$local"
"$PY" - <<'PY'
from PIL import Image
img = Image.new("RGB", (40, 30))
img.putdata([((x * 7) % 256, (y * 3) % 256, 60) for y in range(30) for x in range(40)])
for name in ("ann-baker-headshot.jpg", "IMG_2031.jpg"):
    img.save("prod-media/original_images/" + name, quality=90)
img.save("prod-media/original_images/logo.png")
img.save("prod-media/images/ann-baker-headshot.max-800x600.jpg", quality=80)
PY
exiftool -q -overwrite_original -Orientation#=6 -Artist='Jane Photographer' -SerialNumber=SN-998877 \
    -GPSLatitude=51.5014 -GPSLatitudeRef=N -GPSLongitude=0.1419 -GPSLongitudeRef=W \
    prod-media/original_images/ann-baker-headshot.jpg prod-media/original_images/IMG_2031.jpg
printf '%%PDF-1.4 a CV' > prod-media/documents/cv_lukasz_wojcik.pdf

write_run() { # write_run FILE STEPS...
    local file="$1"
    shift
    {
        cat <<YAML
version: 1
source: {dump: production.dump}
rules: $HERE/wagtail_site_rules.yaml
target: {database: "postgresql:///$local?host=$PGHOST&port=$PGPORT", confirm: $local}
steps:
  - restore: {strategy: swap}
YAML
        for step in "$@"; do echo "  - $step"; done
        echo "report: report.md"
    } > "$file"
}
pull_steps=(
    "sql: [\"DELETE FROM wagtailimages_rendition\"]"
    "sync_media: {from: prod-media, to: local-media, preset: wagtail-originals}"
    "verify_media: {from: prod-media, to: local-media, preset: wagtail-originals, expect: [wagtailimages_image.file]}"
)
export PGSCRUB_SECRET=run-media-test-key-0123456789

# ---- a target inside the source: refused before anything is touched.
write_run inside.yaml "sync_media: {from: prod-media, to: prod-media/copy}"
set +e; "$PGSCRUB" run inside.yaml --yes > inside.out 2> inside.err; rc=$?; set -e
[ "$rc" = 2 ] || { cat inside.err; fail "a sync_media target inside its source exited $rc, expected 2"; }
grep -q 'inside' inside.err || { cat inside.err; fail "the refusal does not say the target is inside the source"; }
[ "$(q -d "$local" -c "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")" = 0 ] || fail "a refused run restored the database"
[ ! -e prod-media/copy ] && [ ! -e report.md ] || fail "a refused run wrote something"

# ---- the plan shows the media steps.
write_run pull.yaml "${pull_steps[@]}"
"$PGSCRUB" run pull.yaml --dry-run 2> dry.err || { cat dry.err; fail "--dry-run failed"; }
grep -Eq 'sync_media +pgscrub media sync .*/prod-media -> .*/local-media \(preset wagtail-originals; images cleaned' dry.err ||
    { cat dry.err; fail "the plan lacks the sync_media step"; }
grep -q 'verify_media.*every key the target database.s wagtailimages_image.file names exists' dry.err ||
    { cat dry.err; fail "the plan lacks the verify_media step"; }
[ ! -e local-media ] || fail "--dry-run created the target folder"

# ---- the pull: database restored, renditions gone, originals cleaned and verified.
"$PGSCRUB" run pull.yaml --yes > pull.out 2> pull.err || { cat pull.err; fail "the pull run failed"; }
[ "$(q -d "$local" -c "SELECT count(*) FROM wagtailimages_rendition")" = 0 ] || fail "rendition rows were not deleted"
[ "$(q -d "$local" -c "SELECT count(*) FROM wagtailimages_image")" = 3 ] || fail "the image rows were not restored"
(cd local-media && find . -type f ! -name '.pgscrub-media.json' | sort) > pulled.txt
printf '%s\n' ./original_images/IMG_2031.jpg ./original_images/ann-baker-headshot.jpg ./original_images/logo.png |
    diff - pulled.txt || fail "the pull copied something other than original_images/"
for f in ann-baker-headshot.jpg IMG_2031.jpg; do
    exiftool -s -s -s -GPSLatitude -SerialNumber -Artist "local-media/original_images/$f" | grep -q . &&
        fail "exiftool finds GPS, a serial or an artist in the pulled $f"
    [ "$(exiftool -s -s -s -n -Orientation "local-media/original_images/$f")" = 6 ] || fail "Orientation of $f was lost"
done
grep -q '^## Media' report.md || { cat report.md; fail "the report has no Media section"; }
grep -Eq '^\| 5 \| 2 \| 3 \| 0 \| 3 \| 0 \| 0 \| ' report.md ||
    { cat report.md; fail "the Media table does not count 5 listed, 2 outside the filter, 3 copied and cleaned"; }
grep -q 'Removed from images .*gps from 2' report.md || { cat report.md; fail "the report does not count the GPS removed"; }
grep -q 'sync_media .*3 copied' report.md || { cat report.md; fail "the steps table lacks the sync_media detail"; }

# ---- a second run: the media is in step, nothing copied.
"$PGSCRUB" run pull.yaml --yes > again.out 2> again.err || { cat again.err; fail "the second run failed"; }
grep -Eq '^\| 5 \| 2 \| 0 \| 3 \| 0 \| 0 \| 0 \| ' report.md || { cat report.md; fail "the second run copied again"; }

# ---- a photo that cannot be cleaned: left out, named, exit 1.
head -c 300 prod-media/original_images/IMG_2031.jpg > prod-media/original_images/broken.jpg
set +e; "$PGSCRUB" run pull.yaml --yes > broken.out 2> broken.err; rc=$?; set -e
[ "$rc" = 1 ] || { cat broken.err; fail "a run that left an image out exited $rc, expected 1"; }
grep -q 'some images were not copied' broken.err || { cat broken.err; fail "the run does not say images were left out"; }
grep -q 'not copied (cannot be cleaned): `original_images/broken.jpg`' report.md || { cat report.md; fail "the report does not name the image"; }
[ ! -e local-media/original_images/broken.jpg ] || fail "an image that cannot be cleaned was copied"
rm prod-media/original_images/broken.jpg

# ---- a key the database names that the media lacks fails verify_media.
rm prod-media/original_images/logo.png local-media/original_images/logo.png
set +e; "$PGSCRUB" run pull.yaml --yes > missing.out 2> missing.err; rc=$?; set -e
[ "$rc" = 3 ] || { cat missing.err; fail "verify_media with a missing key exited $rc, expected 3"; }
grep -q 'step verify_media failed' missing.err || { cat missing.err; fail "the failure does not name verify_media"; }
grep -q 'original_images/logo.png' report.md || { cat report.md; fail "the report does not name the missing key"; }
grep -q 'FAILED at step `verify_media`' report.md || { cat report.md; fail "the report does not say verify_media failed"; }
echo "run media steps: ok"
