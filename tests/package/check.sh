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
export PKG_CONFIG_PATH=$pc_dir
# libdtls needs libcrypto. A static libdtls must bring it with plain
# `--libs` (users rarely pass --static); a shared one only with --static.
if [[ -n $(find "$prefix" -name 'libdtls.so*' -print -quit) ]]; then
    crypto_libs=$(pkg-config --static --libs dtls)
else
    crypto_libs=$(pkg-config --libs dtls)
fi
if [[ " $crypto_libs " != *" -lcrypto "* ]]; then
    echo "dtls.pc does not bring in libcrypto: $crypto_libs" >&2
    exit 1
fi
read -ra extra <<<"$extra_flags"
read -ra cflags <<<"$(pkg-config --cflags dtls)"
read -ra libs <<<"$(pkg-config --libs dtls)"
"$cxx" -std=c++20 "${extra[@]}" "${cflags[@]}" "$here/consumer.cpp" -o "$work/consumer-pkgconfig" "${libs[@]}"
# Nothing records where a shared libdtls was installed; tell the loader.
LD_LIBRARY_PATH="$(pkg-config --variable=libdir dtls)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" "$work/consumer-pkgconfig"

step "package test passed"
