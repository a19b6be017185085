#!/usr/bin/env bash
# Every man page the build generated (cli/man_pages.cpp) renders without a
# single warning: groff -ww, and man-db as `man -l` runs it (preconv, tbl),
# and lexgrog reads its NAME line, as mandb does for whatis/apropos.
#   man_pages.sh SHARE_DIR     (build/release/share)
set -euo pipefail
share=$1
shopt -s nullglob
pages=("$share"/man/man1/*.1 "$share"/man/man5/*.5)
if [ "${#pages[@]}" -lt 3 ]; then
    echo "man_pages.sh: only ${#pages[@]} pages under $share/man: is the pgscrub_man_and_completion target built?" >&2
    exit 1
fi
failed=0
for page in "${pages[@]}"; do
    warnings=$(groff -ww -man -Tutf8 -z "$page" 2>&1 >/dev/null) || { echo "$page: groff failed" >&2; failed=1; }
    if [ -n "$warnings" ]; then
        echo "$page: groff -ww warns:" >&2
        echo "$warnings" >&2
        failed=1
    fi
    warnings=$(MANWIDTH=80 man --warnings -E UTF-8 -l "$page" 2>&1 >/dev/null) || { echo "$page: man -l failed" >&2; failed=1; }
    if [ -n "$warnings" ]; then
        echo "$page: man --warnings -l warns:" >&2
        echo "$warnings" >&2
        failed=1
    fi
    lexgrog "$page" >/dev/null || { echo "$page: lexgrog cannot read its NAME section (whatis, apropos)" >&2; failed=1; }
done
[ "$failed" -eq 0 ] && echo "man_pages.sh: ${#pages[@]} pages render without warnings"
exit "$failed"
