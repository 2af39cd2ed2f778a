// Record sequence numbers with real keys (RFC 6347 4.1.2.6): replayed
// records are dropped, records older than the 64-record window are dropped,
// authentic records ahead of it are accepted and move it, and forged records
// never move it (OpenSSL CVE-2016-2181), so genuine traffic keeps flowing.
#include <gtest/gtest.h>

#include "evil/bystander.hpp"
#include "evil/outcome.hpp"
#include "evil/stages.hpp"

namespace dtls::test {
namespace {

using record::ContentType;

std::vector<std::string> data_of(const std::vector<Event>& events) { return Pair::data_of(events); }

struct Established {
    Bystander bystander;
    EvilPeer e;

    bool start() {
        bystander.talk("before");
        return e.start() && e.advance_to(Direction::to_client, NextUnit::established()) && e.m.established();
    }
};

// Authentic application data toward `d` with an explicit record sequence.
Bytes data_at(EvilPeer& e, Direction d, const std::string& text, uint64_t sequence) {
    return e.seal_toward(d, ContentType::application_data, span_of(text), sequence);
}

// conformance: RFC6347-4.1.2.6-3
TEST(Replay, EveryReplayedRecordIsDroppedAndEachDeliveredOnce) {
    for (Direction d : {Direction::to_client, Direction::to_server}) {
        Established s;
        ASSERT_TRUE(s.start());
        EvilPeer& e = s.e;
        Connection& sender = d == Direction::to_client ? *e.m.server_conn : *e.m.client;
        for (const char* text : {"one", "two", "three"}) ASSERT_TRUE(sender.send(span_of(text), e.m.now));
        e.flush();
        const std::deque<Unit> genuine = e.queue(d);
        ASSERT_EQ(genuine.size(), 3u);
        const uint64_t dropped_before = e.target(d).stats().records_dropped;
        e.finish();
        for (int round = 0; round < 3; ++round) {
            for (const Unit& u : genuine) e.deliver(d, u.record);
        }
        EXPECT_EQ(data_of(e.events(d)), (std::vector<std::string>{"one", "two", "three"}));
        EXPECT_EQ(e.target(d).stats().records_dropped, dropped_before + 9);
        EXPECT_EQ(e.target(d).state(), State::established);
        EXPECT_TRUE(e.carries_data("after the replays"));
        s.bystander.expect_unharmed();
    }
}

TEST(Replay, AuthenticRecordsOutOfOrderWithinTheWindowAreDeliveredOnceEach) {
    Established s;
    ASSERT_TRUE(s.start());
    EvilPeer& e = s.e;
    for (auto [text, seq] : {std::pair{"sixty", 60}, {"fifty", 50}, {"fifty-five", 55}, {"fifty again", 50},
                             {"sixty again", 60}}) {
        e.deliver(Direction::to_client, data_at(e, Direction::to_client, text, seq));
    }
    EXPECT_EQ(data_of(e.m.client_events), (std::vector<std::string>{"sixty", "fifty", "fifty-five"}));
    EXPECT_EQ(e.m.client->state(), State::established);
    s.bystander.expect_unharmed();
}

TEST(StaleSequence, RecordsOlderThanTheWindowAreDropped) {
    for (Direction d : {Direction::to_client, Direction::to_server}) {
        Established s;
        ASSERT_TRUE(s.start());
        EvilPeer& e = s.e;
        // Far ahead: authentic, so accepted, and the window moves to it.
        e.deliver(d, data_at(e, d, "ahead", 1000));
        // 64 behind the highest: outside the window even though never seen.
        e.deliver(d, data_at(e, d, "stale", 1000 - 64));
        // 63 behind: the oldest still inside.
        e.deliver(d, data_at(e, d, "oldest inside", 1000 - 63));
        EXPECT_EQ(data_of(e.events(d)), (std::vector<std::string>{"ahead", "oldest inside"}));
        EXPECT_EQ(e.target(d).state(), State::established);
        s.bystander.expect_unharmed();
    }
}

// Forged records claiming far-future sequence numbers must not move the
// window: if they did, the genuine records after them would all look stale.
// conformance: RFC6347-4.1.2.6-7
TEST(FutureSequence, ForgedRecordsDoNotMoveTheWindow) {
    for (Direction d : {Direction::to_client, Direction::to_server}) {
        Established s;
        ASSERT_TRUE(s.start());
        EvilPeer& e = s.e;
        const uint64_t dropped_before = e.target(d).stats().records_dropped;
        for (uint64_t seq : {record::kMaxSequence, uint64_t{1} << 40, uint64_t{1000}, uint64_t{100}}) {
            Bytes forged = data_at(e, d, "forged", seq);
            forged.back() ^= 0x80;  // the tag no longer verifies
            e.deliver(d, forged);
        }
        EXPECT_EQ(e.target(d).stats().records_dropped, dropped_before + 4);
        EXPECT_EQ(EvilPeer::data_count(e.events(d)), 0u);
        EXPECT_TRUE(e.carries_data("after forged future records"));
        s.bystander.expect_unharmed();
    }
}

// The same before the handshake completes: a forged epoch 1 record with the
// highest sequence number, just before the genuine Finished (sequence 0).
TEST(FutureSequence, ForgedRecordBeforeTheFinishedDoesNotBlockIt) {
    for (const char* name : {"ClientWaitsForFinished", "ServerWaitsForFinished"}) {
        const Stage* stage = nullptr;
        for (const Stage& st : all_stages()) {
            if (std::string(st.name) == name) stage = &st;
        }
        ASSERT_NE(stage, nullptr);
        Bystander bystander;
        EvilPeer e;
        ASSERT_TRUE(e.start());
        ASSERT_TRUE(e.advance_to(stage->toward, stage->next));
        const Before before = Before::of(e, stage->toward);
        Bytes forged = e.protected_message(stage->toward, messages::HandshakeType::finished,
                                           e.next_message_seq(stage->toward), Bytes(12, 0), record::kMaxSequence);
        forged.back() ^= 0x80;
        e.deliver(stage->toward, forged);
        expect_outcome(e, stage->toward, dropped("does not authenticate, window unmoved (CVE-2016-2181)"), before);
        bystander.expect_unharmed();
    }
}

}  // namespace
}  // namespace dtls::test
