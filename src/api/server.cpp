// dtls::Server: the public face of the front door (src/frontdoor/).
#include "dtls/server.hpp"

#include "api/config_check.hpp"
#include "frontdoor/front_door.hpp"

namespace dtls {

Server::Server(std::shared_ptr<const frontdoor::FrontDoor> front_door) : front_door_(std::move(front_door)) {}
Server::Server(const Server&) = default;
Server& Server::operator=(const Server&) = default;
Server::Server(Server&&) noexcept = default;
Server& Server::operator=(Server&&) noexcept = default;
Server::~Server() = default;

Result<Server> Server::create(const Config& config, Instant now) {
    if (Status s = check_config(config, Role::server); !s) return s.error();
    auto context = std::make_shared<frontdoor::ServerContext>();
    context->config = std::make_shared<const Config>(config);
    context->settings = engine_settings(config);
    if (config.client_auth != ClientAuth::none && has_trust_anchors(config)) {
        auto store = crypto::TrustStore::create(trust_anchors(config));
        if (!store) return store.error();
        context->trust = *store;
    }
    auto secret = frontdoor::CookieSecret::create(config.cookie_secret_lifetime, now);
    if (!secret) return secret.error();
    context->cookie_secret = *secret;
    if (config.session_tickets > 0) {
        auto tickets = resumption::TicketKeys::create(config.session_ticket_lifetime, now);
        if (!tickets) return tickets.error();
        context->ticket_keys = *tickets;
    }
    if (config.session_cache_capacity > 0 && config.enables(ProtocolVersion::dtls1_2)) {
        context->session_ids = std::make_shared<resumption::SessionIdCache>(config.session_cache_capacity,
                                                                             config.session_ticket_lifetime);
    }
    return Server(std::make_shared<const frontdoor::FrontDoor>(std::move(context)));
}

const Config& Server::config() const { return *front_door_->context()->config; }

Server::Answer Server::handle_datagram(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram,
                                       Instant now, std::vector<uint8_t>& reply) {
    frontdoor::FrontDoor::Answer answer = front_door_->handle(peer_address, datagram, now, reply);
    switch (answer.outcome) {
        case frontdoor::FrontDoor::Outcome::dropped: return {};
        case frontdoor::FrontDoor::Outcome::reply: return {Outcome::reply, std::nullopt};
        case frontdoor::FrontDoor::Outcome::accepted: break;
    }
    return {Outcome::accepted, Connection(std::move(answer.connection))};
}

}  // namespace dtls
