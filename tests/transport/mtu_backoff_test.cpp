// MtuBackoff: when, and to what, unanswered retransmissions lower the MTU.
#include "transport/mtu_backoff.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <optional>
#include <vector>

namespace dtls::transport {
namespace {

// The MTU of each of `retransmissions` timer retransmissions of a flight whose
// datagrams fill the MTU, up to `largest` bytes, starting at `mtu`.
std::vector<size_t> schedule(MtuBackoff& backoff, size_t mtu, size_t largest, int retransmissions) {
    std::vector<size_t> sizes;
    backoff.sent(std::min(mtu, largest));
    for (int i = 0; i < retransmissions; ++i) {
        if (const std::optional<size_t> smaller = backoff.before_retransmit(mtu)) mtu = *smaller;
        backoff.sent(std::min(mtu, largest));
        sizes.push_back(mtu);
    }
    return sizes;
}

TEST(MtuBackoff, StepsDownAfterEachSizeWentUnansweredTwice) {
    MtuBackoff backoff(2);
    EXPECT_EQ(schedule(backoff, 1500, 4000, 8), (std::vector<size_t>{1500, 1500, 1200, 1200, 1000, 1000, 548, 548}));
}

TEST(MtuBackoff, StaysAtTheFloor) {
    MtuBackoff backoff(1);
    EXPECT_EQ(schedule(backoff, 1500, 4000, 6), (std::vector<size_t>{1500, 1200, 1000, 548, 548, 548}));
}

TEST(MtuBackoff, OffNeverSteps) {
    MtuBackoff backoff(0);
    EXPECT_EQ(schedule(backoff, 1500, 4000, 8), std::vector<size_t>(8, 1500));
}

TEST(MtuBackoff, SkipsStepsThatWouldNotShrinkTheDatagrams) {
    MtuBackoff backoff(2);
    // A flight whose largest datagram is 1100 bytes: 1200 would change nothing.
    EXPECT_EQ(schedule(backoff, 1500, 1100, 4), (std::vector<size_t>{1500, 1500, 1000, 1000}));
}

TEST(MtuBackoff, NeverStepsForAFlightThatFitsTheFloor) {
    MtuBackoff backoff(2);
    EXPECT_EQ(schedule(backoff, 1500, 400, 8), std::vector<size_t>(8, 1500));
}

TEST(MtuBackoff, NeverGoesBelowASmallConfiguredMtu) {
    MtuBackoff backoff(1);
    EXPECT_EQ(schedule(backoff, 300, 4000, 4), std::vector<size_t>(4, 300));
}

TEST(MtuBackoff, RestartGivesTheNewSizeItsFullCount) {
    MtuBackoff backoff(2);
    backoff.sent(1500);
    EXPECT_FALSE(backoff.before_retransmit(1500));
    EXPECT_FALSE(backoff.before_retransmit(1500));
    backoff.restart();  // a new flight, or the application's set_mtu()
    backoff.sent(1500);
    EXPECT_FALSE(backoff.before_retransmit(1500));
    EXPECT_FALSE(backoff.before_retransmit(1500));
    EXPECT_EQ(backoff.before_retransmit(1500), std::optional<size_t>(1200));
}

}  // namespace
}  // namespace dtls::transport
