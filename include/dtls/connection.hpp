// One DTLS association, driven entirely by its caller.
//
// Inputs:  handle_datagram(bytes, now), handle_timeout(now), send(data, now),
//          close(now).
// Outputs: poll_datagram(out) until it returns false, poll_event() until
//          empty, next_timeout().
// After every input, drain poll_datagram() and poll_event(), then re-arm the
// timer from next_timeout(). Nothing here reads a clock or touches a socket.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "dtls/config.hpp"
#include "dtls/errors.hpp"

namespace dtls {

enum class Role { client, server };

enum class State {
    handshaking,
    established,
    closed,  // close_notify sent or received
    failed,  // fatal alert sent or received, or retransmissions exhausted
};

// What was agreed, available once the handshake is complete.
struct Negotiated {
    ProtocolVersion version = ProtocolVersion::dtls1_2;
    CipherSuite cipher_suite{};
    NamedGroup group{};
    SignatureScheme peer_signature_scheme{};  // how the peer signed its handshake
    std::string alpn;                         // empty if none was agreed
    std::string server_name;                  // SNI the client sent
    bool extended_master_secret = false;
    std::vector<Bytes> peer_chain;            // DER, leaf first; empty if none
};

struct Stats {
    uint64_t datagrams_sent = 0;
    uint64_t datagrams_received = 0;
    uint64_t bytes_sent = 0;
    uint64_t bytes_received = 0;
    uint64_t records_dropped = 0;  // malformed, unauthenticated, replayed or wrong epoch
    uint64_t retransmissions = 0;  // flights sent again
};

namespace event {
struct HandshakeComplete {};
struct ApplicationData {
    Bytes data;
};
struct Closed {};  // the peer sent close_notify
struct Failed {
    Error error;
};
// Server: a ClientHello from this connection's address that does not belong
// to it: the client restarted (same address and port), or someone forged
// one. This connection is unchanged. To let a restarted client back in (RFC
// 6347 4.2.8), hand the same datagram to Server::handle_datagram: it answers
// with a cookie, and when the client returns a valid one it creates a new
// connection, which should then replace this one.
struct NewClientHello {};
}  // namespace event

using Event =
    std::variant<event::HandshakeComplete, event::ApplicationData, event::Closed, event::Failed, event::NewClientHello>;

namespace engine {
class Connection;
}

class Connection {
public:
    // A client connection; its ClientHello is ready to poll at once. This
    // checks the configuration and loads its trust anchors on every call:
    // to open many connections, create a dtls::Client once and connect()
    // from it.
    static Result<Connection> client(const Config& config, Instant now);

    Connection(Connection&&) noexcept;
    Connection& operator=(Connection&&) noexcept;
    ~Connection();

    // One received UDP payload (which may hold several records).
    void handle_datagram(std::span<const uint8_t> datagram, Instant now);

    // Writes the next datagram to send into `out` (replacing its contents)
    // and returns true, or returns false when nothing is waiting. Every
    // datagram fits the MTU.
    bool poll_datagram(std::vector<uint8_t>& out);

    std::optional<Event> poll_event();

    // When handle_timeout should next be called; empty if no timer runs.
    std::optional<Instant> next_timeout() const;
    void handle_timeout(Instant now);

    // Queues one application data record. Fails if the handshake is not
    // complete or the payload cannot fit one datagram at the current MTU.
    Status send(std::span<const uint8_t> data, Instant now);

    // Queues a close_notify alert; the connection is closed afterwards.
    void close(Instant now);

    // DTLS 1.3: sends a KeyUpdate (RFC 9147 8), and asks the peer to update
    // its keys too when `ask_peer`. Our records move to the new epoch once
    // the peer acknowledges it; until then they use the current one.
    // `invalid_state` before the handshake completes, while a flight of ours
    // awaits its acknowledgement (the previous KeyUpdate, or the client's
    // last handshake flight), and on a DTLS 1.2 connection.
    Status update_keys(Instant now, bool ask_peer = false);

    // From min_mtu to max_mtu; applies to the next datagram produced,
    // including retransmissions of the current flight.
    Status set_mtu(size_t mtu);
    size_t mtu() const;
    // The largest payload send() accepts at the current MTU and suite, once
    // established (before that, send() accepts nothing, and this is only an
    // upper bound).
    size_t max_payload() const;

    Role role() const;
    State state() const;
    const Negotiated& negotiated() const;  // meaningful once established
    const Stats& stats() const;
    // The error that failed the connection, if it failed.
    const std::optional<Error>& error() const;

    // RFC 5705 keying material exporter (e.g. for DTLS-SRTP).
    Result<Bytes> export_keying_material(std::string_view label, std::span<const uint8_t> context,
                                         bool use_context, size_t length) const;

    // For the library: applications get connections from Client, Server
    // and Endpoint.
    explicit Connection(std::unique_ptr<engine::Connection> impl);

private:
    std::unique_ptr<engine::Connection> impl_;
};

}  // namespace dtls
