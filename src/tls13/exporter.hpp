// The TLS 1.3 exporter (RFC 8446 section 7.5), which replaces RFC 5705's PRF
// construction:
//
//   TLS-Exporter(label, context_value, key_length) =
//       HKDF-Expand-Label(Derive-Secret(Secret, label, ""),
//                         "exporter", Hash(context_value), key_length)
//
// Secret is the exporter_master_secret, or the early_exporter_master_secret
// for 0-RTT (the caller chooses by which it passes). In DTLS 1.3 both
// HKDF-Expand-Label calls take the "dtls13" prefix like every other one
// (RFC 9147 section 5.9). No context and an empty context give the same
// value (RFC 8446 7.5), so there is no "use context" flag as in DTLS 1.2.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "crypto/secret.hpp"
#include "dtls/errors.hpp"
#include "tls13/key_derivation.hpp"

namespace dtls::tls13 {

// The label and length come from the application, so what HkdfLabel cannot
// hold is refused as ErrorCode::invalid_argument (no fault, no alert): a
// label longer than 255 bytes with the prefix, or more than 255 * Hash.length
// bytes of output.
Result<crypto::SecretBytes> export_keying_material(const KeyDerivation& kdf,
                                                   std::span<const uint8_t> exporter_master_secret,
                                                   std::string_view label, std::span<const uint8_t> context,
                                                   size_t length);

}  // namespace dtls::tls13
