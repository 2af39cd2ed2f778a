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
    const uint8_t suites_length[2] = {static_cast<uint8_t>(hello.cipher_suites.size() >> 8),
                                      static_cast<uint8_t>(hello.cipher_suites.size())};
    const uint8_t compression_length[1] = {static_cast<uint8_t>(hello.compression_methods.size())};
    return key.compute({address_length, peer_address, version, hello.random, session_id_length, hello.session_id,
                        suites_length, hello.cipher_suites, compression_length, hello.compression_methods},
                       out);
}

// The DTLS 1.3 cookie: format, suite, group, flags, hash length, hash, MAC.
constexpr uint8_t kRetryCookieFormat = 1;
constexpr size_t kRetryStateLength = 1 + 2 + 2 + 1 + 1;
constexpr size_t kMaxHashLength = 64;

bool retry_mac(crypto::Hmac& key, std::span<const uint8_t> peer_address, std::span<const uint8_t> state,
               CookieJar::Cookie& out) {
    const uint8_t address_length[2] = {static_cast<uint8_t>(peer_address.size() >> 8),
                                       static_cast<uint8_t>(peer_address.size())};
    return key.compute({address_length, peer_address, state}, out);
}

}  // namespace

std::optional<Bytes> CookieJar::make_retry_cookie(std::span<const uint8_t> peer_address,
                                                  const tls13::RetryContext& context, Instant now) const {
    if (context.client_hello1_hash.size() > kMaxHashLength) return std::nullopt;
    Bytes cookie = {kRetryCookieFormat,
                    static_cast<uint8_t>(context.cipher_suite >> 8),
                    static_cast<uint8_t>(context.cipher_suite),
                    static_cast<uint8_t>(context.group >> 8),
                    static_cast<uint8_t>(context.group),
                    static_cast<uint8_t>(context.group_requested ? 1 : 0),
                    static_cast<uint8_t>(context.client_hello1_hash.size())};
    cookie.insert(cookie.end(), context.client_hello1_hash.begin(), context.client_hello1_hash.end());
    CookieSecret::Keyed* keys = keys_for(secret_, now);
    Cookie mac_bytes;
    if (keys == nullptr || !retry_mac(keys->current, peer_address, cookie, mac_bytes)) return std::nullopt;
    cookie.insert(cookie.end(), mac_bytes.begin(), mac_bytes.end());
    return cookie;
}

std::optional<tls13::RetryContext> CookieJar::open_retry_cookie(std::span<const uint8_t> peer_address,
                                                                std::span<const uint8_t> cookie, Instant now) const {
    if (cookie.size() < kRetryStateLength + kCookieLength) return std::nullopt;
    const std::span<const uint8_t> state = cookie.first(cookie.size() - kCookieLength);
    const std::span<const uint8_t> tag = cookie.last(kCookieLength);
    CookieSecret::Keyed* keys = keys_for(secret_, now);
    if (keys == nullptr) return std::nullopt;
    // Both keys are tried, so the time taken does not say which matched.
    Cookie current, previous;
    const bool current_ok = retry_mac(keys->current, peer_address, state, current);
    const bool previous_ok = retry_mac(keys->previous, peer_address, state, previous);
    const bool current_match = crypto::equal_constant_time(current, tag);
    const bool previous_match = crypto::equal_constant_time(previous, tag);
    if (!((current_ok && current_match) || (previous_ok && previous_match))) return std::nullopt;
    // Authentic: we wrote it, so its layout holds unless the format changed.
    if (state[0] != kRetryCookieFormat || state[6] != state.size() - kRetryStateLength || state[5] > 1) {
        return std::nullopt;
    }
    tls13::RetryContext context;
    context.cipher_suite = static_cast<uint16_t>(state[1] << 8 | state[2]);
    context.group = static_cast<uint16_t>(state[3] << 8 | state[4]);
    context.group_requested = state[5] == 1;
    context.client_hello1_hash.assign(state.begin() + kRetryStateLength, state.end());
    return context;
}

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
