// RFC 9147 9's post-handshake CID messages, as our client receives them
// from a server whose records the test forges with the real keys
// (evil/dtls13_evil_peer.hpp): NewConnectionId with cid_immediate switches
// the CID our records carry, spare CIDs (at most 8 kept) are used in order
// when the application asks, RequestConnectionId
// is acknowledged without an answer, and a malformed message, or one the
// agreed CIDs forbid, ends the connection with the alert the RFC names.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "evil/dtls13_evil_peer.hpp"
#include "messages/connection_id_messages.hpp"
#include "record/datagram_reader.hpp"

namespace dtls::test {
namespace {

using messages::ConnectionIdUsage;
using messages::HandshakeType;

struct CidEvil {
    Dtls13EvilPeer e{ClientAuth::none};

    CidEvil(std::optional<size_t> client_cid, std::optional<size_t> server_cid) {
        e.m.client_config.connection_id_length = client_cid;
        e.m.server_config.connection_id_length = server_cid;
    }

    bool establish() { return e.start() && e.advance_to(Direction::to_client, std::nullopt); }

    Connection& client() { return *e.m.client; }

    // A post-handshake message as the server would send it, in epoch 3.
    void to_client(HandshakeType type, const Bytes& body) {
        const uint16_t seq = e.next_message_seq(Direction::to_client);
        e.deliver(Direction::to_client, e.message(Direction::to_client, kEpochApplication, type, seq, body));
    }

    size_t acks_since(size_t emitted) {
        return e.sent_by_target(Direction::to_client, emitted, record::ContentType::ack).size();
    }
};

Bytes new_connection_id(std::vector<Bytes> cids, ConnectionIdUsage usage) {
    Bytes body;
    wire::Writer w(body);
    EXPECT_TRUE(messages::encode(messages::NewConnectionId{std::move(cids), usage}, w));
    return body;
}

// conformance: RFC9147-9-1
TEST(Cid13PostHandshake, CidImmediateSwitchesTheCidOurRecordsCarry) {
    CidEvil t(4, 5);
    ASSERT_TRUE(t.establish()) << t.e.m.describe();
    ASSERT_EQ(t.client().negotiated().peer_connection_id.size(), 5u);
    // As long as the server's own, so the test's view of the client's
    // records (framed with the length the server issued) can read the ACK.
    const Bytes next{0x0a, 0x0b, 0x0c, 0x0d, 0x0e};
    const size_t emitted = t.e.emitted(Direction::to_client).size();
    t.to_client(HandshakeType::new_connection_id, new_connection_id({next, Bytes{9, 9}}, ConnectionIdUsage::cid_immediate));
    ASSERT_EQ(t.client().state(), State::established);
    EXPECT_EQ(t.acks_since(emitted), 1u) << "the message was not acknowledged (RFC 9147 7)";
    EXPECT_EQ(t.client().negotiated().peer_connection_id, next);

    // The client's next record carries the new CID.
    ASSERT_TRUE(t.client().send(span_of(std::string("after the switch")), t.e.m.now));
    Bytes d;
    ASSERT_TRUE(t.client().poll_datagram(d));
    record::DatagramReader reader(d, next.size());
    record::FramedRecord framed;
    ASSERT_EQ(reader.next(framed), record::DatagramReader::Next::record);
    EXPECT_EQ(framed.format, record::HeaderFormat::unified);
    EXPECT_EQ(Bytes(framed.cid.begin(), framed.cid.end()), next);
}

// The CID the client's next record carries.
Bytes cid_of_next_record(CidEvil& t, size_t length) {
    EXPECT_TRUE(t.client().send(span_of(std::string("x")), t.e.m.now));
    Bytes d;
    EXPECT_TRUE(t.client().poll_datagram(d));
    record::DatagramReader reader(d, length);
    record::FramedRecord framed;
    EXPECT_EQ(reader.next(framed), record::DatagramReader::Next::record);
    return Bytes(framed.cid.begin(), framed.cid.end());
}

Bytes cid_number(uint8_t n) { return Bytes{0x5c, 0x5c, 0x5c, 0x5c, n}; }

// Spare CIDs change nothing until the application asks for the next one
// (RFC 9147 9: "either an existing or new CID MAY be used"); then they are
// used in the order they came.
// conformance: RFC9147-9-2
TEST(Cid13PostHandshake, SpareCidsAreUsedInOrderWhenAsked) {
    CidEvil t(4, 5);
    ASSERT_TRUE(t.establish()) << t.e.m.describe();
    const Bytes first = t.client().negotiated().peer_connection_id;
    EXPECT_EQ(t.client().use_spare_connection_id().error().code, ErrorCode::invalid_state) << "no spare yet";
    const size_t emitted = t.e.emitted(Direction::to_client).size();
    t.to_client(HandshakeType::new_connection_id,
                new_connection_id({cid_number(1), cid_number(2), cid_number(3)}, ConnectionIdUsage::cid_spare));
    ASSERT_EQ(t.client().state(), State::established);
    EXPECT_EQ(t.acks_since(emitted), 1u);
    EXPECT_EQ(t.client().negotiated().peer_connection_id, first);
    EXPECT_TRUE(t.e.carries_data("after the spares"));
    for (uint8_t n = 1; n <= 3; ++n) {
        ASSERT_TRUE(t.client().use_spare_connection_id().ok()) << int(n);
        EXPECT_EQ(t.client().negotiated().peer_connection_id, cid_number(n));
        EXPECT_EQ(cid_of_next_record(t, 5), cid_number(n));
    }
    EXPECT_EQ(t.client().use_spare_connection_id().error().code, ErrorCode::invalid_state) << "all used";
    EXPECT_EQ(t.client().state(), State::established);
}

// At most 8 spares are kept; further ones are discarded (RFC 9147 9 lets a
// receiver keep fewer than it is given). The CIDs after the first of a
// cid_immediate message are spares too.
TEST(Cid13PostHandshake, AtMostEightSparesAreKept) {
    CidEvil t(4, 5);
    ASSERT_TRUE(t.establish()) << t.e.m.describe();
    std::vector<Bytes> cids;
    for (uint8_t n = 0; n < 12; ++n) cids.push_back(cid_number(n));
    t.to_client(HandshakeType::new_connection_id, new_connection_id(cids, ConnectionIdUsage::cid_immediate));
    ASSERT_EQ(t.client().state(), State::established);
    EXPECT_EQ(t.client().negotiated().peer_connection_id, cid_number(0));
    size_t used = 0;
    while (t.client().use_spare_connection_id().ok() && used < cids.size()) {
        ++used;
        EXPECT_EQ(t.client().negotiated().peer_connection_id, cid_number(static_cast<uint8_t>(used)));
    }
    EXPECT_EQ(used, 8u);
}

TEST(Cid13PostHandshake, RequestConnectionIdIsAcknowledgedNotAnswered) {
    CidEvil t(4, 5);
    ASSERT_TRUE(t.establish()) << t.e.m.describe();
    const size_t emitted = t.e.emitted(Direction::to_client).size();
    t.to_client(HandshakeType::request_connection_id, Bytes{3});
    ASSERT_EQ(t.client().state(), State::established);
    EXPECT_EQ(t.acks_since(emitted), 1u);
    EXPECT_TRUE(t.e.sent_by_target(Direction::to_client, emitted, record::ContentType::handshake).empty())
        << "we issue no CIDs after the handshake";
    EXPECT_TRUE(t.e.carries_data("after the request"));
}

void expect_fatal(CidEvil& t, HandshakeType type, const Bytes& body, Alert alert) {
    t.to_client(type, body);
    EXPECT_EQ(t.client().state(), State::failed);
    ASSERT_TRUE(t.client().error().has_value());
    EXPECT_EQ(t.client().error()->alert, alert) << t.client().error()->to_string();
}

TEST(Cid13PostHandshake, AMalformedNewConnectionIdIsDecodeError) {
    CidEvil t(4, 5);
    ASSERT_TRUE(t.establish()) << t.e.m.describe();
    expect_fatal(t, HandshakeType::new_connection_id, Bytes{0x00, 0x05, 0x03, 1, 2, 0}, Alert::decode_error);
}

TEST(Cid13PostHandshake, ANewConnectionIdWithAnEmptyCidIsIllegalParameter) {
    CidEvil t(4, 5);
    ASSERT_TRUE(t.establish()) << t.e.m.describe();
    expect_fatal(t, HandshakeType::new_connection_id, Bytes{0x00, 0x01, 0x00, 0x01}, Alert::illegal_parameter);
}

// RFC 9147 9: a peer that agreed to receive an empty CID must not send
// NewConnectionId; one that sends an empty CID must not send
// RequestConnectionId.
// conformance: RFC9147-9-6
TEST(Cid13PostHandshake, MessagesTheAgreedCidsForbidAreUnexpected) {
    {
        CidEvil t(4, 0);  // the server receives no CID
        ASSERT_TRUE(t.establish()) << t.e.m.describe();
        expect_fatal(t, HandshakeType::new_connection_id,
                     new_connection_id({Bytes{1, 2, 3}}, ConnectionIdUsage::cid_immediate), Alert::unexpected_message);
    }
    {
        CidEvil t(0, 5);  // the server's records carry no CID
        ASSERT_TRUE(t.establish()) << t.e.m.describe();
        expect_fatal(t, HandshakeType::request_connection_id, Bytes{1}, Alert::unexpected_message);
    }
}

}  // namespace
}  // namespace dtls::test
