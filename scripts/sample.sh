#!/usr/bin/env bash
# The main job on the bundled sample: installs dependencies, builds pgscrub,
# loads samples/sample-site.sql into a throwaway PostgreSQL cluster, dumps it
# with pg_dump, scrubs the dump with samples/sample-rules.yaml, restores the
# result with stock pg_restore, and shows what happened.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
scripts/install-deps.sh
scripts/build.sh > /dev/null

export PGSCRUB="$root/build/release/cli/pgscrub"
export PGSCRUB_TEST_ROOT="$root/build/sample"
out="$PGSCRUB_TEST_ROOT"
mkdir -p "$out"
# shellcheck source=../tests/integration/lib.sh
source tests/integration/lib.sh
# The key makes pseudonyms deterministic; keep a real one secret (openssl rand -hex 32).
export PGSCRUB_SECRET="sample-key-for-the-bundled-demo-only"
trap 'cluster_stop 15' EXIT

echo "== starting a throwaway PostgreSQL 15 cluster in $out"
cluster_start 15
use_cluster 15
fresh_db sample_site
q -d sample_site -f samples/sample-site.sql > /dev/null

echo "== pg_dump -Fc sample_site > $out/sample-site.dump"
"$BIN/pg_dump" -Fc -f "$out/sample-site.dump" sample_site

echo "== pgscrub inspect (tables with data)"
"$PGSCRUB" inspect "$out/sample-site.dump" | sed -n '/^Tables with data:/,$p'

echo "== pgscrub scrub -r samples/sample-rules.yaml --verify"
"$PGSCRUB" scrub -r samples/sample-rules.yaml -i "$out/sample-site.dump" -o "$out/sample-site.scrubbed.dump" \
    --verify --report "$out/report.json"

echo "== pg_restore of the scrubbed archive into sample_scrubbed"
fresh_db sample_scrubbed
"$BIN/pg_restore" --exit-on-error -d sample_scrubbed "$out/sample-site.scrubbed.dump"

echo "== rows per table: original -> restored from the scrubbed dump"
for table in auth_user django_session wagtailcore_page wagtailforms_formsubmission; do
    printf '  %-30s %6s -> %s\n' "$table" "$(q -d sample_site -c "SELECT count(*) FROM $table")" \
        "$(q -d sample_scrubbed -c "SELECT count(*) FROM $table")"
done
echo "== the same person before and after (auth_user and a form submission)"
q -d sample_site -c "SELECT 'before: ' || username || ' ' || email || ' ' || first_name || ' ' || last_name FROM auth_user WHERE id = 7"
q -d sample_scrubbed -c "SELECT 'after:  ' || username || ' ' || email || ' ' || first_name || ' ' || last_name FROM auth_user WHERE id = 7"
q -d sample_site -c "SELECT 'before: ' || form_data::text FROM wagtailforms_formsubmission WHERE id = 7"
q -d sample_scrubbed -c "SELECT 'after:  ' || form_data::text FROM wagtailforms_formsubmission WHERE id = 7"
echo "== leak scan of the scrubbed archive: pgscrub scan -r samples/sample-rules.yaml"
"$PGSCRUB" scan -r samples/sample-rules.yaml "$out/sample-site.scrubbed.dump" | tail -n 3
echo "== report: $out/report.json and $out/report.html (verification, coverage, per table and column)"

echo "== media: a photo with GPS, a camera serial and the photographer's name, pulled by pgscrub media sync"
media="$out/media"
rm -rf "$media" "$out/media-local"
mkdir -p "$media/original_images" "$media/images"
/usr/bin/python3 - "$media" <<'PY'
import sys
from PIL import Image
root = sys.argv[1]
photo = Image.new("RGB", (64, 48))
photo.putdata([((x * 4) % 256, (y * 5) % 256, 120) for y in range(48) for x in range(64)])
photo.save(root + "/original_images/team-photo.jpg", quality=90)
photo.resize((16, 12)).save(root + "/images/team-photo.fill-16x12.jpg")
PY
exiftool -q -overwrite_original -Orientation#=6 -Artist='Jane Photographer' -SerialNumber=SN-998877 \
    -GPSLatitude=51.5014 -GPSLatitudeRef=N -GPSLongitude=0.1419 -GPSLongitudeRef=W "$media/original_images/team-photo.jpg"
show_tags() { exiftool -s -Artist -SerialNumber -GPSPosition -Orientation "$1" | sed 's/^/     /'; }
echo "   before ($media/original_images/team-photo.jpg):"
show_tags "$media/original_images/team-photo.jpg"
"$PGSCRUB" media sync --from "$media" --to "$out/media-local" --preset wagtail-originals --report "$out/media-report.json"
echo "   after ($out/media-local/original_images/team-photo.jpg; renditions are not pulled):"
show_tags "$out/media-local/original_images/team-photo.jpg"
echo "   removed, by kind: $(python3 -c "import json; print(', '.join(sorted(json.load(open('$out/media-report.json'))['removed_by_kind'])))")"
