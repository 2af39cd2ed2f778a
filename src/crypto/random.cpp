// Randomness from OpenSSL's DRBG, which is seeded from the operating system.
// Builds with DTLS_TESTING_HOOKS (tests and fuzzers only) can replace the
// source; see random_testing.hpp.
#include "crypto/random.hpp"

#include <openssl/err.h>
#include <openssl/rand.h>

#include <algorithm>
#include <climits>

#include "crypto/random_testing.hpp"
#include "crypto/secret.hpp"

namespace dtls::crypto {

#ifdef DTLS_TESTING_HOOKS
namespace testing {
namespace {

RandomSource& replacement_source() {
    static RandomSource source;
    return source;
}

}  // namespace

void set_random_source(RandomSource source) { replacement_source() = std::move(source); }

RandomSource seeded_random_source(uint64_t seed) {
    return [state = seed](std::span<uint8_t> out) mutable {
        uint64_t word = 0;
        for (size_t i = 0; i < out.size(); ++i) {
            if (i % 8 == 0) {
                // SplitMix64 (Steele, Lea, Flood 2014): one well-mixed word per 8 bytes.
                state += 0x9E3779B97F4A7C15ULL;
                word = state;
                word = (word ^ (word >> 30)) * 0xBF58476D1CE4E5B9ULL;
                word = (word ^ (word >> 27)) * 0x94D049BB133111EBULL;
                word ^= word >> 31;
            }
            out[i] = static_cast<uint8_t>(word >> (8 * (i % 8)));
        }
    };
}

}  // namespace testing
#endif  // DTLS_TESTING_HOOKS

bool random_bytes(std::span<uint8_t> out) {
#ifdef DTLS_TESTING_HOOKS
    if (testing::replacement_source()) {
        testing::replacement_source()(out);
        return true;
    }
#endif
    // RAND_bytes takes an int length; larger requests are served in chunks.
    const std::span<uint8_t> whole = out;
    while (!out.empty()) {
        size_t chunk = std::min(out.size(), static_cast<size_t>(INT_MAX));
        if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1) {
            // Nothing predictable may be used as if it were random.
            ERR_clear_error();
            cleanse(whole);
            return false;
        }
        out = out.subspan(chunk);
    }
    return true;
}

}  // namespace dtls::crypto
