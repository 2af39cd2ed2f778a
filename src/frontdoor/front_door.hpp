// The server's front door: decides what a datagram from an address without a
// connection is, before any per-connection state exists. Only the first
// record is looked at, and only a ClientHello is answered: without a valid
// cookie, with a HelloVerifyRequest (DTLS 1.2) or a HelloRetryRequest (DTLS
// 1.3) and nothing kept; with one, by creating the connection. A hello in
// several datagrams is collected whole first (hello_assembly.hpp).
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "engine/connection.hpp"
#include "frontdoor/cookie_jar.hpp"
#include "frontdoor/hello_assembly.hpp"
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
    // A ClientHello the front door has whole (in one datagram or assembled
    // from several).
    struct Hello {
        std::span<const uint8_t> body;
        uint16_t message_seq = 0;
        uint64_t record_sequence = 0;                     // the highest of its records
        std::span<const std::span<const uint8_t>> datagrams;  // that carried it, for the new connection
        size_t bytes_received = 0;
    };

    Answer decide(std::span<const uint8_t> peer_address, const Hello& hello, Instant now,
                  std::vector<uint8_t>& reply) const;
    Answer handle_dtls13(std::span<const uint8_t> peer_address, const Hello& hello,
                         const messages::ClientHello& parsed, Instant now, std::vector<uint8_t>& reply) const;
    Answer accept(const Hello& hello, Instant now, std::optional<tls13::RetryContext> retry) const;
    static Answer amplification_checked(const Hello& hello, std::vector<uint8_t>& reply);

    std::shared_ptr<const ServerContext> context_;
    CookieJar jar_;
    // Shared by copies (an Endpoint holds one), like the cookie secret.
    std::shared_ptr<HelloAssembly> assembly_;
};

}  // namespace dtls::frontdoor
