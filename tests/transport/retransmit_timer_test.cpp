// The retransmission timer alone: its schedule, and the starting value a
// measured round trip gives later flights (RFC 9147 5.8.2).
#include <gtest/gtest.h>

#include "transport/retransmit_timer.hpp"

namespace dtls::transport {
namespace {

using namespace std::chrono_literals;

const Instant t0 = Instant{} + 1h;

// conformance: RFC6347-4.2.4.1-1
TEST(RetransmitTimer, DoublesFromTheInitialValueUpToTheCapThenGivesUp) {
    RetransmitTimer timer(1s, 3s, 3, true);
    timer.start_new_flight(t0);
    EXPECT_EQ(timer.deadline(), t0 + 1s);
    ASSERT_TRUE(timer.back_off(t0 + 1s));
    EXPECT_EQ(timer.deadline(), t0 + 3s);
    ASSERT_TRUE(timer.back_off(t0 + 3s));
    EXPECT_EQ(timer.deadline(), t0 + 6s) << "capped at 3 s";
    ASSERT_TRUE(timer.back_off(t0 + 6s));
    EXPECT_FALSE(timer.back_off(t0 + 9s)) << "three retransmissions allowed";
    EXPECT_FALSE(timer.deadline());
}

TEST(RetransmitTimer, LaterFlightsStartAtOneAndAHalfRoundTrips) {
    RetransmitTimer timer(1s, 60s, 8, true);
    timer.measured(200ms);
    EXPECT_EQ(timer.starting_period(), 300ms);
    timer.start_new_flight(t0);
    EXPECT_EQ(timer.deadline(), t0 + 300ms);
    ASSERT_TRUE(timer.back_off(t0 + 300ms));
    EXPECT_EQ(timer.deadline(), t0 + 900ms) << "and doubles from there";
    timer.start_new_flight(t0 + 1s);
    EXPECT_EQ(timer.deadline(), t0 + 1300ms) << "each new flight starts again at 1.5 round trips";
}

TEST(RetransmitTimer, AMeasuredStartIsBoundedByTheFloorAndTheCap) {
    RetransmitTimer timer(1s, 2s, 8, true);
    timer.measured(1ms);
    EXPECT_EQ(timer.starting_period(), RetransmitTimer::kFloor);
    timer.measured(10s);
    EXPECT_EQ(timer.starting_period(), 2s);
    RetransmitTimer quick(40ms, 2s, 8, true);
    quick.measured(1ms);
    EXPECT_EQ(quick.starting_period(), 40ms) << "an initial value below the floor is the floor";
    // A slow path lengthens the timer as well as a fast one shortens it.
    timer.measured(1s);
    EXPECT_EQ(timer.starting_period(), 1500ms);
}

TEST(RetransmitTimer, WithoutAdaptationEveryFlightStartsAtTheInitialValue) {
    RetransmitTimer timer(1s, 60s, 8, false);
    timer.measured(200ms);
    timer.start_new_flight(t0);
    EXPECT_EQ(timer.deadline(), t0 + 1s);
}

// RFC 9147 5.8.1: a flight resent because the peer resent its own re-arms
// the timer, so the timer does not resend it again a moment later.
TEST(RetransmitTimer, ARearmedTimerRunsAFullPeriodFromTheResend) {
    RetransmitTimer timer(1s, 60s, 8, true);
    timer.start_new_flight(t0);
    timer.rearm(t0 + 600ms);
    EXPECT_EQ(timer.deadline(), t0 + 1600ms);
    EXPECT_EQ(timer.retransmits(), 0u) << "not an expiry: the retry limit is not used up";
    EXPECT_EQ(timer.period(), 1s) << "nor doubled";
    ASSERT_TRUE(timer.back_off(t0 + 1600ms));
    EXPECT_EQ(timer.deadline(), t0 + 3600ms) << "backs off from there as before";
}

TEST(RetransmitTimer, RearmingAStoppedTimerLeavesItStopped) {
    RetransmitTimer timer(1s, 60s, 8, true);
    timer.start_new_flight(t0);
    timer.stop();
    timer.rearm(t0 + 1s);
    EXPECT_FALSE(timer.deadline());
}

}  // namespace
}  // namespace dtls::transport
