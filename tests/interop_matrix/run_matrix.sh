#!/usr/bin/env bash
# Runs every cell of the interop matrix, then writes the table from the
# cells' results. Exits with the matrix's status: a failing cell fails it.
# Usage: run_matrix.sh MATRIX_BINARY RESULTS_TSV TABLE_MD [gtest options...]
set -uo pipefail
binary=$1 results=$2 table=$3
shift 3
here=$(cd "$(dirname "$0")" && pwd)

rm -f "$results"
started=$SECONDS
INTEROP_RESULTS=$results "$binary" "$@"
status=$?
elapsed=$((SECONDS - started))

# A filtered run covers only some cells: its table would be partial.
if [[ " $* " == *" --gtest_filter"* ]]; then
    echo "run_matrix: filtered run, $table left as it is"
elif [[ -s $results ]]; then
    if bash "$here/render_table.sh" "$results" > "$table.tmp"; then
        mv "$table.tmp" "$table"
        echo "run_matrix: wrote $table ($elapsed s)"
    else
        rm -f "$table.tmp"
        echo "run_matrix: could not write $table" >&2
        status=1
    fi
else
    echo "run_matrix: no results were recorded" >&2
    status=1
fi
exit $status
