// dtls::Connection, the public handle: each call goes straight to the
// engine. (Connection::client, which needs the configuration checks, is in
// src/api/.)
#include "dtls/connection.hpp"

#include "engine/connection.hpp"

namespace dtls {

Connection::Connection(std::unique_ptr<engine::Connection> impl) : impl_(std::move(impl)) {}
Connection::Connection(Connection&&) noexcept = default;
Connection& Connection::operator=(Connection&&) noexcept = default;
Connection::~Connection() = default;

void Connection::handle_datagram(std::span<const uint8_t> datagram, Instant now) { impl_->handle_datagram(datagram, now); }
bool Connection::poll_datagram(std::vector<uint8_t>& out) { return impl_->poll_datagram(out); }
std::optional<Event> Connection::poll_event() { return impl_->poll_event(); }
std::optional<Instant> Connection::next_timeout() const { return impl_->next_timeout(); }
void Connection::handle_timeout(Instant now) { impl_->handle_timeout(now); }
Status Connection::send(std::span<const uint8_t> data, Instant now) { return impl_->send(data, now); }
void Connection::close(Instant now) { impl_->close(now); }
Status Connection::set_mtu(size_t mtu) { return impl_->set_mtu(mtu); }
Status Connection::update_keys(Instant now, bool ask_peer) { return impl_->update_keys(now, ask_peer); }
Status Connection::use_spare_connection_id() { return impl_->use_spare_connection_id(); }
size_t Connection::mtu() const { return impl_->mtu(); }
size_t Connection::max_payload() const { return impl_->max_payload(); }
Role Connection::role() const { return impl_->role(); }
State Connection::state() const { return impl_->state(); }
const Negotiated& Connection::negotiated() const { return impl_->negotiated(); }
const Stats& Connection::stats() const { return impl_->stats(); }
const std::optional<Error>& Connection::error() const { return impl_->error(); }

Result<Bytes> Connection::export_keying_material(std::string_view label, std::span<const uint8_t> context,
                                                 bool use_context, size_t length) const {
    return impl_->export_keying_material(label, context, use_context, length);
}

}  // namespace dtls
