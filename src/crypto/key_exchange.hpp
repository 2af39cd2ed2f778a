// Ephemeral (EC)DH key shares for ECDHE (RFC 8422). Public keys use the TLS
// encoding: 32 raw bytes for x25519, an uncompressed point for the NIST curves.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "crypto/secret.hpp"
#include "dtls/config.hpp"
#include "dtls/errors.hpp"

namespace dtls::crypto {

class KeyShare {
public:
    static Result<KeyShare> generate(NamedGroup group);
    // A share with a given private key (x25519: 32 raw bytes; NIST curves: the
    // big-endian scalar), for known-answer tests and deterministic transcripts.
    static Result<KeyShare> from_private_key(NamedGroup group, std::span<const uint8_t> private_key);

    KeyShare(KeyShare&&) noexcept;
    KeyShare& operator=(KeyShare&&) noexcept;
    ~KeyShare();

    NamedGroup group() const { return group_; }
    const std::vector<uint8_t>& public_key() const { return public_key_; }

    // The shared secret with the peer's public key. A malformed or invalid
    // peer key, or an all-zero x25519 result, fails with
    // ErrorCode::invalid_argument; OpenSSL failing, with ErrorCode::internal.
    Result<SecretBytes> agree(std::span<const uint8_t> peer_public_key) const;

private:
    struct State;
    KeyShare(NamedGroup group, std::unique_ptr<State> s, std::vector<uint8_t> pub);
    NamedGroup group_;
    std::unique_ptr<State> state_;
    std::vector<uint8_t> public_key_;
};

}  // namespace dtls::crypto
