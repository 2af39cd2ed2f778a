#!/usr/bin/env bash
# Installs the Debian 12 packages needed to build, test and benchmark dtls.
# Idempotent: asks dpkg what is already installed and goes to the network
# (apt-get update + install) only when something is missing.
set -euo pipefail

# One package per line, so adding one is one line.
packages=(
    build-essential     # make, libc headers
    g++                 # the compiler (C++20)
    cmake
    pkg-config          # used by the package test
    libssl-dev          # libcrypto for the library; libssl as a test peer
    openssl             # command-line peer and certificate tool
    libgtest-dev        # GoogleTest
    googletest
    libgmock-dev
    libbenchmark-dev    # Google Benchmark
    clang               # fuzz targets (libFuzzer)
    libclang-rt-14-dev  # clang's sanitizer and fuzzer runtimes
    libgnutls28-dev     # interop peer: GnuTLS
    libmbedtls-dev      # interop peer: Mbed TLS
    libwolfssl-dev      # interop peer: wolfSSL
    libbotan-2-dev      # interop peer: Botan
    default-jdk-headless  # interop peer: Java SunJSSE (javac, java)
    libcli11-dev        # command-line parsing for the dtls tool
    gnutls-bin          # gnutls-serv / gnutls-cli peers for the dtls tool tests
    tshark              # decrypts a captured session with our key log (tool tests)
    doxygen             # the API reference (api_docs target; its test fails on any warning)
    groff-base          # groff: the man page test renders docs/dtls.1 and fails on any warning
    libsrtp2-dev        # SRTP for examples/webrtc_endpoint
    libusrsctp-dev      # SCTP (data channels) for examples/webrtc_endpoint
    zlib1g-dev          # CRC-32 for the STUN FINGERPRINT in examples/webrtc_endpoint
    chromium            # browser peer (tests/browser), headless
    firefox-esr         # browser peer (tests/browser), headless
    iproute2            # ip: the browser test's network namespace
    procps              # pgrep: the browser test checks no browser process is left
    libcoap3-bin        # coap-client/coap-server (OpenSSL, GnuTLS): CoAP peers of examples/coap_server
)

is_installed() {
    [[ $(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) == installed ]]
}

missing=()
for package in "${packages[@]}"; do
    is_installed "$package" || missing+=("$package")
done

if ((${#missing[@]} == 0)); then
    echo "install-deps: all ${#packages[@]} packages already installed"
    exit 0
fi

echo "install-deps: installing ${missing[*]}"
as_root=()
if ((EUID != 0)); then
    if ! command -v sudo >/dev/null; then
        echo "install-deps: missing packages (${missing[*]}); run as root or install sudo" >&2
        exit 1
    fi
    as_root=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get install -y --no-install-recommends "${missing[@]}"
