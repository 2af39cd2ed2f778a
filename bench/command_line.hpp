// The options every benchmark binary takes. The driver (dtls_bench) passes
// --quick and --tsv on to the helper binaries it runs.
#pragma once

#include <CLI/CLI.hpp>

#include <chrono>
#include <string>

#include "harness.hpp"

namespace dtls::bench {

struct CommonOptions {
    bool quick = false;  // every workload briefly, for CI; no thresholds matter
    bool tsv = false;    // rows as TSV on stdout (for the driver), no table
    int repetitions = 5;
    int slice_ms = 200;

    void add_to(CLI::App& app) {
        app.add_flag("--quick", quick, "Smoke mode: every workload briefly (CI); numbers are not meaningful");
        app.add_flag("--tsv", tsv, "Print rows as TSV lines for the driver instead of a table");
        app.add_option("--reps", repetitions, "Repetitions of every interleaved measurement")
            ->check(CLI::Range(1, 100));
        app.add_option("--slice-ms", slice_ms, "Length of one measurement slice in milliseconds")
            ->check(CLI::Range(1, 10000));
    }

    // What the slices are in this mode: --quick overrides the defaults.
    SliceOptions slices(int multiplier = 1) const {
        if (quick) return {1, std::chrono::milliseconds(20 * multiplier)};
        return {repetitions, std::chrono::milliseconds(slice_ms * multiplier)};
    }
};

}  // namespace dtls::bench
