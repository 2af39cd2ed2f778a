// Path MTU back-off (RFC 6347 4.1.1.1, RFC 9147 4.4): when a flight keeps
// going unanswered, the path may be dropping datagrams above some size
// without telling anyone (an ICMP "too big" that never arrives, or that a
// sans-I/O engine never sees). After `after` timer retransmissions at one
// MTU, the next retransmission uses the next smaller of
// Config::pmtu_backoff_steps, down to Config::pmtu_floor.
//
// A step is taken only if it makes the flight's datagrams smaller: a flight
// whose largest datagram already fits the next step was not lost for its
// size, and lowering the MTU would only shrink later application records.
// The caller keeps the MTU; this only says when and to what to lower it.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>

#include "dtls/config.hpp"

namespace dtls::transport {

class MtuBackoff {
public:
    // `after` timer retransmissions at one MTU before stepping down; 0: never.
    explicit MtuBackoff(unsigned after) : after_(after) {}

    // A new flight, or a new MTU from the application: nothing has been
    // tried at this size yet.
    void restart() {
        retransmits_at_size_ = 0;
        largest_sent_ = 0;
    }

    // A datagram of the current flight went out.
    void sent(size_t size) { largest_sent_ = std::max(largest_sent_, size); }

    // The retransmission timer fired and the flight is about to be resent
    // at `mtu`. Returns the smaller MTU to resend it at, if the flight has
    // gone unanswered `after` times at this size and a smaller step helps.
    std::optional<size_t> before_retransmit(size_t mtu) {
        if (after_ == 0) return std::nullopt;
        std::optional<size_t> smaller;
        if (retransmits_at_size_ >= after_) {
            // The sizes that would change anything lie below both the MTU and
            // the largest datagram actually sent at it.
            const size_t limit = std::min(mtu, largest_sent_);
            for (size_t step : Config::pmtu_backoff_steps) {
                if (step < limit) {
                    smaller = step;
                    break;
                }
            }
            if (smaller) restart();
        }
        ++retransmits_at_size_;
        return smaller;
    }

private:
    unsigned after_;
    unsigned retransmits_at_size_ = 0;  // timer retransmissions since the flight started or the MTU changed
    size_t largest_sent_ = 0;           // the largest datagram of the flight since then
};

}  // namespace dtls::transport
