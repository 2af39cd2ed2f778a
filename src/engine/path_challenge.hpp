// The initiator's side of one RFC 9853 path validation: the cookies of the
// path_challenge messages sent for it and when the current one times out.
// Each copy carries a fresh cookie (RFC 9853 5.3: each MUST contain random
// data), and a path_response echoing any of them validates the path, so a
// late answer to an earlier copy still counts. The engine sends and seals;
// this only keeps count.
#pragma once

#include <array>
#include <optional>
#include <span>

#include "dtls/config.hpp"
#include "messages/return_routability_check.hpp"

namespace dtls::engine {

class PathChallenge {
public:
    // RFC 9853 5.5: T is 1 second when the RTT of the path is not known
    // (the new path's is not). Each copy waits T; after the last one the
    // validation has failed.
    static constexpr Duration kTimeout = std::chrono::seconds(1);
    static constexpr size_t kMaxChallenges = 3;

    bool active() const { return sent_ != 0; }
    bool can_send() const { return sent_ < kMaxChallenges; }
    std::optional<Instant> deadline() const { return deadline_; }
    bool expired(Instant now) const { return deadline_ && now >= *deadline_; }
    // A copy carrying `cookie` went out at `now`.
    void sent(const messages::RrcCookie& cookie, Instant now);
    // Whether `cookie` is one we sent in this validation (constant time:
    // compared with every cookie sent, whatever matches).
    bool answered_by(const messages::RrcCookie& cookie) const;
    // Ends the validation (answered, given up, or replaced by a new one);
    // its cookies are wiped so no later answer matches them.
    void reset();

private:
    std::array<messages::RrcCookie, kMaxChallenges> cookies_{};
    size_t sent_ = 0;
    std::optional<Instant> deadline_;
};

}  // namespace dtls::engine
