#include "tls12/cookie.hpp"

#include "crypto/random.hpp"

namespace dtls::tls12 {

crypto::Hmac CookieJar::fresh_key() {
    crypto::SecretBytes secret(32);
    crypto::random_bytes(secret.span());
    return crypto::Hmac(crypto::HashAlgorithm::sha256, secret.span());
}

CookieJar::CookieJar(Duration lifetime, Instant now)
    : lifetime_(lifetime), rotated_at_(now), current_(fresh_key()), previous_(fresh_key()) {}

void CookieJar::rotate_if_due(Instant now) {
    if (now - rotated_at_ < lifetime_) return;
    // After two lifetimes without traffic the current secret has expired
    // too, so both are replaced.
    previous_ = now - rotated_at_ >= 2 * lifetime_ ? fresh_key() : std::move(current_);
    current_ = fresh_key();
    rotated_at_ = now;
}

CookieJar::Cookie CookieJar::mac(crypto::Hmac& key, std::span<const uint8_t> peer_address,
                                 const handshake::ClientHelloPrefix& hello) {
    // Length-prefixed where the length varies, so no two inputs run together.
    const uint8_t address_length[2] = {static_cast<uint8_t>(peer_address.size() >> 8),
                                       static_cast<uint8_t>(peer_address.size())};
    const uint8_t version[2] = {static_cast<uint8_t>(hello.version >> 8), static_cast<uint8_t>(hello.version)};
    const uint8_t session_id_length[1] = {static_cast<uint8_t>(hello.session_id.size())};
    Cookie out;
    key.compute({address_length, peer_address, version, hello.random, session_id_length, hello.session_id}, out);
    return out;
}

CookieJar::Cookie CookieJar::make(std::span<const uint8_t> peer_address, const handshake::ClientHelloPrefix& hello,
                                  Instant now) {
    rotate_if_due(now);
    return mac(current_, peer_address, hello);
}

bool CookieJar::check(std::span<const uint8_t> peer_address, const handshake::ClientHelloPrefix& hello,
                      Instant now) {
    rotate_if_due(now);
    if (hello.cookie.size() != kCookieLength) return false;
    // Evaluate both so the time taken does not say which secret matched.
    const bool current = crypto::equal_constant_time(mac(current_, peer_address, hello), hello.cookie);
    const bool previous = crypto::equal_constant_time(mac(previous_, peer_address, hello), hello.cookie);
    return current || previous;
}

}  // namespace dtls::tls12
