// The secret behind stateless cookies: a current and a previous 32-byte key,
// rotated every `lifetime`. One CookieSecret is shared by every copy of a
// Server and every Endpoint made from them, on any number of threads, so that
// any of them accepts a cookie another issued. A mutex guards it; it is taken
// only when a thread needs HMAC contexts for a new generation of keys (see
// CookieJar), and the raw keys never leave it.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>

#include "crypto/hash.hpp"
#include "dtls/config.hpp"
#include "dtls/errors.hpp"

namespace dtls::frontdoor {

class CookieSecret {
public:
    static constexpr size_t kKeyLength = 32;

    // HMAC-SHA256 contexts keyed with the keys in force, and until when.
    struct Keyed {
        uint64_t generation = 0;  // changes with every rotation
        Instant next_rotation{};
        crypto::Hmac current;
        crypto::Hmac previous;
    };

    static Result<std::shared_ptr<CookieSecret>> create(Duration lifetime, Instant now);
    ~CookieSecret();
    CookieSecret(const CookieSecret&) = delete;
    CookieSecret& operator=(const CookieSecret&) = delete;

    // The keys at `now`, rotating first when a lifetime has passed: the
    // current key becomes the previous one, so a cookie is accepted for
    // between one and two lifetimes. After two lifetimes without a call both
    // keys are replaced. Fails only if OpenSSL or the random generator does.
    Result<Keyed> keyed(Instant now);

private:
    using Key = std::array<uint8_t, kKeyLength>;
    CookieSecret(Duration lifetime, Instant now) : lifetime_(lifetime), rotated_at_(now) {}

    const Duration lifetime_;
    std::mutex mutex_;
    Instant rotated_at_;
    uint64_t generation_ = 1;
    Key current_{};
    Key previous_{};
};

}  // namespace dtls::frontdoor
