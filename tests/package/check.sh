#!/usr/bin/env bash
# Package test: install a built dtls into a temporary prefix, then build and run
# the consumer in this folder twice, once through find_package(dtls) and once
# through pkg-config. Any failing step fails the test.
#
# usage: check.sh <dtls build dir> <C++ compiler> [extra compile/link flags] [config]
# The extra flags matter for sanitizer builds, whose library needs the
# sanitizer runtime on the consumer's link line.
set -euo pipefail

build_dir=$1
cxx=$2
extra_flags=${3:-}
config=${4:-}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/dtls-package.XXXXXX")
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix

step() { printf '== %s\n' "$*"; }

step "install into $prefix"
cmake --install "$build_dir" --prefix "$prefix" ${config:+--config "$config"}
test -f "$prefix/include/dtls/dtls.hpp"

step "consumer through find_package(dtls)"
cmake -S "$here" -B "$work/cmake-build" \
    -DCMAKE_PREFIX_PATH="$prefix" \
    -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_CXX_FLAGS="$extra_flags" \
    -DCMAKE_EXE_LINKER_FLAGS="$extra_flags"
cmake --build "$work/cmake-build"
"$work/cmake-build/consumer"

step "consumer through pkg-config"
pc_dir=$(dirname "$(find "$prefix" -name dtls.pc -print -quit)")
# Only this prefix's .pc files: a shared libdtls must not need libcrypto.pc
# (libssl-dev) to be found, a static one must bring libcrypto on `--libs`.
export PKG_CONFIG_LIBDIR=$pc_dir
if [[ -n $(find "$prefix" -name 'libdtls.so*' -print -quit) ]]; then
    pkg-config --cflags --libs dtls >/dev/null
else
    unset PKG_CONFIG_LIBDIR
    export PKG_CONFIG_PATH=$pc_dir
    if [[ " $(pkg-config --libs dtls) " != *" -lcrypto "* ]]; then
        echo "dtls.pc does not bring in libcrypto for a static libdtls: $(pkg-config --libs dtls)" >&2
        exit 1
    fi
fi
read -ra extra <<<"$extra_flags"
read -ra cflags <<<"$(pkg-config --cflags dtls)"
read -ra libs <<<"$(pkg-config --libs dtls)"
"$cxx" -std=c++20 "${extra[@]}" "${cflags[@]}" -DEXPECTED_VERSION="\"$(pkg-config --modversion dtls)\"" \
    "$here/consumer.cpp" -o "$work/consumer-pkgconfig" "${libs[@]}"
# Nothing records where a shared libdtls was installed; tell the loader.
LD_LIBRARY_PATH="$(pkg-config --variable=libdir dtls)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$work/consumer-pkgconfig"

step "package test passed"
