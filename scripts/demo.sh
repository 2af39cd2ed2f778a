#!/usr/bin/env bash
# Builds dtls (Release, in ./build) and runs the demo: a client and a server in
# one process doing a DTLS 1.2 handshake over loopback UDP and echoing data.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build --target dtls_tool --parallel "$(nproc)"
./build/bin/dtls demo
