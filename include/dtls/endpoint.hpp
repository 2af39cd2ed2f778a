/// @file
/// dtls::Endpoint: the server side of one UDP socket, and what it reports.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <variant>
#include <vector>

#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "dtls/errors.hpp"
#include "dtls/server.hpp"

namespace dtls {

namespace frontdoor {
class Endpoint;
}

/// Names a connection held by an Endpoint. Never reused by that Endpoint.
struct ConnectionHandle {
    uint64_t value = 0;  ///< the number behind the name
    /// Handles compare by value (for maps and sets).
    auto operator<=>(const ConnectionHandle&) const = default;
};

/// The events that an Endpoint reports of its own (EndpointEvent::what).
namespace endpoint_event {
/// A client returned a valid cookie: a new connection, handshaking.
/// `replaced` is set when it is a client that restarted on the address of an
/// existing connection; that connection is removed (its Removed event comes
/// just before this one).
struct Accepted {
    std::optional<ConnectionHandle> replaced;  ///< the connection it replaces, if any
};
/// The connection is over and forgotten; its handle is no longer valid. Its
/// last datagrams (an alert, a close_notify) may still be waiting to be
/// polled.
struct Removed {
    /// Why the connection was removed.
    enum class Reason {
        closed,        ///< close_notify sent or received
        failed,        ///< a fatal alert, retransmissions exhausted, or handshake_timeout passed
        idle_timeout,  ///< nothing received for EndpointLimits::idle_timeout (a close_notify was sent)
        replaced,      ///< its client restarted on the same address and returned a valid cookie
        /// the connection ID it issued (Config::connection_id_generator) is
        /// another connection's; the client's next ClientHello starts afresh
        connection_id_in_use,
    };
    Reason reason = Reason::closed;  ///< why
};
/// RFC 9146 6: a record with the connection's CID came from another
/// address, authenticated, and was newer than any before it, so the
/// connection's datagrams now go to `now_at`. Until the new address is
/// confirmed, the endpoint sends there at most three times the bytes it
/// received from there (RFC 9853's anti-amplification limit): the change
/// may be an attacker replaying a record with a forged source address. With
/// rrc negotiated (Config::return_routability_check) the endpoint confirms
/// it itself when the peer answers its path_challenge from there
/// (EndpointStats::addresses_validated); otherwise the application does,
/// with Endpoint::confirm_address.
struct AddressChanged {
    Bytes was_at;  ///< the address the connection's datagrams went to
    Bytes now_at;  ///< the address they go to from now on
};
}  // namespace endpoint_event

/// One event from Endpoint::poll_event().
struct EndpointEvent {
    ConnectionHandle connection;  ///< the connection it concerns
    /// What happened: an event of the connection itself (HandshakeComplete,
    /// ApplicationData, Closed, Failed), or one of the endpoint's. A
    /// connection's NewClientHello is handled by the endpoint, not reported.
    std::variant<Event, endpoint_event::Accepted, endpoint_event::Removed, endpoint_event::AddressChanged> what;
};

/// Counters of what an Endpoint dropped or decided on its own.
struct EndpointStats {
    /// tls12_cid records (RFC 9146) and DTLS 1.3 records with the C bit
    /// (RFC 9147 9) whose connection ID no connection of
    /// this endpoint issued, or too short to hold one: dropped unread.
    uint64_t unknown_connection_id = 0;
    /// New connections removed because the CID they issued (from
    /// Config::connection_id_generator) was already another's.
    uint64_t connection_id_collisions = 0;
    /// Peer address changes (endpoint_event::AddressChanged).
    uint64_t address_changes = 0;
    /// Datagrams to an address not yet confirmed that were not sent, since
    /// they would have exceeded three times the bytes received from it.
    uint64_t amplification_limited = 0;
    /// Moved addresses confirmed by RFC 9853's return routability check:
    /// the path_response to our path_challenge came back from there.
    uint64_t addresses_validated = 0;
};

/// Bounds an Endpoint keeps to.
struct EndpointLimits {
    /// New clients are turned away (dropped before the front door) while
    /// this many connections exist.
    size_t max_connections = 10000;
    /// A connection that receives nothing for this long is closed (a
    /// close_notify is sent); empty: never.
    std::optional<Duration> idle_timeout;
};

/// The server side of one UDP socket: every datagram the socket receives goes
/// in with its sender's address, and every datagram to send comes out with
/// its destination. The endpoint routes each datagram to the connection it
/// belongs to, answers new clients statelessly through its front door (a
/// cookie first, no state kept), creates a connection when a valid cookie
/// comes back, lets a client that restarted on the same address back in
/// (RFC 6347 4.2.8), and forgets connections that are over. With
/// Config::connection_id_length of 1 or more, records that carry a
/// connection ID (RFC 9146, DTLS 1.2) are routed by it instead of by
/// address, and a connection follows its client to a new address (see
/// endpoint_event::AddressChanged and docs/connection-id.md).
///
/// Inputs:  handle_datagram(peer, bytes, now), handle_timeout(now),
///          send(connection, data, now), close(connection, now).
/// Outputs: poll_datagram(out, peer) until it returns false, poll_event()
///          until empty, next_timeout().
/// After every input, drain poll_datagram() and poll_event(), then re-arm the
/// timer from next_timeout(). Nothing here reads a clock or touches a socket
/// (except that OpenSSL checks certificate dates against the system time).
///
/// Threads: one Endpoint is driven by one thread at a time. To use several
/// threads (one socket each, for example with SO_REUSEPORT), give each its
/// own Endpoint made from the same Server: they share what the Server holds
/// (the configuration, the trust anchors and their certificate cache, the
/// cookie secret, so any of them accepts a cookie another issued), and the
/// Config's callbacks are then called from those threads (see config.hpp).
/// Connections are not shared: each belongs to the endpoint that accepted it.
class Endpoint {
public:
    /// A new front door for `config` (a server needs a credential).
    static Result<Endpoint> create(const Config& config, Instant now, EndpointLimits limits = {});
    /// An endpoint behind `front_door`, sharing its cookie secret.
    explicit Endpoint(const Server& front_door, EndpointLimits limits = {});

    /// Movable, not copyable.
    ///@{
    Endpoint(Endpoint&&) noexcept;
    Endpoint& operator=(Endpoint&&) noexcept;
    ///@}
    ~Endpoint();

    /// What became of a datagram.
    enum class Route {
        connection,       ///< handed to an existing connection
        accepted,         ///< a valid cookie: a new connection
        stateless_reply,  ///< answered by the front door (a cookie); no state kept
        dropped,          ///< not a ClientHello the front door answers
        refused,          ///< a new client while max_connections exist
    };
    /// What handle_datagram did with a datagram.
    struct Routed {
        Route route = Route::dropped;                ///< where it went
        std::optional<ConnectionHandle> connection;  ///< for connection and accepted
    };

    /// `peer_address` is any stable encoding of the sender's address (for
    /// example the raw sockaddr bytes); the cookie is bound to it, and
    /// poll_datagram() gives it back as the destination.
    Routed handle_datagram(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram, Instant now);

    /// Writes the next datagram to send into `out` and its destination into
    /// `peer_address` (both replaced), or returns false when nothing waits.
    bool poll_datagram(std::vector<uint8_t>& out, std::vector<uint8_t>& peer_address);

    /// The next event, or empty when none is waiting.
    std::optional<EndpointEvent> poll_event();

    /// The earliest timer of any connection (retransmission, handshake
    /// deadline, idle timeout); empty if none runs.
    std::optional<Instant> next_timeout() const;
    /// Runs every timer (retransmission, handshake deadline, idle timeout)
    /// that has run out at `now`.
    void handle_timeout(Instant now);

    /// Application data, closing and the MTU, by handle. An unknown handle is
    /// ErrorCode::invalid_argument (close ignores it).
    ///@{
    Status send(ConnectionHandle connection, std::span<const uint8_t> data, Instant now);
    void close(ConnectionHandle connection, Instant now);
    Status set_mtu(ConnectionHandle connection, size_t mtu);
    ///@}
    /// close_notify to every connection (for shutting down).
    void close_all(Instant now);

    /// Tracing: `hook` gets a connection's handle just before the endpoint
    /// drives that connection (a datagram routed to it, a timer, send,
    /// close), so that lines from Config::trace can be labelled with their
    /// connection. A new client's first datagrams are handled before it has a
    /// handle; the application knows its address from handle_datagram.
    void set_trace_hook(std::function<void(ConnectionHandle)> hook);

    /// The connection behind a handle, for its state, negotiated parameters,
    /// statistics and exporter; null once it is removed. Everything that
    /// sends goes through the endpoint, which is why this is read-only.
    const Connection* connection(ConnectionHandle connection) const;
    /// The address a connection's datagrams go to (empty for an unknown handle).
    std::span<const uint8_t> peer_address(ConnectionHandle connection) const;
    /// The application has checked that the peer receives at the address it
    /// moved to (endpoint_event::AddressChanged), for example by an exchange
    /// of its own protocol: the limit of three times the bytes received
    /// from there no longer applies, and a return routability check under
    /// way for it stops. False for an unknown handle or one whose address
    /// is not awaiting confirmation.
    bool confirm_address(ConnectionHandle connection);
    /// What the endpoint dropped or decided on its own so far.
    const EndpointStats& stats() const;
    /// How many connections the endpoint holds.
    size_t size() const;

private:
    std::unique_ptr<frontdoor::Endpoint> impl_;
};

}  // namespace dtls
