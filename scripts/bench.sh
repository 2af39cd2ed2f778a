#!/usr/bin/env bash
# Builds the benchmark in a Release tree (build-bench/) and runs it: ours,
# OpenSSL's libssl and the raw libcrypto limit side by side (bench/).
#
#   bash scripts/bench.sh            full run (about 5 minutes); rewrites docs/performance.md
#   bash scripts/bench.sh --quick    smoke run for CI (under a minute): every workload
#                                    briefly, no thresholds, docs/performance.md untouched
# Any other arguments go to dtls_bench (see build-bench/bench/dtls_bench --help).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

quick=0
for arg in "$@"; do
    [[ $arg == --quick ]] && quick=1
done

jobs=$(nproc)
cmake -S . -B build-bench -DCMAKE_BUILD_TYPE=Release -DDTLS_BUILD_EXAMPLES=OFF >/dev/null
cmake --build build-bench --target dtls_bench --parallel "$jobs"

if ((quick)); then
    # Fails only if a workload could not run at all.
    build-bench/bench/dtls_bench "$@"
else
    build-bench/bench/dtls_bench --write-doc docs/performance.md "$@"
fi
