#include "harness.hpp"

#include <cstdio>

namespace dtls::bench {

namespace {

using Clock = std::chrono::steady_clock;

// Operations per second over one slice, or a negative value on failure.
double run_slice(const Contender& contender, std::chrono::milliseconds length) {
    const Clock::time_point start = Clock::now();
    const Clock::time_point end = start + length;
    uint64_t operations = 0;
    Clock::time_point now = start;
    do {
        const uint64_t done = contender.batch();
        if (done == 0) return -1;
        operations += done;
        now = Clock::now();
    } while (now < end);
    return static_cast<double>(operations) / std::chrono::duration<double>(now - start).count();
}

}  // namespace

std::vector<Rates> run_interleaved(const std::vector<Contender>& contenders, const SliceOptions& options) {
    std::vector<Rates> rates(contenders.size());
    const auto warm_up = std::max(options.slice / 4, std::chrono::milliseconds(1));
    for (size_t i = 0; i < contenders.size(); ++i) {
        if (run_slice(contenders[i], warm_up) < 0) {
            std::fprintf(stderr, "bench: %s failed during warm-up\n", contenders[i].name.c_str());
            rates[i].failed = true;
        }
    }
    for (int rep = 0; rep < options.repetitions; ++rep) {
        for (size_t k = 0; k < contenders.size(); ++k) {
            const size_t i = (k + static_cast<size_t>(rep)) % contenders.size();
            if (rates[i].failed) continue;
            const double rate = run_slice(contenders[i], options.slice);
            if (rate < 0) {
                std::fprintf(stderr, "bench: %s failed\n", contenders[i].name.c_str());
                rates[i].failed = true;
                continue;
            }
            rates[i].per_repetition.push_back(rate);
        }
    }
    return rates;
}

void keep(uint64_t value) { asm volatile("" : : "r"(value) : "memory"); }

}  // namespace dtls::bench
