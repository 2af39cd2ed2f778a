// The flight retransmission timer of RFC 6347 4.2.4: it starts at an initial
// value, doubles on every expiry up to a cap, and gives up after a limit.
//
// Once a flight has been answered without being resent (or by an answer that
// names the sending it answers: see send_times.hpp), its round trip is
// known, and later flights start at 1.5 times it instead (RFC 9147 5.8.2),
// never below kFloor (or the initial value, if that is lower) nor above the
// cap: a lost datagram then costs a round trip or two rather than a second.
// The first flight has no measurement and starts at the initial value.
#pragma once

#include <algorithm>
#include <optional>

#include "dtls/config.hpp"

namespace dtls::transport {

class RetransmitTimer {
public:
    // The shortest period a measured round trip can give: a timer much
    // shorter than the peer's time to compute its answer (a signature, a
    // key share) would resend flights that are not lost.
    static constexpr Duration kFloor = std::chrono::milliseconds(100);

    RetransmitTimer(Duration initial, Duration max, unsigned max_retransmits, bool adapt_to_round_trip)
        : initial_(initial),
          max_(max),
          max_retransmits_(max_retransmits),
          adapt_(adapt_to_round_trip),
          start_(initial),
          current_(initial) {}

    // Arms the timer for a new flight: back to the starting value (the
    // initial one, or 1.5 times the measured round trip).
    void start_new_flight(Instant now) {
        current_ = start_;
        retransmits_ = 0;
        deadline_ = now + current_;
    }
    void stop() { deadline_.reset(); }
    std::optional<Instant> deadline() const { return deadline_; }
    bool expired(Instant now) const { return deadline_ && now >= *deadline_; }

    // Called on expiry: false when the retry limit is reached; otherwise
    // doubles the timeout and re-arms it.
    bool back_off(Instant now) {
        if (retransmits_ >= max_retransmits_) {
            deadline_.reset();
            return false;
        }
        ++retransmits_;
        current_ = std::min(current_ * 2, max_);
        deadline_ = now + current_;
        return true;
    }

    // The flight was just resent for another reason than expiry (the peer
    // resent its flight, or acknowledged part of ours): the next expiry is
    // a full period from now, not from the earlier sending.
    void rearm(Instant now) {
        if (deadline_) deadline_ = now + current_;
    }

    // A flight of ours was answered `round_trip` after it was sent, with
    // no retransmission in between (so the answer is to that sending).
    void measured(Duration round_trip) {
        if (!adapt_) return;
        start_ = std::clamp(round_trip * 3 / 2, std::min(kFloor, initial_), max_);
    }
    // What the next flight's timer starts at.
    Duration starting_period() const { return start_; }

    unsigned retransmits() const { return retransmits_; }
    // The current period: the initial value, doubled by each expiry.
    Duration period() const { return current_; }
    unsigned max_retransmits() const { return max_retransmits_; }

private:
    Duration initial_, max_;
    unsigned max_retransmits_;
    bool adapt_;
    Duration start_;
    Duration current_;
    unsigned retransmits_ = 0;
    std::optional<Instant> deadline_;
};

}  // namespace dtls::transport
