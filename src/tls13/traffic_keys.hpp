// The record protection keys of one direction of one epoch, made from that
// epoch's traffic secret (RFC 8446 section 7.3, RFC 9147 section 4.2.3):
//
//   [sender]_write_key = HKDF-Expand-Label(Secret, "key", "", key_length)
//   [sender]_write_iv  = HKDF-Expand-Label(Secret, "iv",  "", iv_length)
//   [sender]_sn_key    = HKDF-Expand-Label(Secret, "sn",  "", key_length)
//
// key_length is the AEAD's (crypto::AeadCipher::key_length); iv_length is 12
// for every TLS 1.3 AEAD. The sn_key encrypts DTLS 1.3 record numbers
// (crypto::RecordNumberMask), with as many bytes as the AEAD's key.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/aead_cipher.hpp"
#include "crypto/secret.hpp"
#include "dtls/errors.hpp"
#include "tls13/key_derivation.hpp"

namespace dtls::tls13 {

struct TrafficKeys {
    crypto::SecretBytes key;     // the AEAD key
    crypto::SecretBytes iv;      // XORed with the record sequence number to make the nonce
    crypto::SecretBytes sn_key;  // the record number mask's key
};

// The keys for `traffic_secret` (Hash.length bytes). The sn_key is derived
// whatever the label prefix; TLS 1.3 simply has no use for it.
Result<TrafficKeys> derive_traffic_keys(const KeyDerivation& kdf, crypto::AeadCipher::Algorithm aead,
                                        std::span<const uint8_t> traffic_secret);

}  // namespace dtls::tls13
