// Which protocol version a connection speaks (RFC 8446 4.2.1, RFC 9147 5.3):
// a client offers every version its Config enables and follows the server's
// choice; a server picks the newest version both sides speak from the whole
// ClientHello. Each side then hands every message to that version's state
// machine (src/tls12/ or src/tls13/).
#pragma once

#include <memory>
#include <optional>

#include "crypto/trust_store.hpp"
#include "dtls/config.hpp"
#include "engine/protocol.hpp"
#include "resumption/session_id_cache.hpp"
#include "resumption/ticket_keys.hpp"
#include "tls13/hello_retry.hpp"

namespace dtls::tls13 {

// A client for the versions `config` enables. With DTLS 1.3 enabled it sends
// a DTLS 1.3 ClientHello (offering DTLS 1.2 too when that is enabled), and
// becomes a DTLS 1.2 client if the server answers the DTLS 1.2 way.
std::unique_ptr<engine::Protocol> make_client(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust);

// A server that chooses its version from the first ClientHello it is given.
// `retry`: the front door already sent a DTLS 1.3 HelloRetryRequest and this
// connection starts at the second ClientHello. `tickets`: the keys of the
// server's session tickets, null when it sends none.
std::unique_ptr<engine::Protocol> make_server(std::shared_ptr<const Config> config,
                                              std::shared_ptr<const crypto::TrustStore> trust,
                                              std::optional<RetryContext> retry,
                                              std::shared_ptr<resumption::TicketKeys> tickets,
                                              std::shared_ptr<resumption::SessionIdCache> session_ids = nullptr);

// Whether a server with `config` answers this ClientHello with DTLS 1.3: it
// offers DTLS 1.3 in supported_versions. A non-empty legacy_cookie does not
// make it a DTLS 1.2 hello: RFC 9147 5.3 has the DTLS 1.3 server refuse it
// with illegal_parameter (a server enabling 1.3 never sends such a client a
// HelloVerifyRequest).
bool speaks_dtls13(const Config& config, const messages::ClientHello& hello);

}  // namespace dtls::tls13
