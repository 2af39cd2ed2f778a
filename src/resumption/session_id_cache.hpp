// The DTLS 1.2 server's session cache (RFC 5246 7.3): the sessions it can
// resume by session ID. It holds at most `capacity` sessions, each for
// `lifetime` from its creation; every session has the same lifetime, so the
// oldest is both the first to expire and the first to be evicted when the
// cache is full. One cache is shared by every copy of a Server, on any
// number of threads; a mutex guards it.
#pragma once

#include <cstddef>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "crypto/secret.hpp"
#include "dtls/config.hpp"

namespace dtls::resumption {

// What a resumed connection needs of the session it resumes.
struct CachedSession {
    uint16_t cipher_suite = 0;
    crypto::SecretBytes master_secret;
    bool extended_master_secret = false;
    std::string server_name;  // the SNI of the connection that made it
    Instant created{};
    std::string psk_identity;  // the client's PSK identity, for a PSK suite's session
};

class SessionIdCache {
public:
    SessionIdCache(size_t capacity, Duration lifetime) : capacity_(capacity), lifetime_(lifetime) {}
    SessionIdCache(const SessionIdCache&) = delete;
    SessionIdCache& operator=(const SessionIdCache&) = delete;

    // Keeps `session` under `id` (made at `session.created`), evicting the
    // oldest session if the cache is full.
    void store(const Bytes& id, CachedSession session);
    // The session under `id`, if it is there and has not expired at `now`.
    std::optional<CachedSession> find(const Bytes& id, Instant now);

    size_t size();

private:
    void drop_expired(Instant now);  // with mutex_ held

    const size_t capacity_;
    const Duration lifetime_;
    std::mutex mutex_;
    // Keyed by the ID's bytes as a string (whose comparison GCC's warnings
    // take more kindly than a vector's).
    std::map<std::string, CachedSession> sessions_;
    std::deque<std::string> oldest_first_;  // the keys of sessions_, in the order they were stored
};

}  // namespace dtls::resumption
