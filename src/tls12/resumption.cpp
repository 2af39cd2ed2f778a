#include "tls12/resumption.hpp"

#include <algorithm>

#include "crypto/random.hpp"
#include "tls12/cipher_suites.hpp"
#include "tls12/negotiation.hpp"
#include "tls12/psk.hpp"

namespace dtls::tls12 {

namespace {

constexpr size_t kSessionIdLength = 32;
// RFC 5077 5.6 sets no limit; DTLS 1.3's 7 days is a sane one.
constexpr Duration kMaxClientSessionLifetime = std::chrono::hours(24 * 7);

bool configured_suite(const Config& config, uint16_t suite) {
    return find_suite(suite) && configured(config.cipher_suites, suite);
}

}  // namespace

std::optional<Session> session_to_offer(const Config& config, Instant now) {
    std::optional<Session> session = config.session_cache->take(config.server_name, now);
    if (!session) return std::nullopt;
    if (session->version() != ProtocolVersion::dtls1_2) {
        config.session_cache->store(std::move(*session));
        return std::nullopt;
    }
    const detail::SessionData& data = session->data();
    if (!data.extended_master_secret || !configured_suite(config, static_cast<uint16_t>(data.cipher_suite))) {
        return std::nullopt;
    }
    return session;
}

Status offer_session(const Session& session, messages::ClientHello& hello) {
    const detail::SessionData& data = session.data();
    hello.extensions.session_ticket = data.ticket;
    if (data.ticket.empty()) {
        hello.session_id = data.session_id;
        return Ok{};
    }
    hello.session_id.assign(kSessionIdLength, 0);
    if (!crypto::random_bytes(hello.session_id)) {
        return Error::from(Fault::internal_failure, "the random generator failed");
    }
    return Ok{};
}

std::optional<Session> session_to_keep(const Config& config, const Negotiated& negotiated,
                                       const crypto::SecretBytes& master_secret, const Bytes& session_id,
                                       const Bytes& ticket, uint32_t ticket_lifetime_hint, Instant now) {
    if (session_id.empty() && ticket.empty()) return std::nullopt;
    auto data = std::make_shared<detail::SessionData>();
    data->version = ProtocolVersion::dtls1_2;
    data->cipher_suite = negotiated.cipher_suite;
    data->master_secret = master_secret;
    data->session_id = session_id;
    data->ticket = ticket;
    data->extended_master_secret = negotiated.extended_master_secret;
    data->received = now;
    const Duration lifetime = !ticket.empty() && ticket_lifetime_hint > 0
                                  ? std::min<Duration>(std::chrono::seconds(ticket_lifetime_hint),
                                                       kMaxClientSessionLifetime)
                                  : kDefaultClientSessionLifetime;
    data->expires = now + lifetime;
    data->server_name = config.server_name;
    data->peer_chain = negotiated.peer_chain;
    data->peer_signature_scheme = negotiated.peer_signature_scheme;
    return Session(std::move(data));
}

Result<std::optional<resumption::CachedSession>> session_to_resume(const ServerSessions& sessions,
                                                                   const Config& config,
                                                                   const messages::ClientHello& hello, Instant now) {
    using Found = std::optional<resumption::CachedSession>;
    const messages::Extensions& ext = hello.extensions;
    Found found;
    // A ticket that does not open, or has expired, falls back to the
    // session ID and then to a full handshake, without an alert (RFC 5077 3.4).
    if (sessions.tickets && ext.session_ticket && !ext.session_ticket->empty()) {
        std::optional<resumption::TicketContents> ticket = sessions.tickets->open(*ext.session_ticket, now);
        if (ticket && ticket->version == ProtocolVersion::dtls1_2) {
            found = resumption::CachedSession{ticket->cipher_suite,          std::move(ticket->psk),
                                              ticket->extended_master_secret, std::move(ticket->server_name),
                                              ticket->issued,                std::move(ticket->psk_identity)};
        }
    }
    if (!found && sessions.ids && !hello.session_id.empty()) found = sessions.ids->find(hello.session_id, now);
    if (!found) return Found{};
    if (found->server_name != ext.server_name.value_or("") || !configured_suite(config, found->cipher_suite) ||
        !contains(hello.cipher_suites, found->cipher_suite)) {
        return Found{};
    }
    if (found->extended_master_secret && !ext.extended_master_secret) {
        return Error::from(Fault::extended_master_secret_missing,
                           "the client resumes a session with the extended master secret without offering it");
    }
    if (!found->extended_master_secret && ext.extended_master_secret) return Found{};
    // A PSK session lasts only as long as its key: an identity the
    // application no longer knows gets a full handshake (and so fails).
    const SuiteInfo* suite = find_suite(found->cipher_suite);
    if (suite && suite->uses_psk() &&
        !find_psk(config, std::span(reinterpret_cast<const uint8_t*>(found->psk_identity.data()),
                                    found->psk_identity.size()))) {
        return Found{};
    }
    if (!found->extended_master_secret && config.require_extended_master_secret) return Found{};
    return found;
}

}  // namespace dtls::tls12
