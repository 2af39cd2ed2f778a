#include "tls12/cookie.hpp"

#include "crypto/hash.hpp"
#include "crypto/random.hpp"
#include "wire/writer.hpp"

namespace dtls::tls12 {

CookieJar::CookieJar(Duration lifetime, Instant now) : lifetime_(lifetime), rotated_at_(now) {
    crypto::random_bytes(current_.span());
    crypto::random_bytes(previous_.span());
}

void CookieJar::rotate_if_due(Instant now) {
    if (now - rotated_at_ < lifetime_) return;
    // After two lifetimes without traffic the current secret has expired
    // too, so both are replaced.
    if (now - rotated_at_ >= 2 * lifetime_) {
        crypto::random_bytes(previous_.span());
    } else {
        previous_ = current_;
    }
    crypto::random_bytes(current_.span());
    rotated_at_ = now;
}

Bytes CookieJar::mac(const crypto::SecretBytes& secret, std::span<const uint8_t> peer_address,
                     const handshake::ClientHelloPrefix& hello) const {
    Bytes input;
    wire::Writer w(input);
    w.vec16(peer_address);
    w.u16(hello.version);
    w.bytes(hello.random);
    w.vec8(hello.session_id);
    return crypto::hmac(crypto::HashAlgorithm::sha256, secret.span(), input);
}

Bytes CookieJar::make(std::span<const uint8_t> peer_address, const handshake::ClientHelloPrefix& hello, Instant now) {
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
