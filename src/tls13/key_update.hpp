// The next generation of an application traffic secret, for KeyUpdate (RFC
// 8446 section 7.2):
//
//   application_traffic_secret_N+1 =
//       HKDF-Expand-Label(application_traffic_secret_N, "traffic upd", "", Hash.length)
//
// The caller derives the new epoch's keys from it (traffic_keys.hpp) and then
// drops secret N, which SecretBytes wipes.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/secret.hpp"
#include "dtls/errors.hpp"
#include "tls13/key_derivation.hpp"

namespace dtls::tls13 {

Result<crypto::SecretBytes> next_application_traffic_secret(const KeyDerivation& kdf,
                                                            std::span<const uint8_t> application_traffic_secret);

}  // namespace dtls::tls13
