#include "support/impaired_link.hpp"

#include <algorithm>

namespace dtls::test {

Link::Link(LinkPeer& a, LinkPeer& b, LinkOptions options, Instant start)
    : a_(a), b_(b), options_(options), start_(start), now_(start), random_(options.seed) {}

bool Link::chance(double probability) {
    // 53 random bits as a double in [0, 1): the same on every standard library.
    double draw = static_cast<double>(random_() >> 11) * 0x1.0p-53;
    return draw < probability;
}

void Link::send_into_link(bool to_b, std::vector<uint8_t> datagram) {
    DirectionStats& direction = to_b ? stats_.a_to_b : stats_.b_to_a;
    ++direction.datagrams;
    direction.bytes += datagram.size();

    // Three draws for every datagram, whatever the outcome, so one
    // impairment's setting does not shift the others' random choices.
    bool lost = chance(to_b ? options_.loss_a_to_b : options_.loss_b_to_a);
    bool held_back = chance(options_.reorder);
    bool doubled = chance(options_.duplicate);

    if (datagram.size() > options_.mtu) {
        ++direction.oversize_dropped;
        return;
    }
    if (lost) {
        ++direction.dropped;
        return;
    }
    if (in_flight_.size() + (doubled ? 2 : 1) > max_in_flight) {
        ++stats_.queue_overflow;
        return;
    }
    Instant at = now_ + options_.latency;
    if (held_back) {
        at += options_.reorder_delay;
        ++direction.reordered;
    }
    if (doubled) {
        ++direction.duplicated;
        in_flight_.push_back({at, next_order_++, to_b, datagram});
    }
    in_flight_.push_back({at, next_order_++, to_b, std::move(datagram)});
}

void Link::collect_outgoing() {
    std::vector<uint8_t> datagram;
    // An endpoint produces a bounded flight per input; the bound here only
    // protects the test from an endpoint that never stops.
    for (size_t i = 0; i < max_in_flight && a_.poll_datagram(datagram); ++i) send_into_link(true, std::move(datagram));
    for (size_t i = 0; i < max_in_flight && b_.poll_datagram(datagram); ++i) send_into_link(false, std::move(datagram));
}

std::optional<size_t> Link::earliest_delivery() const {
    std::optional<size_t> best;
    for (size_t i = 0; i < in_flight_.size(); ++i) {
        const InFlight& d = in_flight_[i];
        if (!best || d.at < in_flight_[*best].at || (d.at == in_flight_[*best].at && d.order < in_flight_[*best].order))
            best = i;
    }
    return best;
}

Link::StepResult Link::step(Instant limit) {
    std::optional<size_t> delivery = earliest_delivery();
    std::optional<Instant> timeout_a = a_.next_timeout();
    std::optional<Instant> timeout_b = b_.next_timeout();

    // The earliest event wins; on a tie a delivery goes first (it may make
    // the timer moot), then a's timer, then b's.
    enum class Kind { none, deliver, timeout_a, timeout_b } kind = Kind::none;
    Instant when{};
    auto consider = [&](std::optional<Instant> at, Kind k) {
        if (!at) return;
        Instant t = std::max(*at, now_);  // an overdue timer fires now, never in the past
        if (kind == Kind::none || t < when) {
            kind = k;
            when = t;
        }
    };
    consider(delivery ? std::optional<Instant>(in_flight_[*delivery].at) : std::nullopt, Kind::deliver);
    consider(timeout_a, Kind::timeout_a);
    consider(timeout_b, Kind::timeout_b);

    if (kind == Kind::none) return StepResult::idle;
    if (when > limit) return StepResult::beyond_limit;

    now_ = when;
    stats_.elapsed = now_ - start_;
    ++stats_.rounds;
    switch (kind) {
    case Kind::deliver: {
        InFlight d = std::move(in_flight_[*delivery]);
        in_flight_.erase(in_flight_.begin() + static_cast<std::ptrdiff_t>(*delivery));
        DirectionStats& direction = d.to_b ? stats_.a_to_b : stats_.b_to_a;
        ++direction.delivered;
        (d.to_b ? b_ : a_).receive(d.data, now_);
        break;
    }
    case Kind::timeout_a:
        ++stats_.timeouts;
        a_.handle_timeout(now_);
        break;
    case Kind::timeout_b:
        ++stats_.timeouts;
        b_.handle_timeout(now_);
        break;
    case Kind::none:
        break;
    }
    collect_outgoing();
    return StepResult::performed;
}

bool Link::run_until(const std::function<bool()>& until, RunLimits limits) {
    const Instant limit = now_ + limits.max_virtual_time;
    collect_outgoing();
    if (until()) return true;
    for (uint64_t rounds = 0; rounds < limits.max_rounds; ++rounds) {
        if (step(limit) != StepResult::performed) return false;
        if (until()) return true;
    }
    return false;
}

bool Link::run_until_done(RunLimits limits) {
    return run_until([this] { return a_.done() && b_.done(); }, limits);
}

void Link::run_for(Duration duration, RunLimits limits) {
    const Instant target = now_ + duration;
    collect_outgoing();
    for (uint64_t rounds = 0; rounds < limits.max_rounds; ++rounds)
        if (step(target) != StepResult::performed) break;
    now_ = std::max(now_, target);
    stats_.elapsed = now_ - start_;
}

}  // namespace dtls::test
