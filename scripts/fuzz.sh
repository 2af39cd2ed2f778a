#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, ASan + UBSan, testing hooks on) in
# ./build-fuzz and runs each for SECONDS (default 60), starting from the
# committed seed corpus in fuzz/corpus/<target>/. New inputs go to a
# scratch corpus in build-fuzz/corpus/, so the committed one stays small.
# A crash or leak stops the run: the reproducer is saved under
# fuzz/crashes/<target>/ and the script exits non-zero.
#
# usage: scripts/fuzz.sh [SECONDS [TARGET...]]
#                                          run every target (or those named)
#        scripts/fuzz.sh --smoke           20 seconds each (what CI runs)
#        scripts/fuzz.sh --regenerate      rewrite fuzz/corpus/ from real handshakes
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

seconds=60
regenerate=false
targets=(record codec reassembly front_door server client)
case "${1:-}" in
    --smoke) seconds=20 ;;
    --regenerate) regenerate=true ;;
    "") ;;
    *)
        seconds=$1
        shift
        if (($# > 0)); then targets=("$@"); fi
        ;;
esac
build=build-fuzz

# The test support library (libssl peer) is needed only to regenerate seeds.
CC=clang CXX=clang++ cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDTLS_BUILD_FUZZERS=ON \
    -DDTLS_BUILD_EXAMPLES=OFF -DDTLS_BUILD_TESTS=$($regenerate && echo ON || echo OFF) >/dev/null
if $regenerate; then
    cmake --build "$build" --target fuzz_generate_corpus --parallel "$(nproc)"
    rm -rf fuzz/corpus
    "$build/fuzz/fuzz_generate_corpus" fuzz/corpus
    exit 0
fi
cmake --build "$build" --target fuzzers --parallel "$(nproc)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
for target in "${targets[@]}"; do
    scratch=$build/corpus/$target
    crashes=fuzz/crashes/$target
    mkdir -p "$scratch" "$crashes"
    echo "== fuzz_$target for ${seconds}s"
    log=$build/fuzz_$target.log
    if ! "$build/fuzz/fuzz_$target" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
        -artifact_prefix="$crashes/" "$scratch" "fuzz/corpus/$target" >"$log" 2>&1; then
        tail -n 60 "$log"
        echo "fuzz_$target failed; reproducer in $crashes/ (run: $build/fuzz/fuzz_$target <file>)" >&2
        exit 1
    fi
    grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)" "$log" | tr '\n' ' '
    echo
done
echo "== all fuzz targets ran ${seconds}s each without a crash"
