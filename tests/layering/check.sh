#!/usr/bin/env bash
# The build enforces the layering: a file compiled with the record layer's
# include directories cannot include the engine's headers (the build fails
# with "No such file"), while it can include the wire layer's.
# usage: check.sh BUILD_DIR
set -uo pipefail
build=$1

if ! out=$(cmake --build "$build" --target layering_control 2>&1); then
    echo "the control (a lower layer's header) did not build:" >&2
    echo "$out" >&2
    exit 1
fi
if out=$(cmake --build "$build" --target layering_violation 2>&1); then
    echo "a lower layer could include a higher layer's header: the layering is not enforced" >&2
    exit 1
fi
if ! grep -q 'engine/connection.hpp: No such file' <<<"$out"; then
    echo "the violation failed to build, but not because the header was unreachable:" >&2
    echo "$out" >&2
    exit 1
fi
echo "layering enforced: record cannot include engine/connection.hpp"
