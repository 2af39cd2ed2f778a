// RFC 8446 4.2.11: the server must select a PSK and a cipher suite that fit
// together, a PSK being bound to one hash. Shared by the server state
// machine and the stateless front door (whose HelloRetryRequest names the
// suite), so that both choose the same.
#pragma once

#include <cstddef>

#include "dtls/config.hpp"
#include "messages/messages.hpp"
#include "resumption/ticket_keys.hpp"
#include "tls13/cipher_suites.hpp"

namespace dtls::tls13 {

// Identities looked at per ClientHello: each may cost a ticket decryption.
constexpr size_t kMaxIdentitiesTried = 4;

// Our preferred suite in common with `hello`, except that when the hello
// offers a PSK this server would take (an identity psk_lookup knows, which
// uses SHA-256, or one of our DTLS 1.3 tickets for this server name, which
// uses the hash of its suite; the first such identity counts, in modes we
// allow) the preferred suite in common with that PSK's hash comes first.
// The binder is checked later, by the connection. Null if no suite in common.
const SuiteInfo* suite_for_hello(const Config& config, const messages::ClientHello& hello,
                                 resumption::TicketKeys* tickets, Instant now);

}  // namespace dtls::tls13
