// Test-only control over randomness, so a whole handshake replays byte for
// byte (golden transcripts, fuzzing). It exists only in builds configured
// with -DDTLS_TESTING_HOOKS=ON; a normal build, and so every installed
// library, has no way to replace the random source (tests/determinism checks
// the symbol is absent from such a library).
//
// Byte-for-byte replay also needs deterministic signatures and key shares:
// use an Ed25519 credential (EdDSA signatures are deterministic; ECDSA and
// RSA-PSS draw nonces inside OpenSSL) and the x25519 group, whose key shares
// come from random_bytes(). Time is already deterministic: the engine only
// ever uses the Instant its caller passes in.
#pragma once

#ifdef DTLS_TESTING_HOOKS

#include <cstdint>
#include <functional>
#include <span>

namespace dtls::crypto::testing {

// Fills its argument with "random" bytes.
using RandomSource = std::function<void(std::span<uint8_t>)>;

// Replaces the process-wide random source used by random_bytes(); an empty
// function restores OpenSSL's DRBG. Not synchronised: set it while no other
// thread is using the library.
void set_random_source(RandomSource source);

// A reproducible, NOT cryptographically secure byte stream for a seed
// (SplitMix64): the same seed always yields the same bytes.
RandomSource seeded_random_source(uint64_t seed);

// Installs seeded_random_source(seed) for the lifetime of the guard, then
// restores the system source.
class ScopedRandomSeed {
public:
    explicit ScopedRandomSeed(uint64_t seed) { set_random_source(seeded_random_source(seed)); }
    ~ScopedRandomSeed() { set_random_source(nullptr); }
    ScopedRandomSeed(const ScopedRandomSeed&) = delete;
    ScopedRandomSeed& operator=(const ScopedRandomSeed&) = delete;
};

}  // namespace dtls::crypto::testing

#endif  // DTLS_TESTING_HOOKS
