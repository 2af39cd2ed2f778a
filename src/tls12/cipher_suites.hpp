// What each supported cipher suite means for the record layer and the key
// schedule. Only ECDHE with AEAD suites exist here.
#pragma once

#include <cstdint>

#include "crypto/aead.hpp"
#include "crypto/hash.hpp"
#include "dtls/config.hpp"

namespace dtls::tls12 {

enum class AuthKind { ecdsa, rsa };

struct SuiteInfo {
    CipherSuite id;
    crypto::AeadAlgorithm aead;
    crypto::HashAlgorithm prf_hash;
    AuthKind auth;
    size_t key_length;
    size_t iv_length;  // fixed (implicit) IV bytes from the key block
};

// nullptr if `id` is not a suite this engine implements.
const SuiteInfo* find_suite(uint16_t id);

}  // namespace dtls::tls12
