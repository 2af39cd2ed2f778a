// What a client keeps of a session: for DTLS 1.3 a NewSessionTicket (RFC
// 8446 4.6.1), the ticket to send back and the PSK it stands for; for DTLS
// 1.2 the master secret with the session ID and/or the ticket (RFC 5077)
// that name it to the server. Either way, what the resumed connection
// reports of the session that made it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/secret.hpp"
#include "dtls/config.hpp"

namespace dtls::detail {

struct SessionData {
    ProtocolVersion version = ProtocolVersion::dtls1_3;
    CipherSuite cipher_suite{};
    crypto::SecretBytes psk;  // DTLS 1.3: HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce)
    Bytes ticket;             // opaque to the client; DTLS 1.2: may be empty (a session ID alone)
    // DTLS 1.2 only.
    crypto::SecretBytes master_secret;
    Bytes session_id;  // 0..32 bytes, as the server's ServerHello gave it
    bool extended_master_secret = false;
    uint32_t age_add = 0;     // added to the ticket's age in milliseconds (obfuscated_ticket_age)
    Instant received{};
    Instant expires{};
    std::string server_name;
    // The server's chain and signature from the full handshake, which a
    // resumed connection reports as its own.
    std::vector<Bytes> peer_chain;
    SignatureScheme peer_signature_scheme{};
};

}  // namespace dtls::detail
