// The DTLS 1.2 NewSessionTicket (RFC 5077 3.3): a server's ticket, sent in
// its last handshake flight just before ChangeCipherSpec.
#pragma once

#include <cstdint>
#include <span>

#include "messages/messages.hpp"

namespace dtls::messages {

struct NewSessionTicket12 {
    uint32_t ticket_lifetime_hint = 0;  // seconds; 0 means unspecified
    Bytes ticket;                       // 0..2^16-1 bytes; empty: the server takes back the ticket it was offered
};

Result<NewSessionTicket12> decode_new_session_ticket12(std::span<const uint8_t> body);
[[nodiscard]] bool encode(const NewSessionTicket12& m, wire::Writer& w);

}  // namespace dtls::messages
