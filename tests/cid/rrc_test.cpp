// RFC 9853's return routability check between our own client and server:
// the rrc extension (only with connection_id, only when both sides want
// it), the return_routability_check messages and records, the answer to a
// path_challenge, and bad or unwelcome messages. rrc_endpoint_test.cpp
// covers the endpoint's use of it when a connection moves.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <vector>

#include "cid/cid_pair.hpp"
#include "engine/connection.hpp"
#include "messages/codec.hpp"
#include "messages/extensions.hpp"
#include "messages/return_routability_check.hpp"
#include "tls12/rrc_negotiation.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::test {
namespace {

using messages::RrcCookie;
using messages::RrcType;

constexpr uint8_t kRrcContentType = 27;

Bytes rrc_body(RrcType type, const RrcCookie& cookie) {
    const auto body = messages::encode_rrc({type, cookie});
    return Bytes(body.begin(), body.end());
}

// --- Negotiation ---------------------------------------------------------

TEST(RrcNegotiation, BothSidesWithCidsAgreeByDefault) {
    Pair p = cid_pair(0, 8);
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_TRUE(p.client->negotiated().return_routability_check);
    EXPECT_TRUE(p.server_conn->negotiated().return_routability_check);
}

TEST(RrcNegotiation, EitherSideOffMeansNoRrc) {
    for (bool client_on : {false, true}) {
        Pair p = cid_pair(0, 8);
        p.client_config.return_routability_check = client_on;
        p.server_config.return_routability_check = !client_on;
        ASSERT_TRUE(p.handshake()) << p.describe();
        EXPECT_TRUE(p.client->negotiated().connection_id);
        EXPECT_FALSE(p.client->negotiated().return_routability_check) << "client on: " << client_on;
        EXPECT_FALSE(p.server_conn->negotiated().return_routability_check) << "client on: " << client_on;
        expect_data_both_ways(p);
    }
}

TEST(RrcNegotiation, NoRrcWithoutConnectionIds) {
    Pair p = cid_pair(4, std::nullopt);  // the server does not answer connection_id
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_FALSE(p.client->negotiated().return_routability_check);
    EXPECT_FALSE(p.server_conn->negotiated().return_routability_check);
}

// RFC 9853 3: a client offering rrc without connection_id gets no rrc; a
// ServerHello with rrc the client did not offer, or without connection_id,
// is refused.
TEST(RrcNegotiation, TheRulesOfRfc9853Section3) {
    Config config;
    config.connection_id_length = 4;
    Negotiated negotiated;
    messages::Extensions offer, answer;
    offer.rrc = true;
    answer.connection_id = Bytes{1, 2, 3, 4};
    EXPECT_FALSE(tls12::rrc_answer(config, offer, answer, negotiated)) << "rrc offered without connection_id";
    offer.connection_id = Bytes{};
    EXPECT_TRUE(tls12::rrc_answer(config, offer, answer, negotiated));
    EXPECT_TRUE(negotiated.return_routability_check);

    Config no_cid;
    EXPECT_FALSE(tls12::rrc_offer(no_cid, messages::Extensions{})) << "never offered without connection_id";

    messages::Extensions offered, server_hello;
    server_hello.rrc = true;
    server_hello.connection_id = Bytes{};
    Negotiated client;
    const Status unasked = tls12::check_rrc_answer(offered, server_hello, client);
    ASSERT_FALSE(unasked);
    EXPECT_EQ(unasked.error().fault, Fault::unsolicited_extension);
    offered.rrc = true;
    offered.connection_id = Bytes{};
    server_hello.connection_id.reset();
    const Status without_cid = tls12::check_rrc_answer(offered, server_hello, client);
    ASSERT_FALSE(without_cid);
    EXPECT_EQ(without_cid.error().alert, Alert::unsupported_extension);
    EXPECT_FALSE(client.return_routability_check);
}

TEST(RrcExtension, IsType61WithAnEmptyBodyInHellosOnly) {
    messages::Extensions e;
    e.rrc = true;
    Bytes block;
    wire::Writer w(block);
    ASSERT_TRUE(messages::encode_extensions_block(e, messages::ExtensionContext::client_hello, w));
    EXPECT_EQ(block, (Bytes{0, 4, 0, 61, 0, 0}));
    wire::Reader r(block);
    messages::Extensions back;
    ASSERT_TRUE(messages::decode_extensions_block(r, messages::ExtensionContext::server_hello, "ServerHello", back));
    EXPECT_TRUE(back.rrc);
    // A body is malformed (decode_error).
    const Bytes with_body = {0, 5, 0, 61, 0, 1, 0};
    wire::Reader bad(with_body);
    const Status s = messages::decode_extensions_block(bad, messages::ExtensionContext::client_hello, "ClientHello", back);
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().fault, Fault::malformed_message);
}

// --- The message codec ---------------------------------------------------

TEST(RrcCodec, ReadsWhatItWritesIgnoresUnknownTypesAndRefusesBadLengths) {
    const RrcCookie cookie = {1, 2, 3, 4, 5, 6, 7, 8};
    for (RrcType type : {RrcType::path_challenge, RrcType::path_response, RrcType::path_drop}) {
        const Bytes body = rrc_body(type, cookie);
        ASSERT_EQ(body.size(), 9u);
        EXPECT_EQ(body[0], static_cast<uint8_t>(type));
        auto back = messages::decode_rrc(body);
        ASSERT_TRUE(back.ok());
        ASSERT_TRUE(back->has_value());
        EXPECT_EQ((*back)->type, type);
        EXPECT_EQ((*back)->cookie, cookie);
    }
    for (const Bytes& unknown : {Bytes{3}, Bytes{254, 1, 2}, Bytes(40, 200)}) {
        auto back = messages::decode_rrc(unknown);
        ASSERT_TRUE(back.ok());
        EXPECT_FALSE(back->has_value());
    }
    for (const Bytes& bad : {Bytes{}, Bytes{0, 1, 2, 3, 4, 5, 6, 7}, Bytes{1, 1, 2, 3, 4, 5, 6, 7, 8, 9}}) {
        auto back = messages::decode_rrc(bad);
        ASSERT_FALSE(back.ok());
        EXPECT_EQ(back.error().fault, Fault::malformed_message);
        EXPECT_EQ(back.error().alert, Alert::decode_error);
    }
}

// --- Between two connections ---------------------------------------------

// Delivers every datagram `from` has queued to `to`; returns how many.
size_t deliver(Connection& from, Connection& to, Instant now) {
    size_t n = 0;
    Bytes d;
    while (from.poll_datagram(d)) {
        to.handle_datagram(d, now);
        ++n;
    }
    return n;
}

TEST(RrcMessages, APathChallengeIsAnsweredOnceWithItsCookie) {
    Pair p = cid_pair(4, 8);
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_TRUE(p.server_conn->engine().challenge_path(p.now));
    Bytes challenge;
    ASSERT_TRUE(p.server_conn->poll_datagram(challenge));
    // The client issued a CID: a tls12_cid record, its type hidden.
    std::vector<record::FramedRecord> records = records_of(challenge, 4);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].type, record::ContentType::tls12_cid);

    p.client->handle_datagram(challenge, p.now);
    p.client->handle_datagram(challenge, p.now);  // a replay: no second answer
    EXPECT_EQ(p.client->stats().path_responses_sent, 1u);
    EXPECT_EQ(deliver(*p.client, *p.server_conn, p.now), 1u);
    EXPECT_TRUE(p.server_conn->engine().last_datagram_validated_path());
    EXPECT_EQ(p.server_conn->stats().paths_validated, 1u);
    EXPECT_FALSE(p.server_conn->next_timeout()) << "no retransmission once answered";
    EXPECT_EQ(p.client->state(), State::established);
    EXPECT_EQ(p.server_conn->state(), State::established);
}

TEST(RrcMessages, WrongCookiesAndPathDropsAreIgnored) {
    Pair p = cid_pair(4, 8);
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_TRUE(p.server_conn->engine().challenge_path(p.now));
    Bytes challenge;
    ASSERT_TRUE(p.server_conn->poll_datagram(challenge));
    // The client answers a cookie that is not the server's, and sends a
    // path_drop (the server runs only the basic check, so none is valid).
    const RrcCookie wrong = {9, 9, 9, 9, 9, 9, 9, 9};
    ASSERT_TRUE(p.client->engine().send_rrc(rrc_body(RrcType::path_response, wrong)));
    ASSERT_TRUE(p.client->engine().send_rrc(rrc_body(RrcType::path_drop, wrong)));
    deliver(*p.client, *p.server_conn, p.now);
    EXPECT_FALSE(p.server_conn->engine().last_datagram_validated_path());
    EXPECT_EQ(p.server_conn->stats().paths_validated, 0u);
    EXPECT_EQ(p.server_conn->stats().rrc_messages_ignored, 2u);
    EXPECT_TRUE(p.server_conn->next_timeout()) << "still waiting for the right answer";
    // The right answer still validates.
    p.client->handle_datagram(challenge, p.now);
    deliver(*p.client, *p.server_conn, p.now);
    EXPECT_EQ(p.server_conn->stats().paths_validated, 1u);
    // A client that challenged nothing ignores a path_response or path_drop.
    const RrcCookie any = {1, 1, 1, 1, 1, 1, 1, 1};
    ASSERT_TRUE(p.server_conn->engine().send_rrc(rrc_body(RrcType::path_response, any)));
    ASSERT_TRUE(p.server_conn->engine().send_rrc(rrc_body(RrcType::path_drop, any)));
    deliver(*p.server_conn, *p.client, p.now);
    EXPECT_EQ(p.client->stats().rrc_messages_ignored, 2u);
    EXPECT_EQ(p.client->state(), State::established);
    expect_data_both_ways(p);
}

TEST(RrcMessages, MalformedMessagesAreDecodeErrorAndUnknownTypesIgnored) {
    const Bytes malformed[] = {Bytes{}, Bytes{0, 1, 2, 3, 4, 5, 6, 7}, Bytes{1, 1, 2, 3, 4, 5, 6, 7, 8, 9}};
    for (const Bytes& body : malformed) {
        Pair p = cid_pair(0, 8);
        ASSERT_TRUE(p.handshake()) << p.describe();
        ASSERT_TRUE(p.client->engine().send_rrc(body));
        deliver(*p.client, *p.server_conn, p.now);
        ASSERT_EQ(p.server_conn->state(), State::failed) << "body of " << body.size() << " bytes";
        EXPECT_EQ(p.server_conn->error()->fault, Fault::malformed_message);
        EXPECT_EQ(p.server_conn->error()->alert, Alert::decode_error);
        deliver(*p.server_conn, *p.client, p.now);  // the alert
        EXPECT_EQ(p.client->state(), State::failed);
    }
    Pair p = cid_pair(0, 8);
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_TRUE(p.client->engine().send_rrc(Bytes{7, 1, 2}));
    ASSERT_TRUE(p.client->engine().send_rrc(Bytes{255}));
    deliver(*p.client, *p.server_conn, p.now);
    EXPECT_EQ(p.server_conn->state(), State::established);
    EXPECT_EQ(p.server_conn->stats().rrc_messages_ignored, 2u);
    Bytes nothing;
    EXPECT_FALSE(p.server_conn->poll_datagram(nothing)) << "no answer to an unknown type";
}

TEST(RrcMessages, WithoutRrcNegotiatedTheyAreDroppedUnanswered) {
    Pair p = cid_pair(0, 8);
    p.server_config.return_routability_check = false;
    ASSERT_TRUE(p.handshake()) << p.describe();
    const RrcCookie cookie = {4, 4, 4, 4, 4, 4, 4, 4};
    EXPECT_FALSE(p.server_conn->engine().challenge_path(p.now)) << "no challenge without rrc";
    const uint64_t dropped = p.server_conn->stats().records_dropped;
    ASSERT_TRUE(p.client->engine().send_rrc(rrc_body(RrcType::path_challenge, cookie)));
    deliver(*p.client, *p.server_conn, p.now);
    EXPECT_EQ(p.server_conn->stats().records_dropped, dropped + 1);
    EXPECT_EQ(p.server_conn->stats().path_responses_sent, 0u);
    Bytes nothing;
    EXPECT_FALSE(p.server_conn->poll_datagram(nothing));
    EXPECT_EQ(p.server_conn->state(), State::established);

    // A plaintext (epoch 0) return_routability_check record is never
    // answered, even with rrc negotiated: it must be protected.
    Pair q = cid_pair(0, 8);
    ASSERT_TRUE(q.handshake()) << q.describe();
    Bytes plain = {kRrcContentType, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 50, 0, 9};
    const Bytes body = rrc_body(RrcType::path_challenge, cookie);
    plain.insert(plain.end(), body.begin(), body.end());
    q.server_conn->handle_datagram(plain, q.now);
    EXPECT_EQ(q.server_conn->stats().path_responses_sent, 0u);
    EXPECT_FALSE(q.server_conn->poll_datagram(nothing));
    EXPECT_EQ(q.server_conn->state(), State::established);
    // ...whereas the same message protected is.
    ASSERT_TRUE(q.client->engine().send_rrc(body));
    deliver(*q.client, *q.server_conn, q.now);
    EXPECT_EQ(q.server_conn->stats().path_responses_sent, 1u);
}

TEST(RrcMessages, AnswersWaitingToBeSentAreBounded) {
    Pair p = cid_pair(0, 8);
    ASSERT_TRUE(p.handshake()) << p.describe();
    for (uint8_t i = 0; i < 10; ++i) {
        ASSERT_TRUE(p.server_conn->engine().send_rrc(rrc_body(RrcType::path_challenge, RrcCookie{i})));
        Bytes d;
        ASSERT_TRUE(p.server_conn->poll_datagram(d));
        p.client->handle_datagram(d, p.now);  // the client's application does not poll meanwhile
    }
    const uint64_t answered = p.client->stats().path_responses_sent;
    EXPECT_GE(answered, 1u);
    EXPECT_LT(answered, 10u);
    EXPECT_EQ(p.client->stats().rrc_messages_ignored, 10u - answered);
    EXPECT_EQ(deliver(*p.client, *p.server_conn, p.now), answered);
    // Once they are sent, the next challenge is answered again.
    ASSERT_TRUE(p.server_conn->engine().send_rrc(rrc_body(RrcType::path_challenge, RrcCookie{42})));
    deliver(*p.server_conn, *p.client, p.now);
    EXPECT_EQ(p.client->stats().path_responses_sent, answered + 1);
}

// --- DTLS 1.3 (RFC 9853 10.2) -------------------------------------------------

Pair rrc13_pair(std::optional<size_t> client_cid, std::optional<size_t> server_cid) {
    Pair p = cid_pair(client_cid, server_cid);
    for (Config* c : {&p.client_config, &p.server_config}) {
        c->min_version = c->max_version = ProtocolVersion::dtls1_3;
    }
    return p;
}

TEST(Rrc13Negotiation, OfferedAndAnsweredInTheHellosBesideConnectionId) {
    Pair p = rrc13_pair(0, 8);
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().version, ProtocolVersion::dtls1_3);
    EXPECT_TRUE(p.client->negotiated().return_routability_check);
    EXPECT_TRUE(p.server_conn->negotiated().return_routability_check);

    for (bool client_on : {false, true}) {
        Pair q = rrc13_pair(0, 8);
        q.client_config.return_routability_check = client_on;
        q.server_config.return_routability_check = !client_on;
        ASSERT_TRUE(q.handshake()) << q.describe();
        EXPECT_TRUE(q.client->negotiated().connection_id);
        EXPECT_FALSE(q.client->negotiated().return_routability_check) << "client on: " << client_on;
        EXPECT_FALSE(q.server_conn->negotiated().return_routability_check) << "client on: " << client_on;
    }
    Pair none = rrc13_pair(4, std::nullopt);  // no connection_id in the ServerHello: no rrc either
    ASSERT_TRUE(none.handshake()) << none.describe();
    EXPECT_FALSE(none.client->negotiated().return_routability_check);
    EXPECT_FALSE(none.server_conn->negotiated().return_routability_check);
}

// The offer is in the DTLS 1.3 hello (type 61, empty), so a DTLS 1.2 server
// answering a dual-version client gets it too.
TEST(Rrc13Negotiation, ADualVersionClientOffersItAndADtls12ServerAnswers) {
    Pair start = rrc13_pair(0, std::nullopt);
    ASSERT_TRUE(start.start());
    Bytes hello;
    ASSERT_TRUE(start.client->poll_datagram(hello));
    const Bytes rrc_extension{0, 61, 0, 0};
    EXPECT_NE(std::search(hello.begin(), hello.end(), rrc_extension.begin(), rrc_extension.end()), hello.end());

    Pair p = cid_pair(0, 8);
    p.client_config.max_version = ProtocolVersion::dtls1_3;
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().version, ProtocolVersion::dtls1_2);
    EXPECT_TRUE(p.client->negotiated().return_routability_check);
    EXPECT_TRUE(p.server_conn->negotiated().return_routability_check);
}

// return_routability_check is the inner content type of a DTLS 1.3 record
// of the application epoch: hidden behind the unified header.
TEST(Rrc13Messages, APathChallengeIsAnsweredOnceWithItsCookie) {
    Pair p = rrc13_pair(4, 8);
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_TRUE(p.server_conn->engine().challenge_path(p.now));
    Bytes challenge;
    ASSERT_TRUE(p.server_conn->poll_datagram(challenge));
    std::vector<record::FramedRecord> records = records_of(challenge, 4);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].format, record::HeaderFormat::unified);
    EXPECT_EQ(records[0].cid.size(), 4u);

    p.client->handle_datagram(challenge, p.now);
    p.client->handle_datagram(challenge, p.now);  // a replay: no second answer
    EXPECT_EQ(p.client->stats().path_responses_sent, 1u);
    EXPECT_EQ(deliver(*p.client, *p.server_conn, p.now), 1u);
    EXPECT_TRUE(p.server_conn->engine().last_datagram_validated_path());
    EXPECT_EQ(p.server_conn->stats().paths_validated, 1u);
    EXPECT_FALSE(p.server_conn->next_timeout()) << "no retransmission once answered";

    // A wrong cookie validates nothing; a malformed message is decode_error.
    ASSERT_TRUE(p.server_conn->engine().challenge_path(p.now));
    ASSERT_TRUE(p.server_conn->poll_datagram(challenge));
    ASSERT_TRUE(p.client->engine().send_rrc(rrc_body(RrcType::path_response, RrcCookie{9, 9, 9})));
    deliver(*p.client, *p.server_conn, p.now);
    EXPECT_EQ(p.server_conn->stats().paths_validated, 1u);
    EXPECT_EQ(p.server_conn->stats().rrc_messages_ignored, 1u);
    ASSERT_TRUE(p.client->engine().send_rrc(Bytes{0, 1, 2}));
    deliver(*p.client, *p.server_conn, p.now);
    ASSERT_EQ(p.server_conn->state(), State::failed);
    EXPECT_EQ(p.server_conn->error()->alert, Alert::decode_error);
}

TEST(Rrc13Messages, WithoutRrcNegotiatedTheyAreDroppedUnanswered) {
    Pair p = rrc13_pair(0, 8);
    p.server_config.return_routability_check = false;
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_FALSE(p.server_conn->engine().challenge_path(p.now));
    const uint64_t dropped = p.server_conn->stats().records_dropped;
    ASSERT_TRUE(p.client->engine().send_rrc(rrc_body(RrcType::path_challenge, RrcCookie{4})));
    deliver(*p.client, *p.server_conn, p.now);
    EXPECT_EQ(p.server_conn->stats().records_dropped, dropped + 1);
    EXPECT_EQ(p.server_conn->stats().path_responses_sent, 0u);
    EXPECT_EQ(p.server_conn->state(), State::established);
}

}  // namespace
}  // namespace dtls::test
