// The PSK a NewSessionTicket stands for (RFC 8446 section 4.6.1):
//
//   HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce, Hash.length)
//
// Each ticket of a connection has its own nonce, so each has its own PSK.
// The next handshake starts its key schedule from it
// (KeySchedule::with_psk, PskKind::resumption), with the same hash.
#pragma once

#include <cstdint>
#include <span>

#include "crypto/secret.hpp"
#include "dtls/config.hpp"
#include "dtls/errors.hpp"
#include "tls13/key_derivation.hpp"

namespace dtls::tls13 {

// RFC 8446 4.2.9: the PSK key exchange modes. Tickets resume with PSK and
// (EC)DHE only; psk_ke, without, is for external PSKs whose two sides both
// allow it (Config::psk_without_dhe).
constexpr uint8_t kPskKe = 0;
constexpr uint8_t kPskDheKe = 1;
// RFC 8446 4.6.1: no ticket is good for longer, whatever the server says.
constexpr Duration kMaxTicketLifetime = std::chrono::hours(24 * 7);

// `ticket_nonce` is opaque<0..255> on the wire; a longer one is refused
// (internal_failure: the decoder never yields one).
Result<crypto::SecretBytes> resumption_psk(const KeyDerivation& kdf, std::span<const uint8_t> resumption_master_secret,
                                           std::span<const uint8_t> ticket_nonce);

}  // namespace dtls::tls13
