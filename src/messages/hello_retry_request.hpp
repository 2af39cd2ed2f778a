// What a ServerHello's random can say besides being random (RFC 8446
// 4.1.3): that the message is a HelloRetryRequest, or that a server able to
// speak DTLS 1.3 negotiated an older version (the downgrade sentinels, which
// RFC 9147 5.3 applies to DTLS 1.2 and DTLS 1.0). And the message_hash
// construct that stands for ClientHello1 in the transcript after a
// HelloRetryRequest (RFC 8446 4.4.1).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "dtls/errors.hpp"
#include "messages/messages.hpp"

namespace dtls::messages {

// SHA-256("HelloRetryRequest"): the random of every HelloRetryRequest, which
// is a ServerHello in form (RFC 8446 4.1.3).
constexpr Random kHelloRetryRequestRandom = {
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91,
    0xC2, 0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
};

bool is_hello_retry_request(const ServerHello& hello);

// The last 8 bytes of the random of a server that supports DTLS 1.3 but
// negotiated DTLS 1.2 ("DOWNGRD" 01), or DTLS 1.0 ("DOWNGRD" 00).
constexpr std::array<uint8_t, 8> kDowngradeToDtls12 = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01};
constexpr std::array<uint8_t, 8> kDowngradeToDtls10 = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x00};

enum class DowngradeSentinel : uint8_t { none, dtls12, dtls10 };

// Which sentinel, if any, ends a ServerHello random. A DTLS 1.3 client that
// finds one in a ServerHello choosing an older version aborts with
// illegal_parameter (RFC 8446 4.1.3); that decision is the state machine's.
DowngradeSentinel downgrade_sentinel(const Random& server_random);

// The synthetic handshake message that replaces ClientHello1 in the
// transcript once a HelloRetryRequest arrives (RFC 8446 4.4.1), in the 4-byte
// TLS header form DTLS 1.3 hashes (RFC 9147 5.2): message_hash(254), a 24-bit
// length, then Hash(ClientHello1). An internal_failure only if the "hash" is
// too long for the length field.
Result<Bytes> synthetic_message_hash(std::span<const uint8_t> client_hello1_hash);

}  // namespace dtls::messages
