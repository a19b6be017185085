#!/usr/bin/env bash
# The HTML compliance report as a browser shows it. `pgscrub report` renders a
# committed sample report (a failed verification, scan findings with masked
# examples, a table with a hostile name); headless Chromium takes a screenshot
# and dumps the DOM; we check that the picture is a real page (mostly light,
# with the verdict banner's colour in it, and text) and that the page says what
# it must and runs nothing it was fed.
#
# assert_report_renders HTML EXPECTED_TEXT... (report_render.sh) is shared with
# leak_proof.sh, which renders the report of a real `scrub --verify` run.
# Needs chromium, not PostgreSQL. The screenshots stay under
# $PGSCRUB_TEST_ROOT/report-screenshot/ for a person to look at.
source "$(dirname "$0")/lib.sh"

if ! command -v chromium > /dev/null; then
    echo "SKIPPED: chromium is not installed (scripts/install-deps.sh installs it)" >&2
    exit 77
fi

work="$PGSCRUB_TEST_ROOT/report-screenshot"
rm -rf "$work" && mkdir -p "$work"

source "$HERE/report_render.sh"

# ---- the committed sample report --------------------------------------------
cp "$HERE/report/sample_report.json" "$work/sample_report.json"
"$PGSCRUB" report "$work/sample_report.json" 2> "$work/report.err" || { cat "$work/report.err" >&2; fail "pgscrub report exited non-zero"; }
[ -s "$work/sample_report.html" ] || fail "pgscrub report did not write sample_report.html beside the JSON"
ls "$work" | grep -q 'pgscrub-partial' && fail "pgscrub report left a partial file"

assert_report_renders "$work/sample_report.html" \
    "pgscrub report" \
    "Verification FAILED" \
    "public.wagtailcore_revision.content" \
    "public.auth_user" \
    "a***@b***.org" \
    "j***@g***.com" \
    "not counted (copied as stored)" \
    "public.<script>alert(1)</script>" \
    "\"&'" \
    "This report holds no personal values: examples are masked and survivors are named by column only."

# No personal value from the JSON's examples is unmasked on the page (there is
# none in the JSON to unmask; the page shows exactly what the report holds).
if grep -qE '[A-Za-z0-9]{2,}@[A-Za-z0-9-]{2,}\.' "$work/sample_report.render/text.txt"; then
    fail "the page shows something that looks like a whole e-mail address"
fi

# ---- the command line around it -----------------------------------------------
"$PGSCRUB" report "$work/sample_report.json" -o "$work/named.html" 2> /dev/null
[ -s "$work/named.html" ] || fail "report -o did not write the named file"
"$PGSCRUB" report - < "$work/sample_report.json" > "$work/stdout.html" 2> /dev/null
cmp -s "$work/stdout.html" "$work/named.html" || fail "report from stdin to stdout differs from report -o"

echo '[1, 2]' > "$work/not_an_object.json"
set +e
"$PGSCRUB" report "$work/not_an_object.json" 2> "$work/bad.err"
rc_bad=$?
"$PGSCRUB" report "$work/missing.json" 2> "$work/missing.err"
rc_missing=$?
"$PGSCRUB" report 2> /dev/null
rc_usage=$?
set -e
[ "$rc_bad" = 3 ] || fail "a report that is not a JSON object exited $rc_bad, expected 3"
[ "$(wc -l < "$work/bad.err")" = 1 ] && grep -qF "$work/not_an_object.json" "$work/bad.err" \
    || { cat "$work/bad.err" >&2; fail "the error for a bad report is not one line naming the file"; }
[ ! -e "$work/not_an_object.html" ] || fail "a failed report left an HTML file"
[ "$rc_missing" = 3 ] || fail "a missing report exited $rc_missing, expected 3"
grep -qF "$work/missing.json" "$work/missing.err" || fail "the error for a missing report does not name it"
[ "$rc_usage" = 2 ] || fail "report without arguments exited $rc_usage, expected 2"

echo "report screenshot: ok ($work/sample_report.png)"
