#!/usr/bin/env bash
# The package tests' fixture: scripts/package.sh builds the .deb into
# $PGSCRUB_TEST_ROOT/package (its own Release tree, build/package-tree-a;
# ccache makes a rebuild of an unchanged tree take seconds).
#   tests/packaging/package.sh
set -euo pipefail
src="$(cd "$(dirname "$0")/../.." && pwd)"
out="$PGSCRUB_TEST_ROOT/package"
rm -rf "$out"
PGSCRUB_PACKAGE_BUILD_DIR="$src/build/package-tree-a" "$src/scripts/package.sh" "$out"
