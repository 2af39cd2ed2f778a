// Hashes, HMAC and the TLS 1.2 PRF (RFC 5246 section 5).
#pragma once

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "crypto/secret.hpp"
#include "dtls/errors.hpp"

namespace dtls::crypto {

enum class HashAlgorithm { sha256, sha384 };

size_t hash_length(HashAlgorithm alg);

// These fail only when OpenSSL does (out of memory, a broken provider); the
// failure is returned, never printed.
Result<std::vector<uint8_t>> digest(HashAlgorithm alg, std::span<const uint8_t> data);

// HMAC keyed once and used many times (the cookie path computes one per
// ClientHello): each compute() starts again from the key.
class Hmac {
public:
    static Result<Hmac> create(HashAlgorithm alg, std::span<const uint8_t> key);
    Hmac(Hmac&&) noexcept;
    Hmac& operator=(Hmac&&) noexcept;
    ~Hmac();

    // HMAC over the concatenation of `parts`; `out` is hash_length(alg)
    // bytes. False if OpenSSL fails (`out` is then unspecified).
    [[nodiscard]] bool compute(std::initializer_list<std::span<const uint8_t>> parts, std::span<uint8_t> out);

private:
    struct State;
    explicit Hmac(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

// PRF(secret, label, seed) with P_<alg>, filling `out` completely. False if
// OpenSSL fails (`out` is then wiped).
[[nodiscard]] bool prf(HashAlgorithm alg, std::span<const uint8_t> secret, std::string_view label,
                       std::span<const uint8_t> seed, std::span<uint8_t> out);

}  // namespace dtls::crypto
