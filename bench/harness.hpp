// Interleaved slices: each repetition runs one short slice of every
// contender back to back, so ours, libssl's and the limit see the same
// machine noise; the order rotates between repetitions so none always goes
// first. A slice runs whole batches until its time is up.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace dtls::bench {

struct SliceOptions {
    int repetitions = 5;
    std::chrono::milliseconds slice{200};
};

struct Contender {
    std::string name;
    // Runs a batch of operations and returns how many it performed (0 is a
    // failure and stops the run).
    std::function<uint64_t()> batch;
};

struct Rates {
    std::vector<double> per_repetition;  // operations per second, one per repetition
    bool failed = false;
};

// One warm-up slice per contender (not recorded), then the repetitions.
// The result is in the order of `contenders`.
std::vector<Rates> run_interleaved(const std::vector<Contender>& contenders, const SliceOptions& options);

// Keeps the optimiser from discarding a value that is otherwise unused.
void keep(uint64_t value);

}  // namespace dtls::bench
