// The server front door: decides what a datagram from an unknown address is
// before any per-connection state exists.
#include "dtls/server.hpp"

#include "api/config_check.hpp"
#include "handshake/fragment.hpp"
#include "record/record_header.hpp"
#include "tls12/connection_impl.hpp"
#include "tls12/cookie.hpp"

namespace dtls {

// What the front door and the connections it creates share: the cookie
// secrets and the store that checks client certificates.
struct Server::Shared {
    Shared(Duration lifetime, Instant now) : jar(lifetime, now) {}
    tls12::CookieJar jar;
    std::shared_ptr<const crypto::TrustStore> trust;
};

Server::Server(std::shared_ptr<const Config> config, std::shared_ptr<Shared> shared)
    : config_(std::move(config)), shared_(std::move(shared)) {}

Result<Server> Server::create(const Config& config, Instant now) {
    if (Status s = check_config(config, Role::server); !s) return s.error();
    auto shared = std::make_shared<Shared>(config.cookie_secret_lifetime, now);
    if (config.client_auth != ClientAuth::none && has_trust_anchors(config)) {
        auto store = crypto::TrustStore::create(config);
        if (!store) return store.error();
        shared->trust = *store;
    }
    return Server(std::make_shared<const Config>(config), std::move(shared));
}

namespace {

// A HelloVerifyRequest in one plaintext record, echoing the ClientHello's
// record and message sequence numbers (RFC 6347 4.2.1). Written straight into
// `out`, whose capacity the caller reuses: answering allocates nothing.
void write_hello_verify_request(const record::RecordHeader& hello_record, uint16_t message_seq,
                                std::span<const uint8_t> cookie, std::vector<uint8_t>& out) {
    const auto body_length = static_cast<uint32_t>(2 + 1 + cookie.size());
    wire::Writer w(out);
    record::write_record_header({record::ContentType::handshake, record::kVersionDtls12, 0, hello_record.sequence,
                                 static_cast<uint16_t>(handshake::kHandshakeHeaderLength + body_length)},
                                w);
    handshake::write_fragment_header(
        {handshake::HandshakeType::hello_verify_request, body_length, message_seq, 0, body_length}, w);
    handshake::encode_hello_verify_request(handshake::kDtls10, cookie, w);
}

}  // namespace

Server::Answer Server::handle_datagram(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram,
                                       Instant now, std::vector<uint8_t>& reply) {
    reply.clear();
    // Only the first fragment of a ClientHello, first in an epoch 0 record,
    // is considered; anything else from an unknown address is dropped. A
    // hello too large for one datagram arrives in fragments: the cookie is
    // in the first one, and the new connection reassembles the rest.
    wire::Reader reader(datagram);
    record::RecordHeader rh;
    std::span<const uint8_t> record_body;
    if (!record::read_record(reader, rh, record_body) || rh.type != record::ContentType::handshake || rh.epoch != 0) {
        return {};
    }
    wire::Reader hs(record_body);
    handshake::FragmentHeader fh;
    std::span<const uint8_t> fragment;
    handshake::ClientHelloPrefix hello;
    if (!handshake::read_fragment(hs, fh, fragment) || fh.type != handshake::HandshakeType::client_hello ||
        fh.fragment_offset != 0 || !handshake::read_client_hello_prefix(fragment, hello)) {
        return {};
    }

    if (config_->cookies && !shared_->jar.check(peer_address, hello, now)) {
        const tls12::CookieJar::Cookie cookie = shared_->jar.make(peer_address, hello, now);
        write_hello_verify_request(rh, fh.message_seq, cookie, reply);
        // Never answer with more than we were sent (amplification).
        if (reply.size() > datagram.size()) {
            reply.clear();
            return {};
        }
        return {Outcome::reply, std::nullopt};
    }

    auto impl = std::make_unique<ConnectionImpl>(Role::server, config_, shared_->trust);
    impl->start_server(fh.message_seq, rh.sequence, now);
    // A refused hello (no common suite, ...) still yields a connection: it
    // holds the alert to send and reports the error like any other failure.
    impl->handle_datagram(datagram, now);
    return {Outcome::accepted, Connection(std::move(impl))};
}

}  // namespace dtls
