// DTLS 1.2 session resumption (RFC 5246 7.3, RFC 5077, RFC 7627 5.3): which
// session a client offers, which one a server resumes, and what each side
// keeps of a session for the next connection. The state machines
// (client.cpp, server.cpp) run the abbreviated handshake itself.
#pragma once

#include <memory>
#include <optional>

#include "dtls/connection.hpp"
#include "dtls/session.hpp"
#include "messages/messages.hpp"
#include "resumption/session_data.hpp"
#include "resumption/session_id_cache.hpp"
#include "resumption/ticket_keys.hpp"

namespace dtls::tls12 {

// How long a client keeps a session whose server named no lifetime (a
// session ID alone, or a ticket with a lifetime hint of 0): the default
// lifetime of our own server's sessions.
constexpr Duration kDefaultClientSessionLifetime = std::chrono::hours(2);

// --- The client -------------------------------------------------------------

// A DTLS 1.2 session from the cache for our server name, if there is one
// worth offering: one made with a suite we still offer and with the
// extended master secret (RFC 7627 5.3: a client SHOULD NOT offer a session
// without it). A DTLS 1.3 session taken by mistake goes back to the cache.
std::optional<Session> session_to_offer(const Config& config, Instant now);

// Puts `session` into `hello`: its ticket, if it has one, in the
// SessionTicket extension with a fresh random session ID, which the server
// echoes when it accepts the ticket (RFC 5077 3.4); otherwise its session ID
// and an empty SessionTicket extension, asking for a ticket. Fails only if
// the random generator does.
Status offer_session(const Session& session, messages::ClientHello& hello);

// The session to keep after a handshake, full or abbreviated. Without a
// session ID or a ticket the server cannot resume it, and there is none.
std::optional<Session> session_to_keep(const Config& config, const Negotiated& negotiated,
                                       const crypto::SecretBytes& master_secret, const Bytes& session_id,
                                       const Bytes& ticket, uint32_t ticket_lifetime_hint, Instant now);

// --- The server -------------------------------------------------------------

// What a server shares between its connections to resume sessions; either
// may be null (no session IDs; no tickets).
struct ServerSessions {
    std::shared_ptr<resumption::TicketKeys> tickets;
    std::shared_ptr<resumption::SessionIdCache> ids;
};

// The session `hello` asks to resume, if the server still has it (its ticket
// opens, or its session ID is cached) and may resume it: the same server
// name, a suite this server is configured with and the hello offers, and
// the extended master secret in both or neither. A session without the
// extended master secret asked for by a hello with it gets a full handshake;
// the reverse is an error, extended_master_secret_missing (RFC 7627 5.3).
Result<std::optional<resumption::CachedSession>> session_to_resume(const ServerSessions& sessions,
                                                                   const Config& config,
                                                                   const messages::ClientHello& hello, Instant now);

}  // namespace dtls::tls12
