#!/usr/bin/env bash
# Builds dtls and runs the whole test suite twice: a Release build in ./build,
# then a Debug build in ./build-asan under AddressSanitizer and
# UndefinedBehaviorSanitizer. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jobs=$(nproc)

bash scripts/install-deps.sh

echo "== Release build and tests (build/)"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release
cmake --build build --parallel "$jobs"
ctest --test-dir build --output-on-failure --parallel 2

echo "== ASan + UBSan build and tests (build-asan/)"
# The testing hooks (a fixed random source) are on here, so the determinism
# tests run; the Release build above checks the library lacks them.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DDTLS_SANITIZE=ON -DDTLS_TESTING_HOOKS=ON
cmake --build build-asan --parallel "$jobs"
# Any sanitizer report fails the test that triggered it.
export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
ctest --test-dir build-asan --output-on-failure --parallel 2

echo "== all tests passed (Release and ASan+UBSan)"

echo "== fuzz smoke: every libFuzzer target for 20 seconds (build-fuzz/)"
bash scripts/fuzz.sh --smoke

echo "== benchmark smoke: every workload briefly, no thresholds (build-bench/)"
bash scripts/bench.sh --quick
