// Randomness from OpenSSL's DRBG, which is seeded from the operating system.
#include "crypto/random.hpp"

#include <openssl/rand.h>

#include <algorithm>
#include <climits>
#include <cstdio>
#include <cstdlib>

namespace dtls::crypto {

void random_bytes(std::span<uint8_t> out) {
    // RAND_bytes takes an int length; larger requests are served in chunks.
    while (!out.empty()) {
        size_t chunk = std::min(out.size(), static_cast<size_t>(INT_MAX));
        if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1) {
            // Continuing without randomness would silently produce predictable
            // keys and nonces; no caller can do anything sensible instead.
            std::fputs("dtls: the system random number generator failed\n", stderr);
            std::abort();
        }
        out = out.subspan(chunk);
    }
}

}  // namespace dtls::crypto
