// Finished (RFC 8446 section 4.4.4) and the PSK binder, which is computed the
// same way (section 4.2.11.2):
//
//   finished_key = HKDF-Expand-Label(BaseKey, "finished", "", Hash.length)
//   verify_data  = HMAC(finished_key, Transcript-Hash(Handshake Context, ...))
//
// BaseKey is the sender's handshake traffic secret for the handshake's
// Finished messages, the sender's application traffic secret for a
// post-handshake Finished, and the binder_key for a binder. Callers pass the
// transcript hash (Hash.length bytes), not the messages.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "crypto/secret.hpp"
#include "dtls/errors.hpp"
#include "tls13/key_derivation.hpp"

namespace dtls::tls13 {

Result<crypto::SecretBytes> finished_key(const KeyDerivation& kdf, std::span<const uint8_t> base_key);

// The verify_data (or binder) to send: Hash.length bytes.
Result<std::vector<uint8_t>> verify_data(const KeyDerivation& kdf, std::span<const uint8_t> base_key,
                                         std::span<const uint8_t> transcript_hash);

// Compares what the peer sent with what it should have, in constant time. A
// mismatch is Fault::finished_invalid (a decrypt_error alert, as RFC 8446
// 4.4.4 requires for Finished); a failure of ours is internal_failure.
Status check_verify_data(const KeyDerivation& kdf, std::span<const uint8_t> base_key,
                         std::span<const uint8_t> transcript_hash, std::span<const uint8_t> received);

}  // namespace dtls::tls13
