#!/usr/bin/env bash
# Puts the upstream source tarballs of the interop peers that Debian 12 does
# not ship (scripts/build-peers.sh builds them) into build-peers/src/, each
# checked against a pinned sha256 before use.
#
# Where a tarball comes from, first match wins:
#   1. build-peers/src/FILE, when its sha256 already matches (nothing to do);
#   2. ../shared/peers/FILE next to the repository (a local read-only copy);
#   3. Debian's source package from unstable, with `apt-get source
#      --download-only` through a private apt configuration under
#      build-peers/apt/ (nothing in /etc/apt or /var/lib/apt changes). The
#      .orig tarball of the Debian package is the upstream release file.
#      DTLS_DEBIAN_MIRROR overrides the mirror (default http://deb.debian.org/debian).
#
# Usage: scripts/fetch-peers.sh        (fetches every peer listed at the end)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
dest=$root/build-peers/src
local_copy=$root/../shared/peers
mirror=${DTLS_DEBIAN_MIRROR:-http://deb.debian.org/debian}
keyring=/usr/share/keyrings/debian-archive-keyring.gpg

say() { echo "fetch-peers: $*"; }

sha256_matches() {  # FILE SHA256
    [[ -f $1 ]] && [[ $(sha256sum "$1" | cut -d' ' -f1) == "$2" ]]
}

# Runs apt-get or apt-cache against the private configuration only: its own
# sources list, index folder and cache, and none of /etc/apt/apt.conf.d (its
# hooks act on the system's cache). Proxies still come from http_proxy.
private_apt() {  # apt-get|apt-cache ARGS...
    local apt=$root/build-peers/apt
    local options=(
        -o "Dir::Etc::SourceList=$apt/sources.list"
        -o "Dir::Etc::SourceParts=/dev/null"
        -o "Dir::State::Lists=$apt/lists"
        -o "Dir::Cache=$apt/cache"
        -o "Dir::Cache::pkgcache="
        -o "Dir::Cache::srcpkgcache="
        -o "Acquire::Languages=none"
        # A mirror's snapshot may be older than its Valid-Until; the pinned
        # sha256 is what vouches for the tarball.
        -o "Acquire::Check-Valid-Until=false"
    )
    # As root apt downloads as the user _apt, who cannot write our folders.
    ((EUID != 0)) || options+=(-o "APT::Sandbox::User=root")
    # APT_CONFIG is read before the system's configuration folder, so it can
    # point that folder elsewhere; -o cannot.
    printf 'Dir::Etc::main "/dev/null";\nDir::Etc::parts "%s";\n' "$apt/apt.conf.d" >"$apt/apt.conf"
    local tool=$1
    shift
    APT_CONFIG=$apt/apt.conf "$tool" "${options[@]}" "$@"
}

# Downloads Debian source package NAME at upstream VERSION (any Debian
# revision, the newest listed) and leaves its FILE in the current folder.
download_from_debian() {  # NAME VERSION FILE
    local name=$1 version=$2 file=$3
    local apt=$root/build-peers/apt
    command -v apt-get >/dev/null || { say "no apt-get to download $file with" >&2; return 1; }
    mkdir -p "$apt/lists/partial" "$apt/cache" "$apt/apt.conf.d"
    local signed_by=""
    [[ -f $keyring ]] && signed_by="[signed-by=$keyring] "
    echo "deb-src ${signed_by}$mirror unstable main" >"$apt/sources.list"
    say "downloading the index of Debian unstable's source packages from $mirror"
    private_apt apt-get update -q >&2 || return 1
    local revision
    revision=$(private_apt apt-cache showsrc "$name" | sed -n 's/^Version: //p' |
        grep -E "^([0-9]+:)?${version//./\\.}-" | sort -V | tail -n 1) || true
    if [[ -z $revision ]]; then
        say "Debian unstable lists no source package $name $version-*" >&2
        return 1
    fi
    say "downloading Debian source package $name $revision"
    private_apt apt-get source --download-only --tar-only -q "$name=$revision" >&2 || return 1
    [[ -f $file ]] || { say "$name $revision did not contain $file" >&2; return 1; }
}

# Places FILE (upstream NAME VERSION) in build-peers/src/ and checks SHA256.
fetch() {  # NAME VERSION FILE SHA256
    local name=$1 version=$2 file=$3 sha256=$4
    local target=$dest/$file
    mkdir -p "$dest"
    if sha256_matches "$target" "$sha256"; then
        say "$file present and verified"
        return 0
    fi
    rm -f "$target"
    if [[ -f $local_copy/$file ]]; then
        if ! sha256_matches "$local_copy/$file" "$sha256"; then
            say "$local_copy/$file does not have sha256 $sha256: not used" >&2
        else
            cp "$local_copy/$file" "$target.part"
            mv "$target.part" "$target"
            say "$file copied from $local_copy"
        fi
    fi
    if [[ ! -f $target ]]; then
        local work
        work=$(mktemp -d "$dest/download.XXXXXX")
        if (cd "$work" && download_from_debian "$name" "$version" "$file"); then
            mv "$work/$file" "$target.part"
        fi
        rm -rf "$work"
        [[ -f $target.part ]] || { say "could not download $file" >&2; exit 1; }
        mv "$target.part" "$target"
    fi
    if ! sha256_matches "$target" "$sha256"; then
        rm -f "$target"
        say "$file does not have the pinned sha256 $sha256: removed" >&2
        exit 1
    fi
    say "$file verified (sha256 $sha256)"
}

fetch wolfssl 5.9.2 wolfssl_5.9.2.orig.tar.gz 2f4ef3d4fd387a9b3191d36a6316d69116c46ff69bb9583b6c82b36d7b8ca114
fetch mbedtls 3.6.7 mbedtls_3.6.7.orig.tar.bz2 a7e8bcbec0e6f761b4af24f25677626b35f762f68eef79c08677a363212d11f6
