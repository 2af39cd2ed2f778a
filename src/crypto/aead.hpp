// AEAD record protection primitives. A context is keyed once and reused for
// every record; sealing and opening work in place.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

#include "dtls/errors.hpp"

namespace dtls::crypto {

enum class AeadAlgorithm { aes_128_gcm, aes_256_gcm, chacha20_poly1305 };

size_t aead_key_length(AeadAlgorithm alg);

class Aead {
public:
    static constexpr size_t nonce_length = 12;
    static constexpr size_t tag_length = 16;

    static Result<Aead> create(AeadAlgorithm alg, std::span<const uint8_t> key);

    Aead(Aead&&) noexcept;
    Aead& operator=(Aead&&) noexcept;
    ~Aead();

    // Encrypts `in_out` in place and writes the tag. `nonce` is 12 bytes.
    void seal(std::span<const uint8_t> nonce, std::span<const uint8_t> aad, std::span<uint8_t> in_out,
              std::span<uint8_t> tag);

    // Decrypts `in_out` in place; false if the tag does not verify (then
    // `in_out` holds unspecified bytes and must not be used).
    bool open(std::span<const uint8_t> nonce, std::span<const uint8_t> aad, std::span<uint8_t> in_out,
              std::span<const uint8_t> tag);

private:
    struct State;
    explicit Aead(std::unique_ptr<State> s);
    std::unique_ptr<State> state_;
};

}  // namespace dtls::crypto
