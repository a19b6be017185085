# shellcheck shell=bash
# Sourced by the completion tests: the commands and options as pgscrub's own
# help lists them, so a test checks completion against the program, not
# against a list of its own.

# pgscrub_commands PGSCRUB: one command a line; a group's subcommands
# ("media sync") from the group's help.
pgscrub_commands() {
    local first
    for first in $("$1" --help | sed -n '/^commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p' | uniq); do
        if "$1" "$first" --help | grep -q "^usage: pgscrub $first SUBCOMMAND"; then
            "$1" "$first" --help | sed -n "s/^  $first \([a-z][a-z]*\) .*/$first \1/p"
        else
            echo "$first"
        fi
    done
}

# pgscrub_options PGSCRUB COMMAND: its long options, one a line.
pgscrub_options() {
    # shellcheck disable=SC2086 # the command's words
    "$1" $2 --help | sed -n 's/^  \(-[a-zA-Z], \|    \)\(--[a-z][a-z-]*\).*/\2/p'
}

# expect_every_command_and_option PGSCRUB EXPECT: calls `EXPECT LINE WORD...`
# for "pgscrub " with every command's first word, and for "pgscrub COMMAND --"
# with each of the command's options.
expect_every_command_and_option() {
    local commands command
    commands=$(pgscrub_commands "$1")
    if [ -z "$commands" ]; then
        echo "no commands in $1 --help" >&2
        return 1
    fi
    # shellcheck disable=SC2046 # one word per command
    "$2" "pgscrub " $(cut -d' ' -f1 <<< "$commands" | uniq)
    while IFS= read -r command; do
        # shellcheck disable=SC2046 # the options, one word each
        "$2" "pgscrub $command --" $(pgscrub_options "$1" "$command")
    done <<< "$commands"
}
