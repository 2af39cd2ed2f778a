// The server's front door. The application keeps its own map from peer
// address to Connection; a datagram from an address it does not know goes
// here first. The front door answers a ClientHello without a valid cookie
// with a HelloVerifyRequest and keeps no state; only a ClientHello carrying a
// valid cookie for that address creates a Connection.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "dtls/config.hpp"
#include "dtls/connection.hpp"
#include "dtls/errors.hpp"

namespace dtls {

class Server {
public:
    // Checks the configuration (a server needs a credential).
    static Result<Server> create(const Config& config, Instant now);

    enum class Outcome {
        dropped,  // not a ClientHello we answer; nothing to send
        reply,    // send `reply` back to the peer; no state was kept
        accepted, // `connection` holds the new association, with its
                  // first flight ready to poll
    };

    struct Answer {
        Outcome outcome = Outcome::dropped;
        std::optional<Connection> connection;
    };

    // `peer_address` is any stable encoding of the sender's address (for
    // example the raw sockaddr bytes); the cookie is bound to it.
    Answer handle_datagram(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram, Instant now,
                           std::vector<uint8_t>& reply);

    const Config& config() const { return *config_; }

private:
    struct Shared;
    Server(std::shared_ptr<const Config> config, std::shared_ptr<Shared> shared);
    std::shared_ptr<const Config> config_;
    std::shared_ptr<Shared> shared_;
};

}  // namespace dtls
