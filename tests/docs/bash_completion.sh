#!/usr/bin/env bash
# The generated bash completion works in bash: source it, call _pgscrub as
# bash's programmable completion would (COMP_WORDS, COMP_CWORD) and check
# COMPREPLY: every command and option pgscrub's help lists, choice values,
# files for path options.   bash_completion.sh FILE PGSCRUB
set -uo pipefail
# shellcheck source=/dev/null # the generated script
source "$1"
# shellcheck source=tests/docs/help_lists.sh
source "$(dirname "$0")/help_lists.sh"
pgscrub=$2
failed=0

# complete_words "WORDS": completes the last word of WORDS as typed (a
# trailing space: a new, empty word).
complete_words() {
    local typed
    read -r -a typed <<< "$1"
    [[ $1 == *" " ]] && typed+=("")
    COMP_WORDS=("${typed[@]}")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE="${COMP_WORDS[*]}"
    COMPREPLY=()
    _pgscrub pgscrub "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
}

# expect "WORDS" REPLY...: the sorted COMPREPLY is exactly REPLY...
expect() {
    local words=$1
    shift
    complete_words "$words"
    local got want
    got=$(printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ')
    want=$(printf '%s\n' "$@" | sort | tr '\n' ' ')
    if [ "$got" != "$want" ]; then
        echo "FAIL: '$words<TAB>' completes to [$got], expected [$want]" >&2
        failed=1
    fi
}

# expect_has "WORDS" REPLY...: COMPREPLY holds each REPLY.
expect_has() {
    local words=$1
    shift
    complete_words "$words"
    for want in "$@"; do
        if ! printf '%s\n' "${COMPREPLY[@]}" | grep -qxF -- "$want"; then
            echo "FAIL: '$words<TAB>' completes to [${COMPREPLY[*]}], which lacks $want" >&2
            failed=1
        fi
    done
}

expect_every_command_and_option "$pgscrub" expect_has

expect "pgscrub scr" scrub
expect "pgscrub m" media
expect "pgscrub scrub --comp" --compress
expect "pgscrub scrub --compress " none gzip lz4 zstd
expect "pgscrub scrub --compress z" zstd
expect "pgscrub scrub -F " same custom directory tar plain
expect "pgscrub scrub --format d" directory
expect "pgscrub scrub --format = t" tar
expect "pgscrub scrub --verify-m" --verify-memory
expect "pgscrub media s" sync
expect "pgscrub media " sync verify
expect "pgscrub media sync --pre" --preset
expect "pgscrub media sync --preset " wagtail-originals wagtail-all
expect "pgscrub media verify --unstrippable " refuse copy
expect "pgscrub restore --strategy " in_place swap
expect "pgscrub run --from ver" verify verify_media
expect_has "pgscrub check -" -r --rules --dump -h --help
expect "pgscrub scrub --jobs " # a number: nothing to offer

# Files for a path option: a scratch directory holds rules.yaml.
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
touch "$scratch/rules.yaml"
expect "pgscrub scrub -r $scratch/ru" "$scratch/rules.yaml"
expect "pgscrub check --dump $scratch/ru" "$scratch/rules.yaml"

[ "$failed" -eq 0 ] && echo "bash_completion.sh: every completion as expected"
exit "$failed"
