// The TLS 1.3 cipher suite table (see cipher_suites.hpp).
#include "tls13/cipher_suites.hpp"

namespace dtls::tls13 {

namespace {

using Aead = crypto::AeadCipher::Algorithm;
using crypto::HashAlgorithm;
using Mask = crypto::RecordNumberMask::Kind;

// The CCM suites run on AES, so their record numbers take the AES mask.
constexpr SuiteInfo kSuites[] = {
    {suite::aes_128_gcm_sha256, "TLS_AES_128_GCM_SHA256", Aead::aes_128_gcm, HashAlgorithm::sha256, Mask::aes},
    {suite::aes_256_gcm_sha384, "TLS_AES_256_GCM_SHA384", Aead::aes_256_gcm, HashAlgorithm::sha384, Mask::aes},
    {suite::chacha20_poly1305_sha256, "TLS_CHACHA20_POLY1305_SHA256", Aead::chacha20_poly1305, HashAlgorithm::sha256,
     Mask::chacha20},
    {suite::aes_128_ccm_sha256, "TLS_AES_128_CCM_SHA256", Aead::aes_128_ccm, HashAlgorithm::sha256, Mask::aes},
    {suite::aes_128_ccm_8_sha256, "TLS_AES_128_CCM_8_SHA256", Aead::aes_128_ccm_8, HashAlgorithm::sha256, Mask::aes},
};

}  // namespace

std::span<const SuiteInfo> all_suites() { return kSuites; }

const SuiteInfo* find_suite(uint16_t code_point) {
    for (const SuiteInfo& s : kSuites) {
        if (s.code_point == code_point) return &s;
    }
    return nullptr;
}

}  // namespace dtls::tls13
