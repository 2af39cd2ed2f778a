#include <gtest/gtest.h>

#include <random>
#include <set>

#include "record/replay_window.hpp"

namespace dtls::record {
namespace {

// conformance: RFC6347-4.1.2.6-2 RFC9147-4.5.1-2
TEST(ReplayWindow, FreshUntilMarked) {
    ReplayWindow w;
    EXPECT_TRUE(w.is_fresh(0));
    w.mark(0);
    EXPECT_FALSE(w.is_fresh(0));
    EXPECT_TRUE(w.is_fresh(1));
}

// conformance: RFC6347-4.1.2.6-5
TEST(ReplayWindow, OutOfOrderWithinWindowAccepted) {
    ReplayWindow w;
    w.mark(100);
    EXPECT_TRUE(w.is_fresh(99));
    EXPECT_TRUE(w.is_fresh(100 - ReplayWindow::kSize + 1));
    EXPECT_FALSE(w.is_fresh(100 - ReplayWindow::kSize));
    w.mark(99);
    EXPECT_FALSE(w.is_fresh(99));
    EXPECT_TRUE(w.is_fresh(98));
}

TEST(ReplayWindow, LargeJumpForgetsOldBits) {
    ReplayWindow w;
    w.mark(5);
    w.mark(5 + 1000);
    EXPECT_FALSE(w.is_fresh(5));
    EXPECT_FALSE(w.is_fresh(1005));
    EXPECT_TRUE(w.is_fresh(1004));
}

TEST(ReplayWindow, MaximumSequenceNumber) {
    ReplayWindow w;
    const uint64_t max = (uint64_t{1} << 48) - 1;
    w.mark(max);
    EXPECT_FALSE(w.is_fresh(max));
    EXPECT_TRUE(w.is_fresh(max - 1));
}

// Property: whatever order records arrive in, each sequence number is
// accepted at most once, and never one older than the window behind the
// highest accepted.
// conformance: RFC6347-4.1.2.6-1 RFC6347-4.1.2.6-3
TEST(ReplayWindow, NeverAcceptsTwiceOrTooOld) {
    for (uint32_t seed = 1; seed <= 200; ++seed) {
        std::mt19937_64 rng(seed);
        ReplayWindow w;
        std::set<uint64_t> accepted;
        uint64_t highest = 0;
        bool any = false;
        for (int i = 0; i < 2000; ++i) {
            uint64_t seq = rng() % 512;
            if (!w.is_fresh(seq)) continue;
            ASSERT_TRUE(accepted.insert(seq).second) << "seed " << seed << " seq " << seq << " accepted twice";
            if (any) {
                ASSERT_LT(highest - std::min(highest, seq), ReplayWindow::kSize) << "seed " << seed;
            }
            w.mark(seq);
            highest = any ? std::max(highest, seq) : seq;
            any = true;
        }
    }
}

}  // namespace
}  // namespace dtls::record
