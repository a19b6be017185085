#!/usr/bin/env bash
# The generated zsh completion works in zsh: it parses (zsh -n), and the real
# completion system (compinit, on a pseudo-terminal: zsh_complete.zsh) offers
# every command, two-word ones included, every option of each command, and a
# choice option's values, with nothing printed on stderr (_arguments
# complains there about a spec it cannot read).
#   zsh_completion.sh FILE PGSCRUB
set -euo pipefail
file=$1
pgscrub=$2
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=tests/docs/help_lists.sh
source "$here/help_lists.sh"
if ! command -v zsh > /dev/null; then
    echo "zsh_completion.sh: zsh is not installed (scripts/install-deps.sh installs it); skipped" >&2
    exit 77
fi
zsh -n "$file"

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp "$file" "$scratch/_pgscrub" # the fpath directory holds only this function
failed=0

# offered LINE: what zsh offers after LINE<TAB>, one candidate a line.
offered() {
    zsh -f "$here/zsh_complete.zsh" "$scratch" "$scratch/out" "$1"
    if [ -s "$scratch/out.stderr" ]; then
        echo "FAIL: '$1<TAB>' printed on stderr: $(head -3 "$scratch/out.stderr")" >&2
        failed=1
    fi
    tr ' ' '\n' < "$scratch/out" | sort -u
}

# expect LINE CANDIDATE...: LINE<TAB> offers each CANDIDATE.
expect() {
    local line=$1 got
    shift
    got=$(offered "$line")
    for want in "$@"; do
        if ! grep -qxF -- "$want" <<< "$got"; then
            echo "FAIL: '$line<TAB>' offers [$(tr '\n' ' ' <<< "$got")], which lacks $want" >&2
            failed=1
        fi
    done
}

expect_every_command_and_option "$pgscrub" expect
expect "pgscrub scr" scrub
expect "pgscrub scrub --comp" --compress
expect "pgscrub scrub --compress " none gzip lz4 zstd
expect "pgscrub scrub -F " same custom directory tar plain
expect "pgscrub media s" sync
expect "pgscrub media " sync verify
expect "pgscrub media sync --preset " wagtail-originals wagtail-all
expect "pgscrub restore --strategy " in_place swap

[ "$failed" -eq 0 ] && echo "zsh_completion.sh: every command, option and choice offered"
exit "$failed"
