#!/usr/bin/env bash
# Builds the interop peer libraries that Debian 12 does not ship, once, into
# build-peers/ (git-ignored), where every build tree's CMake finds them:
#   build-peers/wolfssl-5.9.2/   wolfSSL 5.9.2 with DTLS 1.3: include/,
#                                lib/libwolfssl.a, bin/ (its example client
#                                and server, for manual interop checks)
#   build-peers/mbedtls-3.6.7/   Mbed TLS 3.6.7 (DTLS 1.2 with RFC 9146
#                                Connection ID): bin/ssl_server2 and
#                                bin/ssl_client2, its test programs
# It first runs scripts/fetch-peers.sh (a verified tarball in build-peers/src/).
# A prefix holds a stamp naming the tarball's sha256 and the options it was
# built with; while those match, the build is skipped.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$PWD
jobs=$(nproc)

bash scripts/fetch-peers.sh

say() { echo "build-peers: $*"; }

# wolfSSL 5.9.2: DTLS 1.3 and the features the interop tests use, plus what the peer
# program uses (see tests/interop_matrix/peers/wolfssl13_peer.c).
wolfssl_version=5.9.2
wolfssl_sha256=2f4ef3d4fd387a9b3191d36a6316d69116c46ff69bb9583b6c82b36d7b8ca114
wolfssl_options=(
    -DCMAKE_BUILD_TYPE=Release
    -DBUILD_SHARED_LIBS=OFF
    -DWOLFSSL_DTLS=yes
    -DWOLFSSL_DTLS13=yes          # DTLS 1.3, HelloRetryRequest cookie (on by default)
    -DWOLFSSL_DTLS_CID=yes        # RFC 9146 / RFC 9147 Connection ID
    -DWOLFSSL_DTLS_CH_FRAG=yes    # accepts a ClientHello in several fragments
    -DWOLFSSL_SRTP=yes            # use_srtp
    -DWOLFSSL_PSK=yes
    -DWOLFSSL_AESCCM=yes          # TLS_AES_128_CCM_SHA256 and _CCM_8_SHA256
    -DWOLFSSL_CURVE25519=yes      # x25519
    -DWOLFSSL_ED25519=yes
    -DWOLFSSL_MLKEM=yes           # ML-KEM and X25519MLKEM768 key shares
    -DWOLFSSL_SESSION_TICKET=yes  # TLS 1.3 resumption (NewSessionTicket)
    -DWOLFSSL_ALPN=yes
    -DWOLFSSL_SNI=yes
    -DWOLFSSL_EXAMPLES=yes        # examples/client/client and examples/server/server
    -DWOLFSSL_CRYPT_TESTS=no
)
# Compile-time switches the CMake build has no option for. The generated
# options.h does not carry them (it even #undefs HAVE_SECRET_CALLBACK), so
# they are appended to it after configuring, before the library and the
# example programs are compiled against it, as wolfSSL's autoconf build
# would have done: without it the examples never keep the handshake secrets
# and cannot export keying material (their --srtp keys).
wolfssl_defines=(
    WOLFSSL_DTLS_MTU       # wolfSSL_dtls_set_mtu
    HAVE_SECRET_CALLBACK   # wolfSSL_set_tls13_secret_cb (key log)
)

build_wolfssl() {
    local prefix=$root/build-peers/wolfssl-$wolfssl_version
    local tarball=$root/build-peers/src/wolfssl_$wolfssl_version.orig.tar.gz
    local stamp_text
    stamp_text=$(printf 'recipe 2\ntarball %s\noptions %s\ndefines %s\ncompiler %s\n' "$wolfssl_sha256" \
        "${wolfssl_options[*]}" "${wolfssl_defines[*]}" "$(cc --version | head -n 1)")
    if [[ -f $prefix/stamp && $(cat "$prefix/stamp") == "$stamp_text" && -f $prefix/lib/libwolfssl.a &&
        -f $prefix/include/wolfssl/options.h ]]; then
        say "wolfSSL $wolfssl_version already built in $prefix"
        return 0
    fi
    [[ $(sha256sum "$tarball" | cut -d' ' -f1) == "$wolfssl_sha256" ]] || { say "$tarball: wrong sha256" >&2; exit 1; }
    local work=$root/build-peers/work/wolfssl-$wolfssl_version
    say "building wolfSSL $wolfssl_version into $prefix ($jobs jobs)"
    local started=$SECONDS
    rm -rf "$work" "$prefix"
    mkdir -p "$work"
    tar -xzf "$tarball" -C "$work"
    local source=$work/wolfssl-$wolfssl_version-stable
    local cflags=""
    local define
    for define in "${wolfssl_defines[@]}"; do cflags+=" -D$define"; done
    cmake -S "$source" -B "$work/build" -DCMAKE_INSTALL_PREFIX="$prefix" -DCMAKE_C_FLAGS="${cflags# }" \
        "${wolfssl_options[@]}" >"$work/configure.log" 2>&1 || { cat "$work/configure.log" >&2; exit 1; }
    {
        echo
        echo "/* Appended by scripts/build-peers.sh: switches the library is compiled with. */"
        for define in "${wolfssl_defines[@]}"; do
            printf '#ifndef %s\n#define %s\n#endif\n' "$define" "$define"
        done
    } >>"$work/build/wolfssl/options.h"
    cmake --build "$work/build" -j"$jobs" --target wolfssl client server >"$work/build.log" 2>&1 ||
        { tail -n 50 "$work/build.log" >&2; exit 1; }
    cmake --install "$work/build" >"$work/install.log" 2>&1 || { cat "$work/install.log" >&2; exit 1; }
    grep -q 'Appended by scripts/build-peers.sh' "$prefix/include/wolfssl/options.h" ||
        { say "the installed options.h lacks the appended switches" >&2; exit 1; }
    mkdir -p "$prefix/bin"
    cp "$work/build/examples/client/client" "$prefix/bin/client"
    cp "$work/build/examples/server/server" "$prefix/bin/server"
    rm -rf "$work"
    echo "$stamp_text" >"$prefix/stamp"
    say "wolfSSL $wolfssl_version built in $((SECONDS - started)) s"
}

build_wolfssl

# Mbed TLS 3.6.7: the DTLS 1.2 Connection ID peer (tests/cli/mbedtls_cid.sh).
# Only its two test programs are built; the library is linked into them
# statically and nothing of ours links against it.
mbedtls_version=3.6.7
mbedtls_sha256=a7e8bcbec0e6f761b4af24f25677626b35f762f68eef79c08677a363212d11f6
mbedtls_options=(
    -DCMAKE_BUILD_TYPE=Release
    -DENABLE_TESTING=OFF
    -DENABLE_PROGRAMS=ON
    -DUSE_SHARED_MBEDTLS_LIBRARY=OFF
)

build_mbedtls() {
    local prefix=$root/build-peers/mbedtls-$mbedtls_version
    local tarball=$root/build-peers/src/mbedtls_$mbedtls_version.orig.tar.bz2
    local stamp_text
    stamp_text=$(printf 'recipe 1\ntarball %s\noptions %s\ncompiler %s\n' "$mbedtls_sha256" \
        "${mbedtls_options[*]}" "$(cc --version | head -n 1)")
    if [[ -f $prefix/stamp && $(cat "$prefix/stamp") == "$stamp_text" && -x $prefix/bin/ssl_server2 &&
        -x $prefix/bin/ssl_client2 ]]; then
        say "Mbed TLS $mbedtls_version already built in $prefix"
        return 0
    fi
    [[ $(sha256sum "$tarball" | cut -d' ' -f1) == "$mbedtls_sha256" ]] || { say "$tarball: wrong sha256" >&2; exit 1; }
    local work=$root/build-peers/work/mbedtls-$mbedtls_version
    say "building Mbed TLS $mbedtls_version into $prefix ($jobs jobs)"
    local started=$SECONDS
    rm -rf "$work" "$prefix"
    mkdir -p "$work"
    tar -xjf "$tarball" -C "$work"
    local source=$work/mbedtls-$mbedtls_version
    cmake -S "$source" -B "$work/build" "${mbedtls_options[@]}" >"$work/configure.log" 2>&1 ||
        { cat "$work/configure.log" >&2; exit 1; }
    cmake --build "$work/build" -j"$jobs" --target ssl_server2 ssl_client2 >"$work/build.log" 2>&1 ||
        { tail -n 50 "$work/build.log" >&2; exit 1; }
    mkdir -p "$prefix/bin"
    cp "$work/build/programs/ssl/ssl_server2" "$prefix/bin/ssl_server2"
    cp "$work/build/programs/ssl/ssl_client2" "$prefix/bin/ssl_client2"
    rm -rf "$work"
    echo "$stamp_text" >"$prefix/stamp"
    say "Mbed TLS $mbedtls_version built in $((SECONDS - started)) s"
}

build_mbedtls
