// The Finished messages with real keys: the evil peer's keys are the real
// ones; a genuine Finished without its ChangeCipherSpec never completes a
// handshake; an authentic retransmission of the client's Finished is
// answered with the server's last flight and nothing more.
#include <gtest/gtest.h>

#include "evil/bystander.hpp"
#include "evil/client_flight.hpp"
#include "evil/outcome.hpp"
#include "evil/stages.hpp"

namespace dtls::test {
namespace {

using record::ContentType;

// Everything the tables inject in epoch 1 rests on this.
TEST(EvilKeys, KeysFromTheKeyLogOpenBothFinishedMessagesAndRecomputeThem) {
    EvilPeer e;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, NextUnit::established()));
    ASSERT_TRUE(e.has_keys());
    const std::optional<Bytes> client_finished = e.finished_sent_by(Role::client);
    const std::optional<Bytes> server_finished = e.finished_sent_by(Role::server);
    ASSERT_TRUE(client_finished.has_value()) << "the client's Finished does not open with the derived keys";
    ASSERT_TRUE(server_finished.has_value()) << "the server's Finished does not open with the derived keys";

    Bytes transcript = transcript_before_client_flight(e);
    for (const Unit& u : e.messages_sent_by(Role::client)) {
        if (u.message_seq >= 2) append_transcript_form(*u.message, u.message_seq, u.body, transcript);
    }
    EXPECT_EQ(finished_verify_data(*e.keys(), true, transcript), *client_finished);
    append_transcript_form(messages::HandshakeType::finished, 5, *client_finished, transcript);
    EXPECT_EQ(finished_verify_data(*e.keys(), false, transcript), *server_finished);
}

// Delivers the held genuine Finished toward `d` but never the
// ChangeCipherSpec before it.
void finished_without_change_cipher_spec(EvilPeer& e, Direction d) {
    std::deque<Unit>& q = e.queue(d);
    ASSERT_FALSE(q.empty());
    ASSERT_TRUE(q.front().is_change_cipher_spec());
    q.pop_front();
    ASSERT_FALSE(q.empty());
    ASSERT_TRUE(q.front().is_protected());
    e.deliver_next(d);
}

TEST(FinishedWithoutChangeCipherSpec, ClientNeverCompletes) {
    Bystander bystander;
    EvilPeer e;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, NextUnit::ccs()));
    const Before before = Before::of(e, Direction::to_client);
    finished_without_change_cipher_spec(e, Direction::to_client);
    expect_outcome(e, Direction::to_client,
                   {Outcome::incomplete, std::nullopt, "the Finished stays a future-epoch record (RFC 6347 4.1)"},
                   before);
    bystander.expect_unharmed();
}

TEST(FinishedWithoutChangeCipherSpec, ServerNeverCompletes) {
    Bystander bystander;
    EvilPeer e;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_server, NextUnit::ccs()));
    const Before before = Before::of(e, Direction::to_server);
    finished_without_change_cipher_spec(e, Direction::to_server);
    expect_outcome(e, Direction::to_server,
                   {Outcome::incomplete, std::nullopt, "the Finished stays a future-epoch record (RFC 6347 4.1)"},
                   before);
    bystander.expect_unharmed();
}

// RFC 6347 4.2.4: the server, having sent the last flight, answers a
// retransmission of the client's last flight by sending its own again. An
// authentic copy of the client's Finished is such a retransmission; it must
// not complete anything a second time.
// conformance: RFC6347-4.2.4-1 RFC6347-4.2.5-1
TEST(FinishedTwice, RetransmittedClientFinishedMakesTheServerResendOnly) {
    Bystander bystander;
    EvilPeer e;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_server, NextUnit::established()));
    const Before before = Before::of(e, Direction::to_server);
    const Bytes body = *e.finished_sent_by(Role::client);
    e.deliver(Direction::to_server, e.protected_message(Direction::to_server, messages::HandshakeType::finished,
                                                        e.next_message_seq(Direction::to_server) - 1, body));
    EXPECT_EQ(e.m.server_conn->state(), State::established);
    EXPECT_EQ(count_complete(e.m.server_events), 1u);
    ASSERT_EQ(e.queue(Direction::to_client).size(), 2u) << "expected the server's CCS and Finished again";
    EXPECT_TRUE(e.queue(Direction::to_client)[0].is_change_cipher_spec());
    EXPECT_TRUE(e.queue(Direction::to_client)[1].is_protected());
    EXPECT_EQ(e.alerts_emitted(Direction::to_server, before.emitted).size(), 0u);
    e.finish();
    EXPECT_EQ(count_complete(e.m.client_events), 1u);
    EXPECT_TRUE(e.carries_data("after the resend"));
    bystander.expect_unharmed();
}

}  // namespace
}  // namespace dtls::test
