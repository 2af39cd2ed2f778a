#include "frontdoor/cookie_jar.hpp"

#include <algorithm>

#include "crypto/secret.hpp"

namespace dtls::frontdoor {

namespace {

// One secret's keyed HMAC contexts in this thread's cache.
struct CachedKeys {
    std::weak_ptr<CookieSecret> secret;
    const CookieSecret* address = nullptr;  // of `secret`, while it lives
    uint64_t last_use = 0;
    std::optional<CookieSecret::Keyed> keyed;
};

struct ThreadKeys {
    static constexpr size_t kSecrets = 4;
    std::array<CachedKeys, kSecrets> slots;
    uint64_t uses = 0;
};

thread_local ThreadKeys thread_keys;

// This thread's keyed contexts for `secret` at `now`, keyed afresh when the
// secret has rotated since; null if they cannot be made.
CookieSecret::Keyed* keys_for(const std::shared_ptr<CookieSecret>& secret, Instant now) {
    ThreadKeys& cache = thread_keys;
    ++cache.uses;
    CachedKeys* slot = nullptr;
    for (CachedKeys& s : cache.slots) {
        if (s.address != nullptr && s.secret.expired()) s = CachedKeys{};  // its Server is gone: drop its keys
        if (s.address == secret.get()) slot = &s;
    }
    if (slot == nullptr) {
        slot = &*std::min_element(cache.slots.begin(), cache.slots.end(),
                                  [](const CachedKeys& a, const CachedKeys& b) { return a.last_use < b.last_use; });
        *slot = CachedKeys{};
    }
    if (!slot->keyed || now >= slot->keyed->next_rotation) {
        Result<CookieSecret::Keyed> keyed = secret->keyed(now);
        if (!keyed) {
            *slot = CachedKeys{};
            return nullptr;
        }
        slot->keyed.emplace(std::move(*keyed));
        slot->secret = secret;
        slot->address = secret.get();
    }
    slot->last_use = cache.uses;
    return &*slot->keyed;
}

bool mac(crypto::Hmac& key, std::span<const uint8_t> peer_address, const messages::ClientHelloPrefix& hello,
         CookieJar::Cookie& out) {
    // Length-prefixed where the length varies, so no two inputs run together.
    const uint8_t address_length[2] = {static_cast<uint8_t>(peer_address.size() >> 8),
                                       static_cast<uint8_t>(peer_address.size())};
    const uint8_t version[2] = {static_cast<uint8_t>(hello.version >> 8), static_cast<uint8_t>(hello.version)};
    const uint8_t session_id_length[1] = {static_cast<uint8_t>(hello.session_id.size())};
    return key.compute({address_length, peer_address, version, hello.random, session_id_length, hello.session_id},
                       out);
}

}  // namespace

std::optional<CookieJar::Cookie> CookieJar::make(std::span<const uint8_t> peer_address,
                                                 const messages::ClientHelloPrefix& hello, Instant now) const {
    CookieSecret::Keyed* keys = keys_for(secret_, now);
    Cookie out;
    if (keys == nullptr || !mac(keys->current, peer_address, hello, out)) return std::nullopt;
    return out;
}

bool CookieJar::check(std::span<const uint8_t> peer_address, const messages::ClientHelloPrefix& hello,
                      Instant now) const {
    if (hello.cookie.size() != kCookieLength) return false;
    CookieSecret::Keyed* keys = keys_for(secret_, now);
    if (keys == nullptr) return false;
    // Evaluate both so the time taken does not say which secret matched.
    Cookie current, previous;
    const bool current_ok = mac(keys->current, peer_address, hello, current);
    const bool previous_ok = mac(keys->previous, peer_address, hello, previous);
    const bool current_match = crypto::equal_constant_time(current, hello.cookie);
    const bool previous_match = crypto::equal_constant_time(previous, hello.cookie);
    return (current_ok && current_match) || (previous_ok && previous_match);
}

}  // namespace dtls::frontdoor
