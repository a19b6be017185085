# shellcheck shell=bash
# A fresh Debian 12 root to install the .deb into, as on a new machine:
# debootstrap's minbase with man-db and bash-completion (what an operator's
# host has for `man pgscrub` and tab completion), made once and kept as a
# tarball in /var/cache/pgscrub (like the PostgreSQL 17 and 18 the suite
# fetches), unpacked afresh for every test. Needs root and the network
# (deb.debian.org, or the host's mirror).
#   source tests/packaging/debian_root.sh
#   root="$(debian_root_unpack)"      # mounts /proc and /dev; debian_root_remove "$root" undoes it
DEBIAN_ROOT_CACHE="${PGSCRUB_DEBIAN_ROOT_CACHE:-/var/cache/pgscrub/debian12-root.tar.gz}"
DEBIAN_ROOT_MIRROR="${PGSCRUB_DEBIAN_MIRROR:-http://deb.debian.org/debian}"

debian_root_cached() {
    mkdir -p "$(dirname "$DEBIAN_ROOT_CACHE")"
    exec 8> "$DEBIAN_ROOT_CACHE.lock"
    flock 8
    if [ ! -s "$DEBIAN_ROOT_CACHE" ]; then
        command -v debootstrap > /dev/null || { echo "debootstrap is missing (scripts/install-deps.sh installs it)" >&2; return 1; }
        local build
        build="$(mktemp -d /var/tmp/pgscrub-debootstrap.XXXXXX)"
        echo "making a Debian 12 root with debootstrap (once; cached in $DEBIAN_ROOT_CACHE)" >&2
        if ! debootstrap --variant=minbase --include=man-db,bash-completion,ca-certificates bookworm "$build" \
            "$DEBIAN_ROOT_MIRROR" > "$build.log" 2>&1; then
            tail -20 "$build.log" >&2
            rm -rf "$build"
            echo "debootstrap failed (log above): is $DEBIAN_ROOT_MIRROR reachable?" >&2
            return 1
        fi
        rm -f "$build.log"
        tar -C "$build" -czf "$DEBIAN_ROOT_CACHE.tmp" . && mv "$DEBIAN_ROOT_CACHE.tmp" "$DEBIAN_ROOT_CACHE"
        rm -rf "$build"
    fi
    flock -u 8
}

debian_root_unpack() {
    debian_root_cached
    local root
    root="$(mktemp -d /var/tmp/pgscrub-debian-root.XXXXXX)"
    tar -C "$root" -xzf "$DEBIAN_ROOT_CACHE"
    mount --bind /proc "$root/proc"
    mount --bind /dev "$root/dev"
    cp /etc/resolv.conf "$root/etc/resolv.conf"
    echo "$root"
}

debian_root_remove() {
    local root="$1"
    [ -n "$root" ] && [ -d "$root" ] || return 0
    umount -l "$root/proc" 2> /dev/null || true
    umount -l "$root/dev" 2> /dev/null || true
    # Only once nothing is mounted inside: rm must not reach the host's /dev.
    if ! grep -q " $root/" /proc/mounts; then rm -rf "$root"; fi
}
