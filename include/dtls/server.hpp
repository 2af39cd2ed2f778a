/// @file
/// dtls::Server: the server's front door.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "dtls/errors.hpp"

namespace dtls {

namespace frontdoor {
class FrontDoor;
}

/// The server's front door. The front door answers a ClientHello without a
/// valid cookie with a HelloVerifyRequest (DTLS 1.2) or a HelloRetryRequest
/// carrying the cookie (DTLS 1.3) and keeps no state for it; only a
/// ClientHello carrying a valid cookie for that address creates a Connection.
/// (With DTLS 1.3 enabled, a ClientHello that arrives in several datagrams is
/// first collected whole, in a small bounded buffer shared by the copies of
/// this Server: docs/behaviour.md.)
/// An application that routes datagrams itself keeps a map from peer address
/// to Connection and sends datagrams from unknown addresses here;
/// dtls::Endpoint (endpoint.hpp) does that routing for it.
///
/// Threads: handle_datagram may be called from several threads at once, on
/// one Server or on copies of it. Copies share everything: the configuration,
/// the trust anchors and the cookie secret, so each accepts cookies the
/// others issued. The Config's callbacks are then called from those threads
/// (see config.hpp).
class Server {
public:
    /// Checks the configuration (a server needs a credential).
    static Result<Server> create(const Config& config, Instant now);

    /// What handle_datagram did with a datagram.
    enum class Outcome {
        dropped,  ///< not a ClientHello we answer; nothing to send
        reply,    ///< send `reply` back to the peer; no state was kept
        accepted, ///< `connection` holds the new association, with its
                  ///< first flight ready to poll (for a hello it refuses:
                  ///< its alert, and a Failed event)
    };

    /// handle_datagram's answer.
    struct Answer {
        Outcome outcome = Outcome::dropped;    ///< what became of the datagram
        std::optional<Connection> connection;  ///< set when `outcome` is accepted
    };

    /// `peer_address` is any stable encoding of the sender's address (for
    /// example the raw sockaddr bytes); the cookie is bound to it.
    Answer handle_datagram(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram, Instant now,
                           std::vector<uint8_t>& reply);

    /// The Server's copy of the configuration.
    const Config& config() const;

    /// Copies share everything with the original (see the class); moves transfer it.
    ///@{
    Server(const Server&);
    Server& operator=(const Server&);
    Server(Server&&) noexcept;
    Server& operator=(Server&&) noexcept;
    ///@}
    ~Server();

private:
    friend class Endpoint;
    explicit Server(std::shared_ptr<const frontdoor::FrontDoor> front_door);
    std::shared_ptr<const frontdoor::FrontDoor> front_door_;
};

}  // namespace dtls
