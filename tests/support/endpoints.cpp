// Adapters for our engine's client and server (the libssl one is in
// openssl_endpoint.cpp).
#include <type_traits>
#include <utility>

#include "support/endpoints.hpp"

namespace dtls::test {
namespace {

// Moves every pending event of `connection` into `record`.
void record_events(Connection& connection, ConnectionRecord& record) {
    // An input yields a bounded number of events; the bound guards the test.
    for (int i = 0; i < 100000; ++i) {
        std::optional<Event> event = connection.poll_event();
        if (!event) return;
        std::visit(
            [&record](auto& e) {
                using E = std::decay_t<decltype(e)>;
                if constexpr (std::is_same_v<E, event::HandshakeComplete>)
                    record.handshake_complete = true;
                else if constexpr (std::is_same_v<E, event::ApplicationData>)
                    record.received.push_back(std::move(e.data));
                else if constexpr (std::is_same_v<E, event::Closed>)
                    record.peer_closed = true;
                else if constexpr (std::is_same_v<E, event::Failed>)
                    record.failure = std::move(e.error);
            },
            *event);
    }
}

Status not_connected() { return Error{ErrorCode::invalid_state, std::nullopt, "no connection"}; }

}  // namespace

// ---- ClientEndpoint ----

ClientEndpoint::ClientEndpoint(const Config& config, Instant now) {
    Result<Connection> made = Connection::client(config, now);
    if (made)
        connection_.emplace(std::move(*made));
    else
        record_.failure = made.error();
}

void ClientEndpoint::drain_events() {
    if (connection_) record_events(*connection_, record_);
}

void ClientEndpoint::receive(std::span<const uint8_t> datagram, Instant now) {
    if (!connection_) return;
    connection_->handle_datagram(datagram, now);
    drain_events();
}

bool ClientEndpoint::poll_datagram(std::vector<uint8_t>& out) {
    return connection_ && connection_->poll_datagram(out);
}

std::optional<Instant> ClientEndpoint::next_timeout() const {
    return connection_ ? connection_->next_timeout() : std::nullopt;
}

void ClientEndpoint::handle_timeout(Instant now) {
    if (!connection_) return;
    connection_->handle_timeout(now);
    drain_events();
}

bool ClientEndpoint::done() const { return !connection_ || connection_->state() != State::handshaking; }

Status ClientEndpoint::send(std::span<const uint8_t> data, Instant now) {
    if (!connection_) return not_connected();
    Status sent = connection_->send(data, now);
    drain_events();
    return sent;
}

void ClientEndpoint::close(Instant now) {
    if (!connection_) return;
    connection_->close(now);
    drain_events();
}

// ---- ServerEndpoint ----

ServerEndpoint::ServerEndpoint(const Config& config, Instant now) {
    Result<Server> made = Server::create(config, now);
    if (made)
        server_.emplace(std::move(*made));
    else
        record_.failure = made.error();
}

void ServerEndpoint::drain_events() {
    if (connection_) record_events(*connection_, record_);
}

void ServerEndpoint::receive(std::span<const uint8_t> datagram, Instant now) {
    if (connection_) {
        connection_->handle_datagram(datagram, now);
        drain_events();
        return;
    }
    if (!server_) return;
    std::vector<uint8_t> reply;
    Server::Answer answer = server_->handle_datagram(peer_address, datagram, now, reply);
    switch (answer.outcome) {
    case Server::Outcome::dropped:
        ++front_door_drops_;
        break;
    case Server::Outcome::reply:
        ++front_door_replies_;
        if (replies_.size() < 1024) replies_.push_back(std::move(reply));
        break;
    case Server::Outcome::accepted:
        if (answer.connection) connection_.emplace(std::move(*answer.connection));
        drain_events();
        break;
    }
}

bool ServerEndpoint::poll_datagram(std::vector<uint8_t>& out) {
    if (!replies_.empty()) {
        out = std::move(replies_.front());
        replies_.erase(replies_.begin());
        return true;
    }
    return connection_ && connection_->poll_datagram(out);
}

std::optional<Instant> ServerEndpoint::next_timeout() const {
    return connection_ ? connection_->next_timeout() : std::nullopt;
}

void ServerEndpoint::handle_timeout(Instant now) {
    if (!connection_) return;
    connection_->handle_timeout(now);
    drain_events();
}

bool ServerEndpoint::done() const {
    if (!server_) return true;  // could not be created: nothing will ever happen
    return connection_ && connection_->state() != State::handshaking;
}

Status ServerEndpoint::send(std::span<const uint8_t> data, Instant now) {
    if (!connection_) return not_connected();
    Status sent = connection_->send(data, now);
    drain_events();
    return sent;
}

void ServerEndpoint::close(Instant now) {
    if (!connection_) return;
    connection_->close(now);
    drain_events();
}

}  // namespace dtls::test
