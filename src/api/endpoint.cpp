// dtls::Endpoint: the public face of the routing endpoint (src/frontdoor/).
#include "dtls/endpoint.hpp"

#include "frontdoor/endpoint.hpp"

namespace dtls {

Result<Endpoint> Endpoint::create(const Config& config, Instant now, EndpointLimits limits) {
    Result<Server> server = Server::create(config, now);
    if (!server) return server.error();
    return Endpoint(*server, limits);
}

Endpoint::Endpoint(const Server& front_door, EndpointLimits limits)
    : impl_(std::make_unique<frontdoor::Endpoint>(*front_door.front_door_, limits)) {}
Endpoint::Endpoint(Endpoint&&) noexcept = default;
Endpoint& Endpoint::operator=(Endpoint&&) noexcept = default;
Endpoint::~Endpoint() = default;

Endpoint::Routed Endpoint::handle_datagram(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram,
                                           Instant now) {
    return impl_->handle_datagram(peer_address, datagram, now);
}
bool Endpoint::poll_datagram(std::vector<uint8_t>& out, std::vector<uint8_t>& peer_address) {
    return impl_->poll_datagram(out, peer_address);
}
std::optional<EndpointEvent> Endpoint::poll_event() { return impl_->poll_event(); }
std::optional<Instant> Endpoint::next_timeout() const { return impl_->next_timeout(); }
void Endpoint::handle_timeout(Instant now) { impl_->handle_timeout(now); }
Status Endpoint::send(ConnectionHandle connection, std::span<const uint8_t> data, Instant now) {
    return impl_->send(connection, data, now);
}
void Endpoint::close(ConnectionHandle connection, Instant now) { impl_->close(connection, now); }
Status Endpoint::set_mtu(ConnectionHandle connection, size_t mtu) { return impl_->set_mtu(connection, mtu); }
void Endpoint::close_all(Instant now) { impl_->close_all(now); }
void Endpoint::set_trace_hook(std::function<void(ConnectionHandle)> hook) { impl_->set_trace_hook(std::move(hook)); }
const Connection* Endpoint::connection(ConnectionHandle connection) const { return impl_->connection(connection); }
std::span<const uint8_t> Endpoint::peer_address(ConnectionHandle connection) const {
    return impl_->peer_address(connection);
}
size_t Endpoint::size() const { return impl_->size(); }
bool Endpoint::confirm_address(ConnectionHandle connection) { return impl_->confirm_address(connection); }
const EndpointStats& Endpoint::stats() const { return impl_->stats(); }

}  // namespace dtls
