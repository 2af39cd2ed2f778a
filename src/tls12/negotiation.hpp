// Choices both roles make from configuration and the peer's offer: which
// signature scheme a key can use, whether a host name is an IP literal.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "crypto/signature.hpp"
#include "dtls/config.hpp"
#include "tls12/cipher_suites.hpp"

namespace dtls::tls12 {

// The first of `ours` that the peer offered (all of ours if the peer sent no
// list) and that `key` can sign with.
std::optional<SignatureScheme> choose_signature_scheme(std::span<const SignatureScheme> ours,
                                                       const std::vector<uint16_t>* peer_offer,
                                                       crypto::KeyType key);

// Whether a certificate key of this type can authenticate the suite.
bool key_matches_suite(crypto::KeyType key, AuthKind auth);

bool contains(std::span<const uint16_t> list, uint16_t value);

// Whether a code point from the wire names one of our configured values.
template <class Enum>
bool configured(const std::vector<Enum>& ours, uint16_t value) {
    for (Enum e : ours) {
        if (static_cast<uint16_t>(e) == value) return true;
    }
    return false;
}

bool is_ip_literal(std::string_view name);

}  // namespace dtls::tls12
