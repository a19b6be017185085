# shellcheck shell=bash
# Shared by the benchmark scripts (sourced, not run): the checks for the
# tools they need and the header every report starts with, so that figures
# from run.sh and scrub-targets.sh name the machine, load and commit alike.
# Expects ROOT (the source tree) and PGSCRUB (the binary) to be set.

# bench_need_tools: jq, and GNU time, which reports peak RSS (%M) where
# bash's time keyword cannot; installed when missing and running as root.
bench_need_tools() {
    command -v jq >/dev/null || { echo "jq is needed to read pgscrub inspect --json" >&2; exit 2; }
    if [ ! -x /usr/bin/time ]; then
        if [ "$(id -u)" = 0 ]; then
            apt-get install -y time >/dev/null
        else
            echo "/usr/bin/time is missing: apt-get install time" >&2; exit 2
        fi
    fi
}

# bench_identity: sets cpu_model, version (pgscrub --version) and git_rev
# (the source tree's commit, "+dirty" with uncommitted changes to tracked files).
# shellcheck disable=SC2034 # the globals are the result
bench_identity() {
    cpu_model="$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
    version="$("$PGSCRUB" --version)"
    git_rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null)" ]; then git_rev="$git_rev+dirty"; fi
}

# bench_machine_line / bench_load_line: the header lines naming the machine
# and the 1-min load average at the start. Other processes skew wall times on
# a small machine, so a load above half the cores carries a warning (CPU
# seconds are the steadier figure then). bench_load_line sets load.
bench_machine_line() {
    echo "machine:  $(nproc) CPUs ($cpu_model), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, $(uname -sr)"
}
bench_load_line() {
    load="$(cut -d' ' -f1 /proc/loadavg)"
    echo "load:     $load (1-min average at start)$(awk -v l="$load" -v n="$(nproc)" 'BEGIN { if (l > n / 2) print "  WARNING: busy machine, wall times will be noisy" }')"
}
