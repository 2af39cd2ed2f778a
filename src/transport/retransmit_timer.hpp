// The flight retransmission timer of RFC 6347 4.2.4: it starts at an initial
// value, doubles on every expiry up to a cap, and gives up after a limit.
#pragma once

#include <algorithm>
#include <optional>

#include "dtls/config.hpp"

namespace dtls::transport {

class RetransmitTimer {
public:
    RetransmitTimer(Duration initial, Duration max, unsigned max_retransmits)
        : initial_(initial), max_(max), max_retransmits_(max_retransmits), current_(initial) {}

    // Arms the timer for a new flight: back to the initial value.
    void start_new_flight(Instant now) {
        current_ = initial_;
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

    unsigned retransmits() const { return retransmits_; }
    // The current period: the initial value, doubled by each expiry.
    Duration period() const { return current_; }
    unsigned max_retransmits() const { return max_retransmits_; }

private:
    Duration initial_, max_;
    unsigned max_retransmits_;
    Duration current_;
    unsigned retransmits_ = 0;
    std::optional<Instant> deadline_;
};

}  // namespace dtls::transport
