// The HelloRetryRequest a DTLS 1.3 server sends (RFC 8446 4.1.4), in one
// place so that the stateless front door and the server connection build the
// same bytes: a server that answered the first ClientHello without keeping
// state must put exactly that message in its transcript once the cookie
// comes back (RFC 8446 4.4.1).
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "dtls/errors.hpp"
#include "messages/messages.hpp"

namespace dtls::tls13 {

struct RetryRequest {
    uint16_t cipher_suite = 0;
    // The group the client must send a share for, when it sent none we take.
    std::optional<uint16_t> selected_group;
    // The stateless front door's cookie; empty from a server that keeps state.
    std::span<const uint8_t> cookie;
};

// The HelloRetryRequest's body: a ServerHello with the special random, an
// empty legacy_session_id_echo (RFC 9147 5), and supported_versions, then
// key_share and cookie as requested.
Result<Bytes> encode_hello_retry_request(const RetryRequest& request);

// What the front door learned from the first ClientHello and carries in its
// cookie to the connection it creates for the second one.
struct RetryContext {
    uint16_t cipher_suite = 0;
    uint16_t group = 0;            // the group whose share the second hello must carry
    bool group_requested = false;  // whether the HelloRetryRequest named it
    Bytes client_hello1_hash;      // with the suite's hash
};

}  // namespace dtls::tls13
