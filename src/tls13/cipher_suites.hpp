// The five TLS 1.3 cipher suites (RFC 8446 section B.4), which DTLS 1.3 uses
// unchanged (RFC 9147): what each means for the key schedule (its hash), the
// record layer (its AEAD) and DTLS 1.3 record number encryption (the cipher
// under the AEAD, RFC 9147 section 4.2.3). Unlike DTLS 1.2's, a TLS 1.3 suite
// says nothing about the key exchange or the signature.
//
// The public dtls::CipherSuite does not list these yet, so they are known by
// their code points here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/aead_cipher.hpp"
#include "crypto/hash.hpp"
#include "crypto/record_number_mask.hpp"

namespace dtls::tls13 {

// The code points (IANA TLS Cipher Suites registry).
namespace suite {
inline constexpr uint16_t aes_128_gcm_sha256 = 0x1301;
inline constexpr uint16_t aes_256_gcm_sha384 = 0x1302;
inline constexpr uint16_t chacha20_poly1305_sha256 = 0x1303;
inline constexpr uint16_t aes_128_ccm_sha256 = 0x1304;
inline constexpr uint16_t aes_128_ccm_8_sha256 = 0x1305;
}  // namespace suite

struct SuiteInfo {
    uint16_t code_point;
    std::string_view name;  // as registered: "TLS_AES_128_GCM_SHA256"
    crypto::AeadCipher::Algorithm aead;
    crypto::HashAlgorithm hash;
    crypto::RecordNumberMask::Kind record_number_mask;

    // The AEAD key and the sn_key are this long (traffic_keys.hpp).
    size_t key_length() const { return crypto::AeadCipher::key_length(aead); }
};

// All five, in code point order.
std::span<const SuiteInfo> all_suites();

// nullptr if `code_point` is not a TLS 1.3 suite.
const SuiteInfo* find_suite(uint16_t code_point);

}  // namespace dtls::tls13
