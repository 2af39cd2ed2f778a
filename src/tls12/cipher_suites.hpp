// What each supported cipher suite means for the record layer and the key
// schedule. AEAD suites only: ECDHE with a certificate, a pre-shared key
// alone, or ECDHE with a pre-shared key.
#pragma once

#include <cstdint>

#include "crypto/aead.hpp"
#include "crypto/hash.hpp"
#include "dtls/config.hpp"

namespace dtls::tls12 {

// What authenticates the handshake: a certificate key of this kind, or the
// pre-shared key.
enum class AuthKind { ecdsa, rsa, psk };

// Where the premaster secret comes from (RFC 4279 2, RFC 5489 2).
enum class KeyExchange { ecdhe, psk, ecdhe_psk };

struct SuiteInfo {
    CipherSuite id;
    crypto::AeadAlgorithm aead;
    crypto::HashAlgorithm prf_hash;
    AuthKind auth;
    size_t key_length;
    size_t iv_length;  // fixed (implicit) IV bytes from the key block
    KeyExchange key_exchange = KeyExchange::ecdhe;

    bool uses_psk() const { return auth == AuthKind::psk; }
    bool uses_ecdhe() const { return key_exchange != KeyExchange::psk; }
};

// nullptr if `id` is not a suite this engine implements.
const SuiteInfo* find_suite(uint16_t id);

}  // namespace dtls::tls12
