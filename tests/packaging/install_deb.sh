#!/usr/bin/env bash
# The .deb as an operator meets it: `apt-get install ./pgscrub_*.deb` in a
# fresh Debian 12 root (tests/packaging/debian_root.sh), which must pull in
# every library pgscrub needs from Debian (the package's Depends), then in
# that root: `pgscrub --version`, the Wagtail preset by name, the bundled
# sample dumped by the host's pg_dump 15, scrubbed by the installed pgscrub
# with --verify and restored by pg_restore on the host; `man pgscrub`, a
# command's and the rules file's pages; bash completion through
# bash-completion's loader; and nothing installed but pgscrub's own files.
#   tests/packaging/install_deb.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
src="$(cd "$here/../.." && pwd)"
source "$src/tests/integration/lib.sh"
source "$here/debian_root.sh"
use_cluster 15
work="$PGSCRUB_TEST_ROOT/package-install"
rm -rf "$work" && mkdir -p "$work" && cd "$work"
deb="$(ls "$PGSCRUB_TEST_ROOT"/package/pgscrub_*.deb)"
root=""
trap 'debian_root_remove "$root"' EXIT
root="$(debian_root_unpack)"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }

cp "$deb" "$root/tmp/"
in_root apt-get update -q > "$root/tmp/apt.log" 2>&1 || { cat "$root/tmp/apt.log" >&2; fail "apt-get update in the root"; }
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" \
    >> "$root/tmp/apt.log" 2>&1 || { cat "$root/tmp/apt.log" >&2; fail "apt-get install ./$(basename "$deb") in a fresh Debian 12 root"; }

# Only pgscrub's files, where Debian puts them.
in_root dpkg -L pgscrub > files.txt
unexpected="$(grep -v -E '^/\.$|^/usr(/bin(/pgscrub)?|/share(/pgscrub(/presets(/[a-z-]+\.yaml)?)?|/man(/man[15](/pgscrub[a-z-]*\.[15]\.gz)?)?|/doc(/pgscrub(/.*)?)?|/bash-completion(/completions(/pgscrub)?)?|/zsh(/vendor-completions(/_pgscrub)?)?)?)?$' files.txt || true)"
[ -z "$unexpected" ] || fail "the package installs files outside pgscrub's places: $unexpected"
! grep -q -i -E 'test|fuzz|bench' files.txt || fail "the package holds test files: $(grep -i -E 'test|fuzz|bench' files.txt)"

version="$(in_root pgscrub --version)"
[[ $version == "pgscrub "*"; zlib "*", ICU "*", libpq "* ]] || fail "pgscrub --version: $version"
in_root pgscrub check -r preset:wagtail > /dev/null || fail "the Wagtail preset by name"

# The sample, end to end, with the installed binary in the middle.
fresh_db pkg_sample
q -d pkg_sample -f "$src/samples/sample-site.sql" > /dev/null
"$BIN/pg_dump" -Fc -f "$root/tmp/sample.dump" pkg_sample
in_root env PGSCRUB_SECRET=package-test-key pgscrub scrub -q -r /usr/share/doc/pgscrub/examples/sample-rules.yaml \
    -i /tmp/sample.dump -o /tmp/scrubbed.dump --verify --report /tmp/report.json || fail "the installed pgscrub's scrub"
grep -q '"status": *"passed"' "$root/tmp/report.json" || fail "--verify did not pass"
fresh_db pkg_scrubbed
"$BIN/pg_restore" --exit-on-error -d pkg_scrubbed "$root/tmp/scrubbed.dump"
[ "$(q -d pkg_scrubbed -c "SELECT count(*) FROM auth_user")" = "$(q -d pkg_sample -c "SELECT count(*) FROM auth_user")" ] \
    || fail "restored row count"
[ "$(q -d pkg_scrubbed -c "SELECT count(*) FROM auth_user WHERE email LIKE 'person%@mail.example'")" = 0 ] \
    || fail "original e-mails survived the installed pgscrub"

# The manual, as man finds it (MANPATH from the standard places).
in_root man -P cat pgscrub 2> man.err | grep -q 'pgscrub-scrub' || { cat man.err >&2; fail "man pgscrub"; }
in_root man -P cat pgscrub-scrub 2>> man.err | grep -q -- '--rules' || { cat man.err >&2; fail "man pgscrub-scrub"; }
in_root man -P cat 5 pgscrub-rules 2>> man.err | grep -q 'fake_email' || { cat man.err >&2; fail "man 5 pgscrub-rules"; }
# Completion, loaded on demand as an interactive bash does.
completion="$(in_root bash -c 'source /usr/share/bash-completion/bash_completion
    __load_completion pgscrub || exit 1
    COMP_WORDS=(pgscrub scr); COMP_CWORD=1; COMP_LINE="pgscrub scr"; COMP_POINT=${#COMP_LINE}
    "$(complete -p pgscrub | sed -E "s/.*-F ([^ ]+).*/\1/")" pgscrub scr pgscrub
    printf "%s\n" "${COMPREPLY[@]}"')" || fail "bash completion did not load"
grep -qx 'scrub' <<<"$completion" || fail "bash completion of 'pgscrub scr': $completion"
echo "ok: apt-get installed $(basename "$deb") in a fresh Debian 12 root: $version"
