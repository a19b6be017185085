#!/usr/bin/env bash
# Reproducible: scripts/package.sh in a second build tree, at another path,
# gives the same .deb, byte for byte, as the fixture's; and the binary holds
# no path of the source or build trees.
#   tests/packaging/reproducible.sh
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
fail() { echo "FAIL: $*" >&2; exit 1; }
first="$(ls "$PGSCRUB_TEST_ROOT"/package/pgscrub_*.deb)"
second_dir="$PGSCRUB_TEST_ROOT/package-again"
rm -rf "$second_dir"
PGSCRUB_PACKAGE_BUILD_DIR="$src/build/package-tree-b" "$src/scripts/package.sh" "$second_dir" > /dev/null
second="$(ls "$second_dir"/pgscrub_*.deb)"
[ "$(basename "$first")" = "$(basename "$second")" ] || fail "package names differ: $first, $second"
if ! cmp -s "$first" "$second"; then
    # A file edited between the two builds makes git describe say -dirty in one only.
    commits="$(for deb in "$first" "$second"; do dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/bin/pgscrub | strings | grep -m1 -x -E '[0-9a-f]{12}(-dirty)?|release' || true; done | sort -u)"
    [ "$(wc -l <<<"$commits")" = 1 ] || fail "the source changed between the two builds (commits: $(echo $commits)); run again"

    # Say which member differs, to know where the build is not reproducible.
    for deb in "$first" "$second"; do
        dir="$deb.contents" && rm -rf "$dir" && mkdir -p "$dir" && dpkg-deb -R "$deb" "$dir"
    done
    diff -r "$first.contents" "$second.contents" >&2 || true
    dpkg-deb -c "$first" | diff - <(dpkg-deb -c "$second") >&2 || true
    fail "two builds of one source give different packages"
fi
unpacked="$second_dir/unpacked"
dpkg-deb -x "$second" "$unpacked"
for path in "$src" "$src/build" "$PGSCRUB_TEST_ROOT"; do
    ! grep -qF "$path" "$unpacked/usr/bin/pgscrub" || fail "the binary embeds the path $path"
done
echo "ok: two builds, one package ($(sha256sum < "$first" | cut -c1-16)…), no build path inside"
