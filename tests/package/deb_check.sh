#!/usr/bin/env bash
# Debian package test: build the .deb of a dtls build tree with CPack, check
# its metadata and contents, unpack it into a scratch root (dpkg -x, so the
# machine's own /usr is never touched) and use it there as a user would:
# `dtls --version`, and the consumer in this folder built through
# find_package(dtls) and through pkg-config, finding nothing but the package.
#
# usage: deb_check.sh <dtls build dir> <C++ compiler> <version> <SOVERSION> <libdir under the prefix>
set -euo pipefail

build_dir=$1
cxx=$2
version=$3
soversion=$4
libdir=$5
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

work=$(mktemp -d "${TMPDIR:-/tmp}/dtls-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT

step() { printf '== %s\n' "$*"; }
fail() {
    echo "deb_check: $*" >&2
    exit 1
}

step "cpack -G DEB"
cpack -G DEB --config "$build_dir/CPackConfig.cmake" -B "$work/out" >"$work/cpack.log" 2>&1 ||
    { cat "$work/cpack.log" >&2; fail "cpack failed"; }
debs=("$work"/out/*.deb)
((${#debs[@]} == 1)) && [[ -f ${debs[0]} ]] || fail "expected one .deb, found: ${debs[*]}"
deb=${debs[0]}
printf '%s, %s bytes\n' "$(basename "$deb")" "$(stat -c %s "$deb")"

step "metadata"
field() { dpkg-deb -f "$deb" "$1"; }
[[ $(field Package) == dtls ]] || fail "Package is '$(field Package)'"
[[ $(field Version) == "$version" ]] || fail "Version is '$(field Version)', the build says $version"
depends=$(field Depends)
echo "Depends: $depends"
# libcrypto.so.3 is in libssl3: dpkg-shlibdeps must have found it.
[[ $depends == *libssl3* ]] || fail "Depends lacks libssl3"
[[ $depends == *libstdc++6* ]] || fail "Depends lacks libstdc++6"

step "contents"
dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|^\./|/|' >"$work/files"
cat "$work/files"
for path in /usr/bin/dtls /usr/include/dtls/dtls.hpp /usr/include/dtls/sspi.h /usr/include/dtls/version.hpp \
    "/usr/$libdir/cmake/dtls/dtlsConfig.cmake" "/usr/$libdir/pkgconfig/dtls.pc" /usr/share/man/man1/dtls.1 \
    /usr/share/doc/dtls/CHANGELOG.md "/usr/$libdir/libdtls.so.$version" "/usr/$libdir/libdtls_sspi.so.$version"; do
    grep -qxF "$path" "$work/files" || fail "the package lacks $path"
done
# Nothing of the build or the test suite leaks in.
if grep -E 'gtest|gmock|/tests?/|\.a$' "$work/files"; then fail "the package holds test or static files"; fi

step "unpack into a scratch root"
root=$work/root
dpkg -x "$deb" "$root"
lib=$root/usr/$libdir
soname=$(objdump -p "$lib/libdtls.so.$version" | awk '$1 == "SONAME" {print $2}')
echo "SONAME $soname"
[[ $soname == "libdtls.so.$soversion" && -L $lib/$soname ]] || fail "SONAME '$soname' or its link is wrong"

step "the packaged dtls --version"
shown=$(LD_LIBRARY_PATH=$lib "$root/usr/bin/dtls" --version)
echo "$shown"
[[ $shown == "dtls $version (OpenSSL "*")" ]] || fail "dtls --version printed '$shown'"
# The OpenSSL it names is the one the machine runs (`openssl version`'s text).
[[ $shown == *"($(openssl version | cut -d' ' -f1-2)"* ]] || fail "--version names another OpenSSL than $(openssl version)"

step "consumer through find_package(dtls), from the package only"
cmake -S "$here" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$root/usr" -DCMAKE_CXX_COMPILER="$cxx" \
    -DCMAKE_FIND_USE_CMAKE_SYSTEM_PATH=OFF >/dev/null
cmake --build "$work/cmake-build" >/dev/null
LD_LIBRARY_PATH=$lib "$work/cmake-build/consumer"

step "consumer through pkg-config, from the package only"
# PKG_CONFIG_LIBDIR replaces the system's .pc directories, so dtls.pc must
# stand alone (no libcrypto.pc needed). Its prefix follows the .pc file.
export PKG_CONFIG_LIBDIR=$lib/pkgconfig
read -ra cflags <<<"$(pkg-config --cflags dtls)"
read -ra libs <<<"$(pkg-config --libs dtls)"
# The include directory must be the package's own (spelled relative to the .pc).
[[ ${#cflags[@]} == 1 && ${cflags[0]} == -I* && $(realpath "${cflags[0]#-I}") == "$(realpath "$root/usr/include")" ]] ||
    fail "pkg-config --cflags gave '${cflags[*]}'"
"$cxx" -std=c++20 "${cflags[@]}" -DEXPECTED_VERSION="\"$(pkg-config --modversion dtls)\"" "$here/consumer.cpp" \
    -o "$work/consumer-pkgconfig" "${libs[@]}"
LD_LIBRARY_PATH=$lib "$work/consumer-pkgconfig"

step "Debian package test passed"
