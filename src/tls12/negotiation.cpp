#include "tls12/negotiation.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <string>

namespace dtls::tls12 {

std::optional<SignatureScheme> choose_signature_scheme(std::span<const SignatureScheme> ours,
                                                       const std::vector<uint16_t>* peer_offer,
                                                       crypto::KeyType key) {
    for (SignatureScheme s : ours) {
        if (!crypto::key_supports(key, s)) continue;
        if (peer_offer && !contains(*peer_offer, static_cast<uint16_t>(s))) continue;
        return s;
    }
    return std::nullopt;
}

bool key_matches_suite(crypto::KeyType key, AuthKind auth) {
    switch (key) {
        case crypto::KeyType::ecdsa_p256:
        case crypto::KeyType::ecdsa_p384:
        case crypto::KeyType::ed25519: return auth == AuthKind::ecdsa;
        case crypto::KeyType::rsa: return auth == AuthKind::rsa;
        default: return false;
    }
}

bool contains(std::span<const uint16_t> list, uint16_t value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

bool is_ip_literal(std::string_view name) {
    std::string s(name);
    unsigned char buf[16];
    return inet_pton(AF_INET, s.c_str(), buf) == 1 || inet_pton(AF_INET6, s.c_str(), buf) == 1;
}

}  // namespace dtls::tls12
