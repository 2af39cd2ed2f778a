// The server's front door: decides what a datagram from an address without a
// connection is, before any per-connection state exists. Only the first
// record is looked at, and only a ClientHello (its first fragment, when the
// hello spans several datagrams) is answered: without a valid cookie, with a
// HelloVerifyRequest and nothing kept; with one, by creating the connection.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "engine/connection.hpp"
#include "frontdoor/cookie_jar.hpp"
#include "frontdoor/server_context.hpp"

namespace dtls::frontdoor {

class FrontDoor {
public:
    explicit FrontDoor(std::shared_ptr<const ServerContext> context);

    enum class Outcome {
        dropped,   // not a ClientHello we answer; nothing to send
        reply,     // send `reply` back to the peer; no state was kept
        accepted,  // `connection` holds the new association, its first flight ready to poll
    };
    struct Answer {
        Outcome outcome = Outcome::dropped;
        std::unique_ptr<engine::Connection> connection;
    };

    // `peer_address` is the sender's address as bytes; the cookie is bound
    // to it. `reply` is replaced (cleared unless the outcome is reply). Safe
    // to call from several threads at once.
    Answer handle(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram, Instant now,
                  std::vector<uint8_t>& reply) const;

    const std::shared_ptr<const ServerContext>& context() const { return context_; }

private:
    std::shared_ptr<const ServerContext> context_;
    CookieJar jar_;
};

}  // namespace dtls::frontdoor
