#include "engine/path_challenge.hpp"

#include "crypto/secret.hpp"

namespace dtls::engine {

void PathChallenge::sent(const messages::RrcCookie& cookie, Instant now) {
    if (sent_ == kMaxChallenges) return;
    cookies_[sent_++] = cookie;
    deadline_ = now + kTimeout;
}

bool PathChallenge::answered_by(const messages::RrcCookie& cookie) const {
    bool match = false;
    for (size_t i = 0; i < sent_; ++i) match |= crypto::equal_constant_time(cookies_[i], cookie);
    return match;
}

void PathChallenge::reset() {
    for (messages::RrcCookie& cookie : cookies_) crypto::cleanse(cookie);
    sent_ = 0;
    deadline_.reset();
}

}  // namespace dtls::engine
