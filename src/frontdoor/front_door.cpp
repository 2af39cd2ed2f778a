#include "frontdoor/front_door.hpp"

#include "record/dtls12_header.hpp"
#include "tls12/handshake.hpp"
#include "tls12/hello_verify_request.hpp"
#include "transport/fragment.hpp"

namespace dtls::frontdoor {

FrontDoor::FrontDoor(std::shared_ptr<const ServerContext> context)
    : context_(std::move(context)), jar_(context_->cookie_secret) {}

FrontDoor::Answer FrontDoor::handle(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram,
                                    Instant now, std::vector<uint8_t>& reply) const {
    reply.clear();
    // Only the first fragment of a ClientHello, first in an epoch 0 record,
    // is considered; anything else from an unknown address is dropped. A
    // hello too large for one datagram arrives in fragments: the cookie is
    // in the first one, and the new connection reassembles the rest.
    wire::Reader reader(datagram);
    record::Dtls12Header rh;
    std::span<const uint8_t> record_body;
    if (!record::read_dtls12_record(reader, rh, record_body) || rh.type != record::ContentType::handshake ||
        rh.epoch != 0 || record_body.size() > record::kMaxPlaintextLength) {
        return {};
    }
    wire::Reader hs(record_body);
    transport::FragmentHeader fh;
    std::span<const uint8_t> fragment;
    messages::ClientHelloPrefix hello;
    if (!transport::read_fragment(hs, fh, fragment) || fh.type != messages::HandshakeType::client_hello ||
        fh.fragment_offset != 0 || !messages::read_client_hello_prefix(fragment, hello)) {
        return {};
    }

    const Config& config = *context_->config;
    if (config.cookies && !jar_.check(peer_address, hello, now)) {
        std::optional<CookieJar::Cookie> cookie = jar_.make(peer_address, hello, now);
        if (!cookie || !tls12::write_hello_verify_request(rh.sequence, fh.message_seq, *cookie, reply)) return {};
        // Never answer with more than we were sent (amplification).
        if (reply.size() > datagram.size()) {
            reply.clear();
            return {};
        }
        return {Outcome::reply, nullptr};
    }

    auto connection = std::make_unique<engine::Connection>(Role::server, context_->settings,
                                                           tls12::make_server(context_->config, context_->trust));
    connection->start_server(fh.message_seq, rh.sequence, now);
    // A refused hello (no common suite, ...) still yields a connection: it
    // holds the alert to send and reports the error like any other failure.
    connection->handle_datagram(datagram, now);
    return {Outcome::accepted, std::move(connection)};
}

}  // namespace dtls::frontdoor
