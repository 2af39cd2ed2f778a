// Stateless HelloVerifyRequest cookies (RFC 6347 4.2.1): an HMAC over the
// client's address and its ClientHello's version, random and session_id,
// under a secret that rotates every `lifetime`; a cookie made with the
// previous secret is still accepted, so a cookie is good for between one and
// two lifetimes. Only fields before the cookie are covered, so the first
// fragment of a ClientHello too large for one datagram can be checked; the
// 32-byte random already ties a cookie to one hello.
#pragma once

#include <cstdint>
#include <span>

#include <array>

#include "crypto/hash.hpp"
#include "crypto/secret.hpp"
#include "dtls/config.hpp"
#include "handshake/messages.hpp"

namespace dtls::tls12 {

class CookieJar {
public:
    static constexpr size_t kCookieLength = 32;
    using Cookie = std::array<uint8_t, kCookieLength>;

    CookieJar(Duration lifetime, Instant now);

    Cookie make(std::span<const uint8_t> peer_address, const handshake::ClientHelloPrefix& hello, Instant now);
    bool check(std::span<const uint8_t> peer_address, const handshake::ClientHelloPrefix& hello, Instant now);

private:
    void rotate_if_due(Instant now);
    static crypto::Hmac fresh_key();
    static Cookie mac(crypto::Hmac& key, std::span<const uint8_t> peer_address,
                      const handshake::ClientHelloPrefix& hello);

    Duration lifetime_;
    Instant rotated_at_;
    crypto::Hmac current_;
    crypto::Hmac previous_;
};

}  // namespace dtls::tls12
