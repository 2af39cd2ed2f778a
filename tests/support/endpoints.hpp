// LinkPeer adapters for the impaired link: libssl's peer (openssl_endpoint.cpp,
// needs only libssl) and our engine's client and server (endpoints.cpp, needs
// the engine). Each records the application data it received so a test can
// check it, and can send data and close.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "dtls/server.hpp"
#include "support/impaired_link.hpp"
#include "support/openssl_peer.hpp"

namespace dtls::test {

// libssl, through OpenSslPeer.
class OpenSslEndpoint : public LinkPeer {
public:
    explicit OpenSslEndpoint(const OpenSslPeerOptions& options, Instant now = Instant{});

    void receive(std::span<const uint8_t> datagram, Instant now) override;
    bool poll_datagram(std::vector<uint8_t>& out) override;
    std::optional<Instant> next_timeout() const override;
    void handle_timeout(Instant now) override;
    bool done() const override;  // handshake complete or failed

    // Sends one record at `now`; false if libssl refused it.
    bool send(std::span<const uint8_t> data, Instant now);
    void close(Instant now);

    OpenSslPeer& peer() { return peer_; }
    const OpenSslPeer& peer() const { return peer_; }
    // Every application data record received so far, in order.
    const std::vector<std::vector<uint8_t>>& received() const { return received_; }

private:
    void collect_received();

    OpenSslPeer peer_;
    std::vector<std::vector<uint8_t>> received_;
};

// What an adapter of ours saw of its connection's events.
struct ConnectionRecord {
    bool handshake_complete = false;  // HandshakeComplete event seen
    bool peer_closed = false;         // Closed event seen
    std::optional<Error> failure;     // Failed event, or the reason the connection could not be made
    std::vector<Bytes> received;      // ApplicationData events, in order
};

// Our client: dtls::Connection::client.
class ClientEndpoint : public LinkPeer {
public:
    ClientEndpoint(const Config& config, Instant now);

    void receive(std::span<const uint8_t> datagram, Instant now) override;
    bool poll_datagram(std::vector<uint8_t>& out) override;
    std::optional<Instant> next_timeout() const override;
    void handle_timeout(Instant now) override;
    bool done() const override;  // not handshaking any more (or never created)

    Status send(std::span<const uint8_t> data, Instant now);
    void close(Instant now);

    // Empty if Connection::client failed (record().failure says why).
    std::optional<Connection>& connection() { return connection_; }
    const ConnectionRecord& record() const { return record_; }
    const std::vector<Bytes>& received() const { return record_.received; }

private:
    void drain_events();

    std::optional<Connection> connection_;
    ConnectionRecord record_;
};

// Our server for a single peer: datagrams go to the dtls::Server front door
// until it accepts, then to the Connection it handed out.
class ServerEndpoint : public LinkPeer {
public:
    ServerEndpoint(const Config& config, Instant now);

    void receive(std::span<const uint8_t> datagram, Instant now) override;
    bool poll_datagram(std::vector<uint8_t>& out) override;  // front-door replies first
    std::optional<Instant> next_timeout() const override;
    void handle_timeout(Instant now) override;
    bool done() const override;  // the accepted connection is not handshaking any more

    Status send(std::span<const uint8_t> data, Instant now);
    void close(Instant now);

    // Empty until the front door accepted the peer.
    std::optional<Connection>& connection() { return connection_; }
    const ConnectionRecord& record() const { return record_; }
    const std::vector<Bytes>& received() const { return record_.received; }
    unsigned front_door_replies() const { return front_door_replies_; }  // HelloVerifyRequests sent
    unsigned front_door_drops() const { return front_door_drops_; }

    // The address bytes this adapter presents as the peer's.
    static constexpr uint8_t peer_address[6] = {127, 0, 0, 1, 0x11, 0x5c};

private:
    void drain_events();

    std::optional<Server> server_;
    std::optional<Connection> connection_;
    std::vector<Bytes> replies_;  // front-door answers not yet polled
    ConnectionRecord record_;
    unsigned front_door_replies_ = 0;
    unsigned front_door_drops_ = 0;
};

}  // namespace dtls::test
