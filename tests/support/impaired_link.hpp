// A simulated UDP path between two sans-I/O endpoints, in virtual time only:
// no sleeps, no real clock. Each step drains both endpoints' datagrams into
// the path (where they may be lost, duplicated, held back or dropped for
// exceeding the MTU), then performs the earliest pending event: a delivery, or
// an endpoint's timer when that comes first. The clock jumps to that event.
// Every random choice comes from one std::mt19937_64 seeded from the options,
// in a fixed order, so a run replays exactly for a given seed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <random>
#include <span>
#include <vector>

#include "dtls/config.hpp"

namespace dtls::test {

// One side of the link: anything that takes datagrams and time and produces
// datagrams and a timer, like dtls::Connection.
class LinkPeer {
public:
    virtual ~LinkPeer() = default;
    virtual void receive(std::span<const uint8_t> datagram, Instant now) = 0;
    // Writes the next datagram to send into `out`; false when none is waiting.
    virtual bool poll_datagram(std::vector<uint8_t>& out) = 0;
    virtual std::optional<Instant> next_timeout() const = 0;
    virtual void handle_timeout(Instant now) = 0;
    // The handshake is over: completed, or failed for good.
    virtual bool done() const = 0;
};

struct LinkOptions {
    uint64_t seed = 1;
    double loss_a_to_b = 0.0;  // probability that a datagram from a to b is lost
    double loss_b_to_a = 0.0;
    double duplicate = 0.0;  // probability that a delivered datagram arrives twice
    double reorder = 0.0;    // probability that a datagram is held back by reorder_delay
    size_t mtu = 65535;      // larger datagrams are dropped, as a real path would
    Duration latency = std::chrono::milliseconds(10);
    Duration reorder_delay = std::chrono::milliseconds(25);  // lets later datagrams overtake
};

struct DirectionStats {
    uint64_t datagrams = 0;  // handed to the link by the sender
    uint64_t bytes = 0;
    uint64_t delivered = 0;  // handed to the receiver, duplicates included
    uint64_t dropped = 0;    // lost at random
    uint64_t oversize_dropped = 0;
    uint64_t duplicated = 0;
    uint64_t reordered = 0;
    bool operator==(const DirectionStats&) const = default;
};

struct LinkStats {
    DirectionStats a_to_b;
    DirectionStats b_to_a;
    uint64_t timeouts = 0;   // handle_timeout calls made
    uint64_t rounds = 0;     // events performed (deliveries and timeouts)
    Duration elapsed{};      // virtual time since the link was made
    uint64_t queue_overflow = 0;  // datagrams refused because max_in_flight was reached
    bool operator==(const LinkStats&) const = default;
};

struct RunLimits {
    Duration max_virtual_time = std::chrono::minutes(10);  // from the start of this run
    uint64_t max_rounds = 100000;
};

class Link {
public:
    static constexpr size_t max_in_flight = 10000;

    // The endpoints must outlive the link.
    Link(LinkPeer& a, LinkPeer& b, LinkOptions options, Instant start);

    // Steps until `until` holds (checked after every step, and once before
    // the first) and returns true; returns false when the limits are reached
    // or nothing is left to happen (no datagram in flight, no timer).
    bool run_until(const std::function<bool()>& until, RunLimits limits = {});
    // Until both endpoints are done().
    bool run_until_done(RunLimits limits = {});
    // Performs every event due up to now + duration, then sets the clock there.
    void run_for(Duration duration, RunLimits limits = {});

    Instant now() const { return now_; }
    const LinkStats& stats() const { return stats_; }
    // Impairments may be changed between runs (e.g. no loss after the handshake).
    LinkOptions& options() { return options_; }
    size_t in_flight() const { return in_flight_.size(); }

private:
    struct InFlight {
        Instant at;
        uint64_t order;  // ties resolved by the order datagrams entered the link
        bool to_b;
        std::vector<uint8_t> data;
    };

    enum class StepResult { performed, idle, beyond_limit };

    void collect_outgoing();
    void send_into_link(bool to_b, std::vector<uint8_t> datagram);
    bool chance(double probability);
    StepResult step(Instant limit);
    std::optional<size_t> earliest_delivery() const;

    LinkPeer& a_;
    LinkPeer& b_;
    LinkOptions options_;
    Instant start_;
    Instant now_;
    uint64_t next_order_ = 0;
    std::vector<InFlight> in_flight_;
    LinkStats stats_;
    std::mt19937_64 random_;
};

}  // namespace dtls::test
