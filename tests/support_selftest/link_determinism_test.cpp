// The link on its own, with scripted endpoints whose every byte depends only on
// what they received: a run must replay exactly for a seed, timers must fire in
// virtual time, and the bounds must hold.
#include <gtest/gtest.h>

#include <string>

#include "support/impaired_link.hpp"

namespace dtls::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Instant start = Instant{} + seconds(100);

struct Arrival {
    Instant at;
    std::vector<uint8_t> data;
    bool operator==(const Arrival&) const = default;
};

// Sends `count` numbered probes of growing size at once; resends those not
// yet echoed every second, three times at most. Done when all are echoed.
class Prober : public LinkPeer {
public:
    Prober(size_t count, Instant now) : echoed_(count, false), deadline_(now + seconds(1)) {
        for (size_t i = 0; i < count; ++i) queue_probe(i);
    }
    void receive(std::span<const uint8_t> datagram, Instant now) override {
        arrivals_.push_back({now, {datagram.begin(), datagram.end()}});
        if (datagram.size() >= 2 && datagram[1] < echoed_.size()) echoed_[datagram[1]] = true;
    }
    bool poll_datagram(std::vector<uint8_t>& out) override {
        if (outbox_.empty()) return false;
        out = std::move(outbox_.front());
        outbox_.erase(outbox_.begin());
        return true;
    }
    std::optional<Instant> next_timeout() const override {
        if (done() || resends_ == 3) return std::nullopt;
        return deadline_;
    }
    void handle_timeout(Instant now) override {
        if (now < deadline_) return;
        ++resends_;
        deadline_ = now + seconds(1);
        for (size_t i = 0; i < echoed_.size(); ++i)
            if (!echoed_[i]) queue_probe(i);
    }
    bool done() const override { return std::all_of(echoed_.begin(), echoed_.end(), [](bool e) { return e; }); }

    const std::vector<Arrival>& arrivals() const { return arrivals_; }
    int resends() const { return resends_; }

private:
    void queue_probe(size_t i) {
        std::vector<uint8_t> probe(40 + 20 * i, static_cast<uint8_t>(resends_));
        probe[0] = 'P';
        probe[1] = static_cast<uint8_t>(i);
        outbox_.push_back(std::move(probe));
    }

    std::vector<bool> echoed_;
    std::vector<std::vector<uint8_t>> outbox_;
    std::vector<Arrival> arrivals_;
    Instant deadline_;
    int resends_ = 0;
};

// Answers every datagram with a copy marked 'E'. Never has a timer.
class Echo : public LinkPeer {
public:
    void receive(std::span<const uint8_t> datagram, Instant now) override {
        arrivals_.push_back({now, {datagram.begin(), datagram.end()}});
        std::vector<uint8_t> echo(datagram.begin(), datagram.end());
        echo[0] = 'E';
        outbox_.push_back(std::move(echo));
    }
    bool poll_datagram(std::vector<uint8_t>& out) override {
        if (outbox_.empty()) return false;
        out = std::move(outbox_.front());
        outbox_.erase(outbox_.begin());
        return true;
    }
    std::optional<Instant> next_timeout() const override { return std::nullopt; }
    void handle_timeout(Instant) override {}
    bool done() const override { return true; }
    const std::vector<Arrival>& arrivals() const { return arrivals_; }

private:
    std::vector<std::vector<uint8_t>> outbox_;
    std::vector<Arrival> arrivals_;
};

struct Outcome {
    LinkStats stats;
    std::vector<Arrival> at_prober;
    std::vector<Arrival> at_echo;
    bool finished = false;
    bool operator==(const Outcome&) const = default;
};

LinkOptions impaired(uint64_t seed) {
    LinkOptions o;
    o.seed = seed;
    o.loss_a_to_b = 0.2;
    o.loss_b_to_a = 0.3;
    o.duplicate = 0.2;
    o.reorder = 0.3;
    o.mtu = 300;
    return o;
}

Outcome run(const LinkOptions& options, size_t probes = 16) {
    Prober prober(probes, start);
    Echo echo;
    Link link(prober, echo, options, start);
    Outcome outcome;
    outcome.finished = link.run_until([&] { return prober.done(); });
    outcome.stats = link.stats();
    outcome.at_prober = prober.arrivals();
    outcome.at_echo = echo.arrivals();
    return outcome;
}

TEST(LinkDeterminism, SameSeedReplaysByteForByteAndTickForTick) {
    for (uint64_t seed : {1u, 2u, 99u}) {
        Outcome first = run(impaired(seed));
        Outcome second = run(impaired(seed));
        EXPECT_EQ(first, second) << "seed " << seed;
        EXPECT_GT(first.stats.a_to_b.dropped + first.stats.b_to_a.dropped, 0u);
    }
}

TEST(LinkDeterminism, DifferentSeedsTakeDifferentPaths) {
    Outcome reference = run(impaired(1));
    int different = 0;
    for (uint64_t seed = 2; seed <= 5; ++seed) different += run(impaired(seed)).at_echo != reference.at_echo;
    EXPECT_GE(different, 3);
}

TEST(Link, CleanPathDeliversEverythingAfterTheLatency) {
    LinkOptions options;
    options.latency = milliseconds(7);
    Outcome outcome = run(options, 4);
    ASSERT_TRUE(outcome.finished);
    ASSERT_EQ(outcome.at_echo.size(), 4u);
    for (size_t i = 0; i < 4; ++i) {
        EXPECT_EQ(outcome.at_echo[i].at, start + milliseconds(7));
        EXPECT_EQ(outcome.at_echo[i].data[1], i) << "sent order is kept without reordering";
    }
    EXPECT_EQ(outcome.stats.elapsed, milliseconds(14));
    EXPECT_EQ(outcome.stats.a_to_b.bytes, 40u + 60 + 80 + 100);
    EXPECT_EQ(outcome.stats.b_to_a.delivered, 4u);
    EXPECT_EQ(outcome.stats.timeouts, 0u);
    EXPECT_EQ(outcome.stats.rounds, 8u);  // four deliveries each way
}

TEST(Link, OversizeDatagramsAreDroppedAndCountedNeverDelivered) {
    LinkOptions options;
    options.mtu = 100;  // probes are 40, 60, 80, 100, 120, 140 bytes
    Outcome outcome = run(options, 6);
    EXPECT_FALSE(outcome.finished);
    EXPECT_EQ(outcome.at_echo.size(), 4u);  // only the four that fit, however often the others are resent
    for (const Arrival& a : outcome.at_echo) EXPECT_LE(a.data.size(), 100u);
    EXPECT_EQ(outcome.stats.a_to_b.oversize_dropped, 2u * 4);  // sent once and resent three times
}

TEST(Link, TimersFireInVirtualTimeWhenNothingIsInFlight) {
    LinkOptions options;
    options.loss_a_to_b = 1.0;  // nothing gets through: only timers move the clock
    Prober prober(2, start);
    Echo echo;
    Link link(prober, echo, options, start);
    EXPECT_FALSE(link.run_until([&] { return prober.done(); }));
    EXPECT_EQ(prober.resends(), 3);
    EXPECT_EQ(link.stats().timeouts, 3u);
    EXPECT_EQ(link.now(), start + seconds(3));  // stopped when nothing was left to happen
    EXPECT_EQ(link.stats().a_to_b.dropped, 8u);
}

TEST(Link, VirtualTimeBudgetBoundsARun) {
    LinkOptions options;
    options.loss_a_to_b = 1.0;
    Prober prober(1, start);
    Echo echo;
    Link link(prober, echo, options, start);
    RunLimits limits;
    limits.max_virtual_time = milliseconds(2500);
    EXPECT_FALSE(link.run_until([&] { return prober.done(); }, limits));
    EXPECT_EQ(prober.resends(), 2);  // at 1 s and 2 s; the one at 3 s is beyond the budget
    EXPECT_LE(link.now(), start + milliseconds(2500));
}

TEST(Link, RoundBudgetBoundsARun) {
    Prober prober(16, start);
    Echo echo;
    Link link(prober, echo, LinkOptions{}, start);
    RunLimits limits;
    limits.max_rounds = 5;
    EXPECT_FALSE(link.run_until([&] { return prober.done(); }, limits));
    EXPECT_EQ(link.stats().rounds, 5u);
}

}  // namespace
}  // namespace dtls::test
