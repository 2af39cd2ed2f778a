// DTLS 1.3 handshake and post-handshake messages that are wrong in their
// content, sealed with the real keys (tests/evil/dtls13_evil_peer.hpp) so
// the side under test takes them for its peer's, and what it must answer
// under RFC 8446. Each `// conformance:` line names the requirements of
// docs/conformance.md that the test below it checks.
#include <gtest/gtest.h>

#include <algorithm>

#include "evil/dtls13_evil_peer.hpp"
#include "messages/tls13_messages.hpp"

namespace dtls::test {
namespace {

using messages::HandshakeType;

// The side `d` leads to failed with `alert`, which it sent.
void expect_alert_sent(Dtls13EvilPeer& e, Direction d, Alert alert) {
    Connection& c = e.target(d);
    ASSERT_EQ(c.state(), State::failed) << e.m.describe();
    ASSERT_TRUE(c.error());
    EXPECT_EQ(c.error()->code, ErrorCode::alert_sent) << c.error()->to_string();
    EXPECT_EQ(c.error()->alert, alert) << c.error()->to_string();
}

// Replaces the next genuine message toward `d`, which must be of `type`,
// with the same message carrying `body` instead.
void replace_next(Dtls13EvilPeer& e, Direction d, HandshakeType type, const Bytes& body) {
    ASSERT_TRUE(e.advance_to(d, type));
    const Unit13& genuine = e.queue(d).front();
    e.deliver(d, e.message(d, genuine.epoch, type, genuine.message_seq, body));
}

// conformance: RFC8446-4.4.4-1
TEST(ConformanceEvil13, AWrongFinishedIsDecryptErrorOnBothSides) {
    for (Direction d : {Direction::to_client, Direction::to_server}) {
        SCOPED_TRACE(d == Direction::to_client ? "the server's Finished" : "the client's Finished");
        Dtls13EvilPeer e;
        ASSERT_TRUE(e.start());
        replace_next(e, d, HandshakeType::finished, Bytes(32, 0x5A));
        expect_alert_sent(e, d, Alert::decrypt_error);
    }
}

// conformance: RFC8446-4.4.3-9 RFC8446-4.4.3-10
TEST(ConformanceEvil13, ACertificateVerifyThatDoesNotVerifyIsDecryptErrorOnBothSides) {
    for (Direction d : {Direction::to_client, Direction::to_server}) {
        SCOPED_TRACE(d == Direction::to_client ? "the server's CertificateVerify" : "the client's CertificateVerify");
        Dtls13EvilPeer e;
        ASSERT_TRUE(e.start());
        ASSERT_TRUE(e.advance_to(d, HandshakeType::certificate_verify));
        Bytes body = e.queue(d).front().body;
        ASSERT_GT(body.size(), 8u);
        body.back() ^= 0x01;  // the signature's last byte
        replace_next(e, d, HandshakeType::certificate_verify, body);
        expect_alert_sent(e, d, Alert::decrypt_error);
    }
}

// conformance: RFC8446-4.4.2.4-1
TEST(ConformanceEvil13, AnEmptyServerCertificateIsDecodeError) {
    Dtls13EvilPeer e;
    ASSERT_TRUE(e.start());
    // certificate_request_context <0>, certificate_list <0>
    replace_next(e, Direction::to_client, HandshakeType::certificate, Bytes{0, 0, 0, 0});
    expect_alert_sent(e, Direction::to_client, Alert::decode_error);
}

// conformance: RFC8446-6-6
TEST(ConformanceEvil13, AMessageWhoseLengthRunsPastItsEndIsDecodeError) {
    Dtls13EvilPeer e;
    ASSERT_TRUE(e.start());
    // An extensions block claiming 5 bytes, with none after it.
    replace_next(e, Direction::to_client, HandshakeType::encrypted_extensions, Bytes{0x00, 0x05});
    expect_alert_sent(e, Direction::to_client, Alert::decode_error);
}

// conformance: RFC8446-4.6.3-4 RFC8446-6-7 RFC8446-6-3
TEST(ConformanceEvil13, AKeyUpdateWithAnUnknownRequestValueIsIllegalParameter) {
    for (Direction d : {Direction::to_client, Direction::to_server}) {
        Dtls13EvilPeer e;
        ASSERT_TRUE(e.start());
        ASSERT_TRUE(e.advance_to(d, std::nullopt));
        ASSERT_TRUE(e.m.established()) << e.m.describe();
        e.deliver(d, e.message(d, kEpochApplication, HandshakeType::key_update, e.next_message_seq(d), Bytes{2}));
        expect_alert_sent(e, d, Alert::illegal_parameter);
        // The failed connection's keys are gone: nothing can be exported from them.
        EXPECT_FALSE(e.target(d).export_keying_material("EXPORTER-test", {}, false, 32));
    }
}

// conformance: RFC8446-4.6.1-7 RFC8446-9.3-5
TEST(ConformanceEvil13, ANewSessionTicketWithAnUnknownExtensionIsTaken) {
    Dtls13EvilPeer e;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, std::nullopt));
    ASSERT_TRUE(e.m.established()) << e.m.describe();
    const size_t emitted = e.emitted(Direction::to_client).size();
    // lifetime, age_add, nonce <1>, ticket <32>, extensions: one of type 0x7A7A with 2 bytes
    Bytes body = {0, 0, 0x0E, 0x10, 1, 2, 3, 4, 1, 0, 0, 32};
    body.insert(body.end(), 32, 0x7E);
    body.insert(body.end(), {0, 6, 0x7A, 0x7A, 0, 2, 0xAB, 0xCD});
    e.deliver(Direction::to_client,
              e.message(Direction::to_client, kEpochApplication, HandshakeType::new_session_ticket,
                        e.next_message_seq(Direction::to_client), body));
    EXPECT_EQ(e.m.client->state(), State::established) << e.m.describe();
    EXPECT_TRUE(e.sent_by_target(Direction::to_client, emitted, record::ContentType::alert).empty());
    EXPECT_EQ(e.sent_by_target(Direction::to_client, emitted, record::ContentType::ack).size(), 1u);
    EXPECT_TRUE(e.carries_data("after the ticket"));
}

// conformance: RFC8446-4.6.3-5
TEST(ConformanceEvil13, AKeyUpdateThatAsksForOneIsAnsweredWithOneThatDoesNot) {
    for (Direction d : {Direction::to_client, Direction::to_server}) {
        Dtls13EvilPeer e;
        ASSERT_TRUE(e.start());
        ASSERT_TRUE(e.advance_to(d, std::nullopt));
        ASSERT_TRUE(e.m.established()) << e.m.describe();
        const size_t emitted = e.emitted(d).size();
        e.deliver(d, e.message(d, kEpochApplication, HandshakeType::key_update, e.next_message_seq(d), Bytes{1}));
        ASSERT_EQ(e.target(d).state(), State::established) << e.m.describe();
        std::vector<Unit13> answers;
        for (const Unit13& u : e.sent_by_target(d, emitted, record::ContentType::handshake)) {
            if (u.message == HandshakeType::key_update) answers.push_back(u);
        }
        ASSERT_EQ(answers.size(), 1u) << "the side asked for an update sent no KeyUpdate of its own";
        EXPECT_EQ(answers[0].epoch, kEpochApplication) << "sent with its current keys";
        EXPECT_EQ(answers[0].body, Bytes{0}) << "update_not_requested";
    }
}

// The messages of a genuine DTLS 1.3 handshake with client certificates,
// opened with the real keys.
// conformance: RFC8446-4.3.2-2 RFC8446-4.3.2-3 RFC8446-4.4.2-5 RFC8446-4.4.2-6 RFC8446-4.4.2-7 RFC8446-4.4.2-9
// conformance: RFC8446-4.4.2-14 RFC8446-4.4.3-4 RFC8446-4.4.3-5 RFC8446-4.4.3-6 RFC8446-4.2.6-2
TEST(ConformanceEvil13, TheAuthenticationMessagesCarryWhatTheRfcAsks) {
    Dtls13EvilPeer e;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, std::nullopt));
    ASSERT_TRUE(e.m.established()) << e.m.describe();
    auto server = e.messages_sent_by(Role::server);
    auto client = e.messages_sent_by(Role::client);

    auto ch = messages::decode_client_hello(client[HandshakeType::client_hello]);
    ASSERT_TRUE(ch && ch->extensions.signature_algorithms);
    auto ee = messages::decode_encrypted_extensions(server[HandshakeType::encrypted_extensions]);
    ASSERT_TRUE(ee);
    EXPECT_TRUE(ee->extensions.unknown.empty()) << "post_handshake_auth or another extension no one asked for";

    auto request = messages::decode_certificate_request13(server[HandshakeType::certificate_request]);
    ASSERT_TRUE(request && request->extensions.signature_algorithms);
    EXPECT_TRUE(request->request_context.empty()) << "the context is empty in the main handshake";

    auto server_chain = messages::decode_certificate13(server[HandshakeType::certificate]);
    ASSERT_TRUE(server_chain);
    EXPECT_TRUE(server_chain->request_context.empty());
    ASSERT_FALSE(server_chain->entries.empty());
    ASSERT_FALSE(e.m.client->negotiated().peer_chain.empty());
    EXPECT_EQ(server_chain->entries[0].cert_data, e.m.client->negotiated().peer_chain[0]) << "the leaf comes first";
    for (const auto& entry : server_chain->entries) {
        // We sent no status_request or signed_certificate_timestamp: no extension may answer one.
        EXPECT_TRUE(entry.extensions.unknown.empty());
    }

    auto client_chain = messages::decode_certificate13(client[HandshakeType::certificate]);
    ASSERT_TRUE(client_chain);
    EXPECT_EQ(client_chain->request_context, request->request_context);
    ASSERT_FALSE(client_chain->entries.empty());
    for (const auto& entry : client_chain->entries) EXPECT_TRUE(entry.extensions.unknown.empty());

    auto server_verify = messages::decode_certificate_verify(server[HandshakeType::certificate_verify]);
    ASSERT_TRUE(server_verify);
    const auto& offered = *ch->extensions.signature_algorithms;
    EXPECT_NE(std::find(offered.begin(), offered.end(), server_verify->signature_scheme), offered.end());
    // The client verified it with the certificate's key: the scheme fits that key.
    EXPECT_EQ(static_cast<uint16_t>(e.m.client->negotiated().peer_signature_scheme), server_verify->signature_scheme);

    auto client_verify = messages::decode_certificate_verify(client[HandshakeType::certificate_verify]);
    ASSERT_TRUE(client_verify);
    const auto& asked = *request->extensions.signature_algorithms;
    EXPECT_NE(std::find(asked.begin(), asked.end(), client_verify->signature_scheme), asked.end());
}

// conformance: RFC8446-4.3.2-6
TEST(ConformanceEvil13, ACertificateRequestWithAnUnknownExtensionIsTaken) {
    Dtls13EvilPeer e;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, HandshakeType::certificate_request));
    Bytes body = e.queue(Direction::to_client).front().body;
    ASSERT_GE(body.size(), 3u);
    ASSERT_EQ(body[0], 0) << "an empty context, then the extensions";
    const size_t length = (size_t{body[1]} << 8 | body[2]) + 6;
    body[1] = static_cast<uint8_t>(length >> 8);
    body[2] = static_cast<uint8_t>(length);
    body.insert(body.end(), {0x7A, 0x7A, 0x00, 0x02, 0xAB, 0xCD});
    const size_t emitted = e.emitted(Direction::to_client).size();
    replace_next(e, Direction::to_client, HandshakeType::certificate_request, body);
    // The genuine request is now an old message; the Certificate follows
    // and is taken. (The CertificateVerify, signed over the genuine
    // request, would then fail: the transcripts differ.)
    e.queue(Direction::to_client).pop_front();
    ASSERT_TRUE(e.advance_to(Direction::to_client, HandshakeType::certificate));
    e.deliver_next(Direction::to_client);
    EXPECT_EQ(e.m.client->state(), State::handshaking) << e.m.describe();
    EXPECT_TRUE(e.sent_by_target(Direction::to_client, emitted, record::ContentType::alert).empty());
}

// A Session cache that keeps what it is given.
struct KeepingCache : SessionCache {
    std::vector<Session> sessions;
    void store(Session session) override { sessions.push_back(std::move(session)); }
    std::optional<Session> take(std::string_view, Instant) override { return std::nullopt; }
};

// conformance: RFC8446-4.6.1-6 RFC8446-4.6.1-5
TEST(ConformanceEvil13, EachTicketHasItsOwnNonceAndNoneIsKeptOverSevenDays) {
    Dtls13EvilPeer e(ClientAuth::none);
    e.m.server_config.session_tickets = 3;
    auto cache = std::make_shared<KeepingCache>();
    e.m.client_config.session_cache = cache;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, std::nullopt));
    ASSERT_TRUE(e.m.established()) << e.m.describe();
    // Per message_seq (a ticket resent before its ACK came counts once).
    // Vectors, not a set: GCC 12 warns wrongly about the byte comparisons an
    // ordered container of vectors makes in an optimised build.
    std::vector<uint16_t> seen;
    std::vector<Bytes> nonces;
    size_t tickets = 0;
    for (const Unit13& u : e.sent_by_target(Direction::to_server, 0, record::ContentType::handshake)) {
        if (u.message != HandshakeType::new_session_ticket) continue;
        if (std::count(seen.begin(), seen.end(), u.message_seq) != 0) continue;
        seen.push_back(u.message_seq);
        auto nst = messages::decode_new_session_ticket13(u.body);
        ASSERT_TRUE(nst);
        ++tickets;
        EXPECT_EQ(std::count(nonces.begin(), nonces.end(), nst->ticket_nonce), 0) << "a nonce was used twice";
        nonces.push_back(nst->ticket_nonce);
    }
    EXPECT_EQ(tickets, 3u);

    // A ticket that claims to live for 2^32 - 1 seconds is kept 7 days at most.
    const size_t before = cache->sessions.size();
    Bytes body = {0xFF, 0xFF, 0xFF, 0xFF, 1, 2, 3, 4, 1, 9, 0, 32};
    body.insert(body.end(), 32, 0x7E);
    body.insert(body.end(), {0, 0});
    e.deliver(Direction::to_client, e.message(Direction::to_client, kEpochApplication, HandshakeType::new_session_ticket,
                                              e.next_message_seq(Direction::to_client), body));
    ASSERT_EQ(cache->sessions.size(), before + 1);
    EXPECT_LE(cache->sessions.back().expires(), e.m.now + std::chrono::hours(24 * 7));
}

// A ticket is sealed: the session it carries (here its server name) is not
// readable in it.
// conformance: RFC9325-3.4-1
TEST(ConformanceEvil13, ATicketShowsNothingOfItsSession) {
    Dtls13EvilPeer e(ClientAuth::none);
    e.m.server_config.session_tickets = 1;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, std::nullopt));
    const std::string name = e.m.client_config.server_name;
    ASSERT_FALSE(name.empty());
    size_t tickets = 0;
    for (const Unit13& u : e.sent_by_target(Direction::to_server, 0, record::ContentType::handshake)) {
        if (u.message != HandshakeType::new_session_ticket) continue;
        auto nst = messages::decode_new_session_ticket13(u.body);
        ASSERT_TRUE(nst);
        ++tickets;
        EXPECT_EQ(std::search(nst->ticket.begin(), nst->ticket.end(), name.begin(), name.end()), nst->ticket.end());
        EXPECT_GE(nst->ticket.size(), 16u + 12) << "at least a nonce and a tag";
    }
    EXPECT_GE(tickets, 1u);
}

// The client's last flight, lost and resent by its timer: the same epoch and
// the same message bytes.
// conformance: RFC9147-4.2.1-3 RFC9147-5.5-5
TEST(ConformanceEvil13, ARetransmissionUsesTheSameEpochAndBytes) {
    Dtls13EvilPeer e(ClientAuth::none);
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_server, HandshakeType::finished));
    const Unit13 original = e.queue(Direction::to_server).front();
    e.queue(Direction::to_server).clear();  // lost
    auto timer = e.m.client->next_timeout();
    ASSERT_TRUE(timer);
    e.m.now = *timer;
    e.m.client->handle_timeout(e.m.now);
    e.flush();
    ASSERT_FALSE(e.queue(Direction::to_server).empty()) << "nothing was resent";
    const Unit13& resent = e.queue(Direction::to_server).front();
    ASSERT_EQ(resent.message, HandshakeType::finished);
    EXPECT_EQ(resent.epoch, original.epoch);
    EXPECT_EQ(resent.body, original.body);
    EXPECT_NE(resent.record, original.record) << "a new record number";
    e.finish();
    EXPECT_TRUE(e.m.established()) << e.m.describe();
}

// A post-handshake message far beyond the next message_seq is discarded,
// and so not acknowledged.
// conformance: RFC9147-7-1 RFC9147-7-2
TEST(ConformanceEvil13, ADiscardedMessageIsNotAcknowledged) {
    Dtls13EvilPeer e(ClientAuth::none);
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, std::nullopt));
    const size_t emitted = e.emitted(Direction::to_client).size();
    e.deliver(Direction::to_client,
              e.message(Direction::to_client, kEpochApplication, HandshakeType::key_update,
                        static_cast<uint16_t>(e.next_message_seq(Direction::to_client) + 1000), Bytes{0}));
    EXPECT_EQ(e.m.client->state(), State::established);
    EXPECT_TRUE(e.sent_by_target(Direction::to_client, emitted, record::ContentType::ack).empty());
    // The next message in order is acknowledged.
    e.deliver(Direction::to_client, e.message(Direction::to_client, kEpochApplication, HandshakeType::key_update,
                                              e.next_message_seq(Direction::to_client), Bytes{0}));
    EXPECT_EQ(e.sent_by_target(Direction::to_client, emitted, record::ContentType::ack).size(), 1u);
}

// The client sends data as soon as it has sent its Finished; a server that
// gets the data first does not deliver it before the Finished.
// conformance: RFC9147-5.8.1-3
TEST(ConformanceEvil13, ApplicationDataBeforeTheClientsFinishedIsNotDelivered) {
    Dtls13EvilPeer e(ClientAuth::none);
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_server, HandshakeType::finished));
    ASSERT_EQ(e.m.client->state(), State::established);
    ASSERT_TRUE(e.m.client->send(span_of("early"), e.m.now));
    e.flush();
    auto& queue = e.queue(Direction::to_server);
    ASSERT_GE(queue.size(), 2u);
    const Unit13 data = queue.back();
    ASSERT_EQ(data.content, record::ContentType::application_data);
    queue.pop_back();
    e.deliver(Direction::to_server, data.record);
    EXPECT_EQ(EvilPeer::data_count(e.m.server_events), 0u) << "data delivered before the Finished";
    EXPECT_EQ(e.m.server_conn->state(), State::handshaking);
    e.finish();
    EXPECT_EQ(e.m.server_conn->state(), State::established) << e.m.describe();
}

// After the server's close_notify, the client takes nothing more: neither
// the data the server sent just before it (arriving late), nor a record
// sealed after it.
// conformance: RFC8446-6.1-1 RFC8446-6.1-3 RFC9147-5.10-4
TEST(ConformanceEvil13, NothingIsTakenAfterACloseNotify) {
    Dtls13EvilPeer e(ClientAuth::none);
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, std::nullopt));
    ASSERT_TRUE(e.m.established()) << e.m.describe();
    ASSERT_TRUE(e.m.server_conn->send(span_of("late"), e.m.now));
    e.m.server_conn->close(e.m.now);
    e.flush();
    auto& queue = e.queue(Direction::to_client);
    ASSERT_EQ(queue.size(), 2u);
    const Unit13 data = queue.front(), alert = queue.back();
    ASSERT_EQ(data.content, record::ContentType::application_data);
    ASSERT_EQ(alert.content, record::ContentType::alert);
    queue.clear();
    const size_t data_before = EvilPeer::data_count(e.m.client_events);
    e.deliver(Direction::to_client, alert.record);
    ASSERT_EQ(e.m.client->state(), State::closed);
    const size_t emitted = e.emitted(Direction::to_client).size();
    e.deliver(Direction::to_client, data.record);
    e.deliver(Direction::to_client, e.message(Direction::to_client, kEpochApplication, HandshakeType::key_update,
                                              e.next_message_seq(Direction::to_client), Bytes{0}));
    EXPECT_EQ(EvilPeer::data_count(e.m.client_events), data_before);
    EXPECT_EQ(e.m.client->state(), State::closed);
    EXPECT_EQ(e.emitted(Direction::to_client).size(), emitted) << "answered a record after the close_notify";
}

}  // namespace
}  // namespace dtls::test
