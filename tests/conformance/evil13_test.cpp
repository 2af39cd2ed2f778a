// DTLS 1.3 handshake and post-handshake messages that are wrong in their
// content, sealed with the real keys (tests/evil/dtls13_evil_peer.hpp) so
// the side under test takes them for its peer's, and what it must answer
// under RFC 8446. Each `// conformance:` line names the requirements of
// docs/conformance.md that the test below it checks.
#include <gtest/gtest.h>

#include "evil/dtls13_evil_peer.hpp"

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

// conformance: RFC8446-4.6.3-4 RFC8446-6-7
TEST(ConformanceEvil13, AKeyUpdateWithAnUnknownRequestValueIsIllegalParameter) {
    for (Direction d : {Direction::to_client, Direction::to_server}) {
        Dtls13EvilPeer e;
        ASSERT_TRUE(e.start());
        ASSERT_TRUE(e.advance_to(d, std::nullopt));
        ASSERT_TRUE(e.m.established()) << e.m.describe();
        e.deliver(d, e.message(d, kEpochApplication, HandshakeType::key_update, e.next_message_seq(d), Bytes{2}));
        expect_alert_sent(e, d, Alert::illegal_parameter);
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

}  // namespace
}  // namespace dtls::test
