// record_size_limit (RFC 8449 4) on the receiving side, DTLS 1.2: a peer
// that sends an authentic protected record over the limit we announced gets
// record_overflow. Our own sender never builds such a record, so the record
// is sealed here with the real keys recovered from the key log.
#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "evil/dtls13_evil_peer.hpp"
#include "evil/stages.hpp"

namespace dtls::test {
namespace {

using record::ContentType;

TEST(RecordSizeLimit, ARecordOverOurLimitIsRecordOverflowInBothRoles) {
    for (Direction d : {Direction::to_client, Direction::to_server}) {
        SCOPED_TRACE(d == Direction::to_client ? "toward the client" : "toward the server");
        EvilPeer e;
        e.m.client_config.record_size_limit = 100;
        e.m.server_config.record_size_limit = 200;
        ASSERT_TRUE(e.start());
        ASSERT_TRUE(e.advance_to(Direction::to_client, NextUnit::established()));
        ASSERT_TRUE(e.m.established());
        Connection& receiver = e.target(d);
        const size_t limit = d == Direction::to_client ? 100 : 200;

        // Exactly the limit is fine...
        const std::string at_limit(limit, 'a');
        e.deliver(d, e.seal_toward(d, ContentType::application_data, span_of(at_limit)));
        ASSERT_EQ(receiver.state(), State::established);
        // ...one byte more is not.
        const std::string over(limit + 1, 'b');
        e.deliver(d, e.seal_toward(d, ContentType::application_data, span_of(over)));
        ASSERT_EQ(receiver.state(), State::failed);
        ASSERT_TRUE(receiver.error().has_value());
        EXPECT_EQ(receiver.error()->fault, Fault::record_too_large);
        EXPECT_EQ(receiver.error()->alert, Alert::record_overflow);
    }
}

TEST(RecordSizeLimit, WithoutTheExtensionLargeRecordsAreAccepted) {
    EvilPeer e;  // neither side configures a limit: nothing is negotiated
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, NextUnit::established()));
    const std::string big(5000, 'c');
    e.deliver(Direction::to_client, e.seal_toward(Direction::to_client, ContentType::application_data, span_of(big)));
    EXPECT_EQ(e.m.client->state(), State::established);
}

// DTLS 1.3: a handshake record in the application epoch whose content (a
// 12-byte fragment header and `limit` bytes of body) is over the limit. The
// size is checked before the message is parsed, so what it holds is beside
// the point; the control without limits fails for the message instead.
std::optional<Fault> dtls13_fault_for_large_record(Direction d, uint16_t client_limit, uint16_t server_limit,
                                                   size_t body_size) {
    Dtls13EvilPeer e(ClientAuth::none);
    e.m.client_config.record_size_limit = client_limit;
    e.m.server_config.record_size_limit = server_limit;
    EXPECT_TRUE(e.start());
    e.finish();
    EXPECT_TRUE(e.m.established());
    Connection& receiver = d == Direction::to_client ? *e.m.client : *e.m.server_conn;
    const Bytes body(body_size, 0x42);
    e.deliver(d, e.message(d, kEpochApplication, messages::HandshakeType::new_session_ticket, e.next_message_seq(d),
                           body));
    if (!receiver.error()) return std::nullopt;
    if (receiver.error()->fault == Fault::record_too_large) {
        EXPECT_EQ(receiver.state(), State::failed);
        EXPECT_EQ(receiver.error()->alert, Alert::record_overflow);
    }
    return receiver.error()->fault;
}

TEST(RecordSizeLimit, Dtls13ARecordOverOurLimitIsRecordOverflowInBothRoles) {
    // Limits above what the MTU lets a record carry, so that the handshake
    // messages stay whole, as this peer needs them.
    EXPECT_EQ(dtls13_fault_for_large_record(Direction::to_client, 4000, 5000, 4000), Fault::record_too_large);
    EXPECT_EQ(dtls13_fault_for_large_record(Direction::to_server, 4000, 5000, 5000), Fault::record_too_large);
    // 12 bytes of fragment header short of the limit: within it.
    EXPECT_NE(dtls13_fault_for_large_record(Direction::to_client, 4000, 5000, 4000 - 12), Fault::record_too_large);
    EXPECT_NE(dtls13_fault_for_large_record(Direction::to_client, 0, 0, 4000), Fault::record_too_large);
}

}  // namespace
}  // namespace dtls::test
