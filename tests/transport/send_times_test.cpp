// Which sending of a ClientHello flight an echoed record number names, and
// its round trip (RFC 6347 4.2.1's echo in a HelloVerifyRequest).
#include <gtest/gtest.h>

#include "transport/send_times.hpp"

namespace dtls::transport {
namespace {

using namespace std::chrono_literals;

const Instant t0 = Instant{} + 1h;

TEST(SendTimes, AnEchoNamesTheSendingThatUsedTheRecordNumber) {
    SendTimes times;
    times.sending(0, t0);             // record 0
    times.sending(1, t0 + 1s);        // records 1 and 2 (a hello in two records)
    times.sending(3, t0 + 3s);        // record 3; the next record will be 4
    const Instant now = t0 + 3200ms;
    EXPECT_EQ(times.round_trip(0, 4, now), 3200ms);
    EXPECT_EQ(times.round_trip(1, 4, now), 2200ms);
    EXPECT_EQ(times.round_trip(2, 4, now), 2200ms);
    EXPECT_EQ(times.round_trip(3, 4, now), 200ms);
}

TEST(SendTimes, ANumberNeverSentGivesNoRoundTrip) {
    SendTimes times;
    EXPECT_FALSE(times.round_trip(0, 0, t0)) << "nothing sent";
    times.sending(5, t0);
    EXPECT_FALSE(times.round_trip(4, 6, t0 + 1s)) << "before the first sending";
    EXPECT_FALSE(times.round_trip(6, 6, t0 + 1s)) << "not sent yet";
    times.clear();
    EXPECT_FALSE(times.round_trip(5, 6, t0 + 1s)) << "a new flight forgets the old one's sendings";
}

TEST(SendTimes, OnlyTheNewestSendingsAreKept) {
    SendTimes times;
    for (uint64_t i = 0; i < SendTimes::kMaxSendings + 2; ++i) times.sending(i, t0 + std::chrono::seconds(i));
    const uint64_t next = SendTimes::kMaxSendings + 2;
    EXPECT_FALSE(times.round_trip(0, next, t0 + 100s));
    EXPECT_FALSE(times.round_trip(1, next, t0 + 100s));
    EXPECT_EQ(times.round_trip(2, next, t0 + 100s), 98s);
    EXPECT_EQ(times.round_trip(next - 1, next, t0 + 100s), 100s - std::chrono::seconds(next - 1));
}

}  // namespace
}  // namespace dtls::transport
