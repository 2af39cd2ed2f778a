// Stateless cookies, keyed with the shared CookieSecret.
//
// DTLS 1.2 (HelloVerifyRequest, RFC 6347 4.2.1): an HMAC-SHA256 over the
// client's address and its ClientHello's version, random, session_id, cipher
// suites and compression methods, which the client must send unchanged with
// the cookie: a hello that changes any of them has no valid cookie. (The
// extensions are not covered: RFC 6347 does not require them unchanged.)
//
// DTLS 1.3 (HelloRetryRequest, RFC 9147 5.1, RFC 8446 4.2.2): the cookie
// carries what the server decided from the first ClientHello (the
// tls13::RetryContext: suite, group, whether the group was asked for, and the
// hash of that hello) in the clear, followed by an HMAC-SHA256 over the
// client's address and those bytes. The connection made for the second hello
// rebuilds its transcript from it. A cookie is accepted for between one and
// two CookieSecret lifetimes (Config::cookie_lifetime).
//
// The HMAC contexts keyed for a secret are kept per thread (a few secrets per
// thread, least recently used first out, and those of secrets that no longer
// exist dropped on the thread's next use), so making or checking a cookie is
// one or two HMAC computations with no lock and no allocation, a jar may be
// used from several threads at once, and copying one costs nothing.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>

#include "frontdoor/cookie_secret.hpp"
#include "messages/messages.hpp"
#include "tls13/hello_retry.hpp"

namespace dtls::frontdoor {

class CookieJar {
public:
    static constexpr size_t kCookieLength = 32;
    using Cookie = std::array<uint8_t, kCookieLength>;

    explicit CookieJar(std::shared_ptr<CookieSecret> secret) : secret_(std::move(secret)) {}

    // Nothing if the keys cannot be set up (OpenSSL or the random generator
    // failed); the caller then answers nothing.
    std::optional<Cookie> make(std::span<const uint8_t> peer_address, const messages::ClientHelloPrefix& hello,
                               Instant now) const;
    bool check(std::span<const uint8_t> peer_address, const messages::ClientHelloPrefix& hello, Instant now) const;

    // DTLS 1.3: the cookie for a HelloRetryRequest, or nothing (as make()).
    std::optional<Bytes> make_retry_cookie(std::span<const uint8_t> peer_address, const tls13::RetryContext& context,
                                           Instant now) const;
    // The context a cookie carries if this jar made it for this address and
    // it has not expired; nothing for a forged, altered or stale one.
    std::optional<tls13::RetryContext> open_retry_cookie(std::span<const uint8_t> peer_address,
                                                         std::span<const uint8_t> cookie, Instant now) const;

private:
    std::shared_ptr<CookieSecret> secret_;
};

}  // namespace dtls::frontdoor
