// The key exchange messages of the DTLS 1.2 pre-shared key suites: with the
// PSK alone (RFC 4279 2) the ServerKeyExchange carries only an identity hint
// and is sent only when there is one, and the ClientKeyExchange only the
// identity; with ECDHE_PSK (RFC 5489 2) both add an ECDHE exchange with a
// named curve, unsigned (the PSK authenticates it through Finished).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "dtls/errors.hpp"
#include "messages/messages.hpp"
#include "wire/writer.hpp"

namespace dtls::messages {

// ECDHE parameters with a named curve, as ServerECDHParams (RFC 8422 5.4).
struct EcdheParameters {
    uint16_t group = 0;
    Bytes public_key;
};

struct PskServerKeyExchange {
    Bytes identity_hint;                  // psk_identity_hint<0..2^16-1>
    std::optional<EcdheParameters> ecdhe;  // ECDHE_PSK suites only
};

struct PskClientKeyExchange {
    Bytes identity;                // psk_identity<0..2^16-1>
    std::optional<Bytes> ecdhe_public_key;  // ECDHE_PSK suites only: ECPoint<1..2^8-1>
};

// `ecdhe`: whether the negotiated suite is an ECDHE_PSK one, which decides
// the layout.
Result<PskServerKeyExchange> decode_psk_server_key_exchange(std::span<const uint8_t> body, bool ecdhe);
Result<PskClientKeyExchange> decode_psk_client_key_exchange(std::span<const uint8_t> body, bool ecdhe);

[[nodiscard]] bool encode(const PskServerKeyExchange& m, wire::Writer& w);
[[nodiscard]] bool encode(const PskClientKeyExchange& m, wire::Writer& w);

}  // namespace dtls::messages
