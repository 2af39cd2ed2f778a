#include "frontdoor/cookie_secret.hpp"

#include "crypto/random.hpp"
#include "crypto/secret.hpp"

namespace dtls::frontdoor {

namespace {
Error random_failed() { return Error{ErrorCode::internal, std::nullopt, "the random generator failed"}; }
}  // namespace

Result<std::shared_ptr<CookieSecret>> CookieSecret::create(Duration lifetime, Instant now) {
    std::shared_ptr<CookieSecret> secret(new CookieSecret(lifetime, now));
    if (!crypto::random_bytes(secret->current_) || !crypto::random_bytes(secret->previous_)) return random_failed();
    return secret;
}

CookieSecret::~CookieSecret() {
    crypto::cleanse(current_);
    crypto::cleanse(previous_);
}

Result<CookieSecret::Keyed> CookieSecret::keyed(Instant now) {
    std::lock_guard lock(mutex_);
    if (now - rotated_at_ >= lifetime_) {
        Key fresh;
        if (!crypto::random_bytes(fresh)) return random_failed();
        if (now - rotated_at_ >= 2 * lifetime_) {
            // The current key has outlived its second lifetime too.
            if (!crypto::random_bytes(previous_)) return random_failed();
        } else {
            previous_ = current_;
        }
        current_ = fresh;
        crypto::cleanse(fresh);
        rotated_at_ = now;
        ++generation_;
    }
    auto current = crypto::Hmac::create(crypto::HashAlgorithm::sha256, current_);
    if (!current) return current.error();
    auto previous = crypto::Hmac::create(crypto::HashAlgorithm::sha256, previous_);
    if (!previous) return previous.error();
    return Keyed{generation_, rotated_at_ + lifetime_, std::move(*current), std::move(*previous)};
}

}  // namespace dtls::frontdoor
