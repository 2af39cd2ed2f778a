#include "tls12/cipher_suites.hpp"

namespace dtls::tls12 {

namespace {

using crypto::AeadAlgorithm;
using crypto::HashAlgorithm;

constexpr SuiteInfo kSuites[] = {
    {CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, AeadAlgorithm::aes_128_gcm, HashAlgorithm::sha256, AuthKind::ecdsa, 16, 4},
    {CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384, AeadAlgorithm::aes_256_gcm, HashAlgorithm::sha384, AuthKind::ecdsa, 32, 4},
    {CipherSuite::ecdhe_rsa_aes128_gcm_sha256, AeadAlgorithm::aes_128_gcm, HashAlgorithm::sha256, AuthKind::rsa, 16, 4},
    {CipherSuite::ecdhe_rsa_aes256_gcm_sha384, AeadAlgorithm::aes_256_gcm, HashAlgorithm::sha384, AuthKind::rsa, 32, 4},
    {CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, AeadAlgorithm::chacha20_poly1305, HashAlgorithm::sha256,
     AuthKind::ecdsa, 32, 12},
    {CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256, AeadAlgorithm::chacha20_poly1305, HashAlgorithm::sha256,
     AuthKind::rsa, 32, 12},
    // RFC 7251: the GCM key block layout (RFC 6655 3), the SHA-256 PRF.
    {CipherSuite::ecdhe_ecdsa_aes128_ccm, AeadAlgorithm::aes_128_ccm, HashAlgorithm::sha256, AuthKind::ecdsa, 16, 4},
    {CipherSuite::ecdhe_ecdsa_aes128_ccm8, AeadAlgorithm::aes_128_ccm_8, HashAlgorithm::sha256, AuthKind::ecdsa, 16, 4},
    // Pre-shared keys: the same AEAD layouts (RFC 5487 for GCM, RFC 6655 for
    // CCM, RFC 7905 for ChaCha20-Poly1305); CCM uses the SHA-256 PRF.
    {CipherSuite::psk_aes128_gcm_sha256, AeadAlgorithm::aes_128_gcm, HashAlgorithm::sha256, AuthKind::psk, 16, 4,
     KeyExchange::psk},
    {CipherSuite::psk_aes256_gcm_sha384, AeadAlgorithm::aes_256_gcm, HashAlgorithm::sha384, AuthKind::psk, 32, 4,
     KeyExchange::psk},
    {CipherSuite::psk_aes128_ccm, AeadAlgorithm::aes_128_ccm, HashAlgorithm::sha256, AuthKind::psk, 16, 4,
     KeyExchange::psk},
    {CipherSuite::psk_aes128_ccm8, AeadAlgorithm::aes_128_ccm_8, HashAlgorithm::sha256, AuthKind::psk, 16, 4,
     KeyExchange::psk},
    {CipherSuite::psk_chacha20_poly1305_sha256, AeadAlgorithm::chacha20_poly1305, HashAlgorithm::sha256,
     AuthKind::psk, 32, 12, KeyExchange::psk},
    // ECDHE with a pre-shared key: RFC 8442 (GCM, CCM_8), RFC 7905.
    {CipherSuite::ecdhe_psk_aes128_gcm_sha256, AeadAlgorithm::aes_128_gcm, HashAlgorithm::sha256, AuthKind::psk, 16,
     4, KeyExchange::ecdhe_psk},
    {CipherSuite::ecdhe_psk_aes128_ccm8_sha256, AeadAlgorithm::aes_128_ccm_8, HashAlgorithm::sha256, AuthKind::psk,
     16, 4, KeyExchange::ecdhe_psk},
    {CipherSuite::ecdhe_psk_chacha20_poly1305_sha256, AeadAlgorithm::chacha20_poly1305, HashAlgorithm::sha256,
     AuthKind::psk, 32, 12, KeyExchange::ecdhe_psk},
};

}  // namespace

const SuiteInfo* find_suite(uint16_t id) {
    for (const SuiteInfo& s : kSuites) {
        if (static_cast<uint16_t>(s.id) == id) return &s;
    }
    return nullptr;
}

}  // namespace dtls::tls12
