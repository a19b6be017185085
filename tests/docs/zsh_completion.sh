#!/usr/bin/env bash
# The generated zsh completion: zsh parses it (zsh -n), and _pgscrub
# dispatches every command, two-word ones included, to a function that hands
# _arguments each of its options. _describe and _arguments are stubbed to
# print what they are given (the real ones need a live completion widget).
#   zsh_completion.sh FILE PGSCRUB
set -euo pipefail
file=$1
pgscrub=$2
if ! command -v zsh > /dev/null; then
    echo "zsh_completion.sh: zsh is not installed (scripts/install-deps.sh installs it); skipped" >&2
    exit 77
fi
zsh -n "$file"

failed=0
# The commands and their options, from pgscrub's own help; a group's
# subcommands ("media sync") from the group's help.
commands=$(
    for first in $("$pgscrub" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' | uniq); do
        if "$pgscrub" "$first" --help | grep -q "^usage: pgscrub $first SUBCOMMAND"; then
            "$pgscrub" "$first" --help | sed -n "s/^  $first \([a-z][a-z]*\) .*/$first \1/p"
        else
            echo "$first"
        fi
    done
)
[ -n "$commands" ] || { echo "zsh_completion.sh: no commands in pgscrub --help" >&2; exit 1; }
while IFS= read -r command; do
    # shellcheck disable=SC2086 # the command's words
    set -- $command
    out=$(zsh -f -c '
        _describe() { print -r -- "DESCRIBE ${(P)${@[-1]}}"; }
        _arguments() { print -rl -- "ARGUMENTS" "$@"; }
        compadd() { print -r -- "COMPADD $*"; }
        source "$1"; shift
        words=(pgscrub "$@" "")
        CURRENT=${#words}
        _pgscrub
        words=(pgscrub "")
        CURRENT=2
        _pgscrub' zsh "$file" "$@")
    if ! grep -q "^DESCRIBE .*\b$1:" <<< "$out"; then
        echo "FAIL: pgscrub <TAB> does not offer $1" >&2
        failed=1
    fi
    if ! grep -q "^ARGUMENTS" <<< "$out"; then
        echo "FAIL: pgscrub $command <TAB> reaches no _arguments" >&2
        failed=1
        continue
    fi
    for option in $("$pgscrub" $command --help | sed -n 's/^  \(-[a-zA-Z], \|    \)\(--[a-z][a-z-]*\).*/\2/p'); do
        if ! grep -q -- "$option[=[]" <<< "$out"; then
            echo "FAIL: pgscrub $command: _arguments lacks $option" >&2
            failed=1
        fi
    done
done <<< "$commands"
[ "$failed" -eq 0 ] && echo "zsh_completion.sh: every command and option reaches _arguments"
exit "$failed"
