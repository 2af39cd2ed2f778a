// What a client keeps of a NewSessionTicket (RFC 8446 4.6.1): the ticket to
// send back, the PSK it stands for, and what the resumed connection reports
// of the session that made it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/secret.hpp"
#include "dtls/config.hpp"

namespace dtls::detail {

struct SessionData {
    CipherSuite cipher_suite{};
    crypto::SecretBytes psk;  // HKDF-Expand-Label(resumption_master_secret, "resumption", ticket_nonce)
    Bytes ticket;             // opaque to the client
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
