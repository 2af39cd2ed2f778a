// KeyUpdate on established DTLS 1.3 connections, ours against ours: either
// side updates, with or without asking the peer to, repeatedly; the new keys
// are used only once the KeyUpdate is acknowledged; data flows throughout.
// (tests/cli/wolfssl13.sh has wolfSSL's client update its keys and checks
// our answer.)
#include <gtest/gtest.h>

#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

// Data both ways; only what this exchange brings counts.
void data_both_ways(Pair& p, const std::string& tag) {
    p.client_events.clear();
    p.server_events.clear();
    expect_data_both_ways(p, " " + tag);
}

// conformance: RFC8446-4.6.3-2 RFC8446-4.6.3-3
TEST(KeyUpdateFlow, EitherSideUpdatesRepeatedly) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.handshake()) << p.describe();
    for (int round = 0; round < 6; ++round) {
        Connection& updater = round % 2 == 0 ? *p.client : *p.server_conn;
        const bool ask_peer = round % 3 == 0;
        ASSERT_TRUE(updater.update_keys(p.now, ask_peer)) << "round " << round;
        p.pump();
        EXPECT_FALSE(p.client->next_timeout()) << "round " << round << ": every KeyUpdate acknowledged";
        EXPECT_FALSE(p.server_conn->next_timeout()) << "round " << round;
        ASSERT_EQ(p.client->state(), State::established) << p.describe();
        ASSERT_EQ(p.server_conn->state(), State::established) << p.describe();
        data_both_ways(p, std::to_string(round));
    }
}

// conformance: RFC9147-5.8.4-1 RFC9147-8-1 RFC9147-8-2 RFC9147-8-4 RFC8446-4.6.3-6
TEST(KeyUpdateFlow, NewKeysOnlyAfterTheAcknowledgement) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_TRUE(p.client->update_keys(p.now));
    // A second update before the first is acknowledged is refused.
    auto again = p.client->update_keys(p.now);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, ErrorCode::invalid_state);
    // The KeyUpdate goes out, the ACK is lost: data sent meanwhile still
    // uses the old keys, which the server can read.
    std::vector<uint8_t> d;
    ASSERT_TRUE(p.client->poll_datagram(d));
    p.server_conn->handle_datagram(d, p.now);
    std::vector<uint8_t> ack;
    ASSERT_TRUE(p.server_conn->poll_datagram(ack));  // lost
    ASSERT_TRUE(p.client->send(bytes_of("before the ACK"), p.now));
    ASSERT_TRUE(p.client->poll_datagram(d));
    p.server_conn->handle_datagram(d, p.now);
    p.drain_events();
    EXPECT_EQ(Pair::data_of(p.server_events), std::vector<std::string>{"before the ACK"});
    // The timer resends the KeyUpdate; its ACK moves the client on.
    auto timer = p.client->next_timeout();
    ASSERT_TRUE(timer);
    p.now = *timer;
    p.client->handle_timeout(p.now);
    p.pump();
    EXPECT_FALSE(p.client->next_timeout());
    data_both_ways(p, "after");
}

TEST(KeyUpdateFlow, RefusedOnDtls12AndBeforeCompletion) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.start());
    auto early = p.client->update_keys(p.now);
    ASSERT_FALSE(early);
    EXPECT_EQ(early.error().code, ErrorCode::invalid_state);
    p.pump();
    ASSERT_EQ(p.client->state(), State::established) << p.describe();

    Pair old = make_dtls13_pair();
    old.server_config.max_version = ProtocolVersion::dtls1_2;
    ASSERT_TRUE(old.handshake()) << old.describe();
    auto refused = old.client->update_keys(old.now);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_state);
    EXPECT_EQ(old.client->state(), State::established);
    data_both_ways(old, "1.2");
}

}  // namespace
}  // namespace dtls::test
