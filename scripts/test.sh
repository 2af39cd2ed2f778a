#!/usr/bin/env bash
# Builds dtls and runs the whole test suite twice: a Release build in ./build,
# then a Debug build in ./build-asan under AddressSanitizer and
# UndefinedBehaviorSanitizer. Exits non-zero on the first failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

jobs=$(nproc)

bash scripts/install-deps.sh
# Interop peers Debian 12 lacks (wolfSSL 5.9.2 for DTLS 1.3), built once per
# run into build-peers/ and used by every build below.
bash scripts/build-peers.sh

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

echo "== ThreadSanitizer build and the tests that share objects between threads (build-tsan/)"
# Endpoints and Server copies on several threads over one cookie secret and
# one Client, SSPI contexts accepting on one credential, and the certificate
# cache. Any data race fails the run.
cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDTLS_SANITIZE_THREAD=ON -DDTLS_BUILD_BENCH=OFF \
    -DDTLS_BUILD_EXAMPLES=OFF
cmake --build build-tsan --parallel "$jobs" --target test_endpoint test_sspi test_crypto
export TSAN_OPTIONS=${TSAN_OPTIONS:-halt_on_error=1:second_deadlock_stack=1}
build-tsan/tests/test_endpoint --gtest_filter='Threads.*'
build-tsan/tests/test_sspi --gtest_filter='SspiThreads.*'
build-tsan/tests/test_crypto --gtest_filter='TrustStoreTest.OneStoreServesManyThreads'

echo "== all tests passed (Release, ASan+UBSan, TSan)"

echo "== fuzz smoke: every libFuzzer target for 20 seconds (build-fuzz/)"
bash scripts/fuzz.sh --smoke

echo "== benchmark smoke: every workload briefly, no thresholds (build-bench/)"
bash scripts/bench.sh --quick
