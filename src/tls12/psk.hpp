// The pre-shared key suites' share of the DTLS 1.2 handshake: which side
// can use them, where a server finds the key for an identity, and the
// premaster secret they make.
#pragma once

#include <optional>
#include <span>

#include "crypto/secret.hpp"
#include "dtls/config.hpp"

namespace dtls::tls12 {

// A server can choose a PSK suite when it has somewhere to find keys.
bool server_has_psk(const Config& config);

// Server: the key for a client's identity: psk_lookup's answer, or else
// Config::psk's key when the identity is its identity; none if unknown.
std::optional<crypto::SecretBytes> find_psk(const Config& config, std::span<const uint8_t> identity);

// The premaster secret (RFC 4279 2, RFC 5489 2): other_secret and the PSK,
// each with a 2-byte length. other_secret is the ECDHE shared secret for
// ECDHE_PSK, and as many zero bytes as the PSK has for the PSK alone (pass
// an empty `ecdhe_secret`).
crypto::SecretBytes psk_premaster(std::span<const uint8_t> ecdhe_secret, std::span<const uint8_t> psk);

}  // namespace dtls::tls12
