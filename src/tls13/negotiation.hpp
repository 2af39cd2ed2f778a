// The DTLS 1.3 server's choices from a ClientHello, shared by the server
// state machine and the stateless front door, which must choose exactly as
// the connection it later creates will.
#pragma once

#include <optional>

#include "dtls/config.hpp"
#include "messages/messages.hpp"
#include "tls13/cipher_suites.hpp"

namespace dtls::tls13 {

// Server preference: our first DTLS 1.3 suite the client offers; null if none.
const SuiteInfo* preferred_suite(const Config& config, const messages::ClientHello& hello);

struct GroupChoice {
    NamedGroup group{};
    // The client's share for `group`; null when it sent none and must be
    // asked for one with a HelloRetryRequest.
    const messages::KeyShareEntry* share = nullptr;
};
// Our most preferred group the client sent a share for (so a browser that
// leads with a share we do not know still has its x25519 share used); else
// our most preferred group it supports. Nothing if it supports none of ours
// or sent no supported_groups or key_share.
std::optional<GroupChoice> preferred_group(const Config& config, const messages::ClientHello& hello);

}  // namespace dtls::tls13
