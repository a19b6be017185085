# What zsh's completion offers for a command line, through the real
# completion system: an interactive zsh on a pseudo-terminal (zpty) with the
# directory of _pgscrub on its fpath, compinit, and the line typed followed by
# TAB. compadd is wrapped to write each batch of candidates to OUT (one line
# per batch); anything printed on stderr (an _arguments spec it rejects) goes
# to OUT.stderr.
#   zsh -f zsh_complete.zsh FPATH_DIR OUT 'pgscrub scrub --comp'
zmodload zsh/zpty
local dir=$1 out=$2 typed=$3 line
: > $out
zpty pgscrub_test zsh -f -i
zpty -w pgscrub_test "PROMPT='>'; RPROMPT=''; PROMPT_EOL_MARK=''; exec 2>${(q)out}.stderr"
zpty -w pgscrub_test "fpath=(${(q)dir} \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w pgscrub_test 'compadd() {
    if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi
    local -a found
    builtin compadd -A found "$@"
    (( $#found )) && print -r -- "${(j: :)found}" >> '${(q)out}'
    builtin compadd "$@"
}'
zpty -w pgscrub_test 'bindkey "^I" complete-word; print SETUP-DONE'
zpty -r pgscrub_test line '*SETUP-DONE*'
zpty -r pgscrub_test line '*SETUP-DONE*'
zpty -w -n pgscrub_test "$typed"$'\t'
# The candidates are written when the completion has run: wait up to 5 s.
for i in {1..50}; do
    [[ -s $out ]] && break
    sleep 0.1
done
sleep 0.2
zpty -d pgscrub_test
