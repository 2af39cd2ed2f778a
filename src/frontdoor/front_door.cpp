#include "frontdoor/front_door.hpp"

#include "record/dtls12_header.hpp"
#include "tls12/hello_verify_request.hpp"
#include "tls13/negotiation.hpp"
#include "tls13/psk_suite.hpp"
#include "tls13/versions.hpp"
#include "transport/fragment.hpp"
#include "transport/transcript.hpp"

namespace dtls::frontdoor {

FrontDoor::FrontDoor(std::shared_ptr<const ServerContext> context)
    : context_(std::move(context)), jar_(context_->cookie_secret), assembly_(std::make_shared<HelloAssembly>()) {}

FrontDoor::Answer FrontDoor::handle(std::span<const uint8_t> peer_address, std::span<const uint8_t> datagram,
                                    Instant now, std::vector<uint8_t>& reply) const {
    reply.clear();
    // Only a ClientHello (or a fragment of one), first in an epoch 0 record
    // of a DTLS version ({254, x}: a first hello's record may say DTLS 1.0),
    // is considered; anything else from an unknown address is dropped.
    wire::Reader reader(datagram);
    record::Dtls12Header rh;
    std::span<const uint8_t> record_body;
    if (!record::read_dtls12_record(reader, rh, record_body) || rh.type != record::ContentType::handshake ||
        !record::is_dtls_version(rh.version) || rh.epoch != 0 || record_body.size() > record::kMaxPlaintextLength) {
        return {};
    }
    wire::Reader hs(record_body);
    transport::FragmentHeader fh;
    std::span<const uint8_t> fragment;
    if (!transport::read_fragment(hs, fh, fragment) || fh.type != messages::HandshakeType::client_hello) return {};

    const bool whole_in_one = fh.fragment_offset == 0 && fh.fragment_length == fh.length;
    if (!whole_in_one) {
        // A hello in fragments: its version, its cookie and the fields the
        // cookie covers are known only once it is whole.
        std::optional<HelloAssembly::Whole> whole =
            assembly_->add(peer_address, fh, fragment, rh.sequence, datagram, now);
        if (!whole) return {};
        const std::vector<std::span<const uint8_t>> carried(whole->datagrams.begin(), whole->datagrams.end());
        return decide(peer_address,
                      {whole->body, whole->message_seq, whole->record_sequence, carried, whole->bytes_received}, now,
                      reply);
    }
    const std::span<const uint8_t> carried[] = {datagram};
    return decide(peer_address, {fragment, fh.message_seq, rh.sequence, carried, datagram.size()}, now, reply);
}

FrontDoor::Answer FrontDoor::decide(std::span<const uint8_t> peer_address, const Hello& hello, Instant now,
                                    std::vector<uint8_t>& reply) const {
    const Config& config = *context_->config;
    if (config.enables(ProtocolVersion::dtls1_3)) {
        auto parsed = messages::decode_client_hello(hello.body);
        if (parsed && tls13::speaks_dtls13(config, *parsed)) return handle_dtls13(peer_address, hello, *parsed, now, reply);
    }
    messages::ClientHelloPrefix prefix;
    if (!messages::read_client_hello_prefix(hello.body, prefix)) return {};
    if (config.cookies && !jar_.check(peer_address, prefix, now)) {
        std::optional<CookieJar::Cookie> cookie = jar_.make(peer_address, prefix, now);
        if (!cookie || !tls12::write_hello_verify_request(hello.record_sequence, hello.message_seq, *cookie, reply)) {
            return {};
        }
        return amplification_checked(hello, reply);
    }
    return accept(hello, now, std::nullopt);
}

// Never answer with more than we were sent.
FrontDoor::Answer FrontDoor::amplification_checked(const Hello& hello, std::vector<uint8_t>& reply) {
    if (reply.size() > hello.bytes_received) {
        reply.clear();
        return {};
    }
    return {Outcome::reply, nullptr};
}

FrontDoor::Answer FrontDoor::accept(const Hello& hello, Instant now, std::optional<tls13::RetryContext> retry) const {
    auto connection = std::make_unique<engine::Connection>(
        Role::server, context_->settings, tls13::make_server(context_->config, context_->trust, std::move(retry),
                                                               context_->ticket_keys, context_->session_ids));
    connection->start_server(hello.message_seq, hello.record_sequence, now);
    // A refused hello (no common suite, ...) still yields a connection: it
    // holds the alert to send and reports the error like any other failure.
    for (std::span<const uint8_t> datagram : hello.datagrams) connection->handle_datagram(datagram, now);
    return {Outcome::accepted, std::move(connection)};
}

// DTLS 1.3 (RFC 9147 5.1): a hello without a cookie gets a HelloRetryRequest
// carrying one, and the server's choice of suite and group rides in it; a
// hello that returns an authentic, unexpired cookie for this address gets a
// connection. Nothing is kept and no public-key operation happens before.
FrontDoor::Answer FrontDoor::handle_dtls13(std::span<const uint8_t> peer_address, const Hello& hello,
                                           const messages::ClientHello& parsed, Instant now,
                                           std::vector<uint8_t>& reply) const {
    const Config& config = *context_->config;
    if (!config.cookies) return accept(hello, now, std::nullopt);
    if (parsed.extensions.cookie) {
        // A forged, altered or stale cookie is dropped: answering it would
        // make this door a reflector.
        auto retry = jar_.open_retry_cookie(peer_address, *parsed.extensions.cookie, now);
        if (!retry) return {};
        return accept(hello, now, std::move(retry));
    }

    // A non-empty legacy_cookie (RFC 9147 5.3: illegal_parameter) or no
    // suite or group in common: the connection that would refuse it cannot
    // exist before a cookie, so the hello goes unanswered.
    if (!parsed.cookie.empty()) return {};
    const tls13::SuiteInfo* suite = tls13::suite_for_hello(config, parsed, context_->ticket_keys.get(), now);
    std::optional<tls13::GroupChoice> group = tls13::preferred_group(config, parsed);
    if (!suite || !group) return {};
    transport::Transcript transcript(transport::Transcript::HeaderForm::tls13);
    if (!transcript.add(messages::HandshakeType::client_hello, hello.message_seq, hello.body)) return {};
    auto hello_hash = transcript.hash(suite->hash);
    if (!hello_hash) return {};
    const bool ask_for_group = group->share == nullptr;
    tls13::RetryContext context{suite->code_point, static_cast<uint16_t>(group->group), ask_for_group,
                                std::move(*hello_hash)};
    std::optional<Bytes> cookie = jar_.make_retry_cookie(peer_address, context, now);
    if (!cookie) return {};
    tls13::RetryRequest request{suite->code_point, std::nullopt, *cookie};
    if (ask_for_group) request.selected_group = context.group;
    auto retry_request = tls13::encode_hello_retry_request(request);
    // The record echoes the hello's sequence number, as a HelloVerifyRequest does.
    if (!retry_request ||
        !transport::write_plaintext_message(
            hello.record_sequence, messages::HandshakeType::server_hello, hello.message_seq,
            static_cast<uint32_t>(retry_request->size()),
            [&](wire::Writer& w) {
                w.bytes(*retry_request);
                return w.ok();
            },
            reply)) {
        return {};
    }
    return amplification_checked(hello, reply);
}

}  // namespace dtls::frontdoor
