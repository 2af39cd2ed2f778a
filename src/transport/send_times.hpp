// When each sending of a ClientHello flight left, by the epoch 0 record
// sequence numbers it used.
//
// A server's answer to a ClientHello (a HelloVerifyRequest, RFC 6347
// 4.2.1; ours also for a HelloRetryRequest) carries the ClientHello's
// record sequence number, and is sent afresh for each copy. That names the
// copy it answers, so its round trip is known even after the
// ClientHello was resent: the ambiguity that makes RFC 9147 5.8.2 (and
// Karn's rule) discard a resent flight's round trip does not arise.
// Without this, a ClientHello that needed a resend leaves the next flight's
// timer at the initial second.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "dtls/config.hpp"

namespace dtls::transport {

class SendTimes {
public:
    // Sendings remembered; an answer to an older one gives no round trip.
    static constexpr size_t kMaxSendings = 16;

    void clear() { sendings_.clear(); }
    // A sending starts now; its first record will have `first_sequence`.
    void sending(uint64_t first_sequence, Instant at) {
        if (sendings_.size() == kMaxSendings) sendings_.erase(sendings_.begin());
        sendings_.push_back({first_sequence, at});
    }
    // The round trip of the sending whose records include `sequence`, if
    // any: sending i used [first_i, first_i+1), the last one
    // [first, next_sequence) where `next_sequence` is the epoch's next.
    std::optional<Duration> round_trip(uint64_t sequence, uint64_t next_sequence, Instant now) const {
        for (size_t i = sendings_.size(); i-- > 0;) {
            const uint64_t end = i + 1 < sendings_.size() ? sendings_[i + 1].first_sequence : next_sequence;
            if (sequence >= sendings_[i].first_sequence && sequence < end) return now - sendings_[i].at;
        }
        return std::nullopt;
    }

private:
    struct Sending {
        uint64_t first_sequence;
        Instant at;
    };
    std::vector<Sending> sendings_;
};

}  // namespace dtls::transport
