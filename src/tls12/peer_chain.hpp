// Checking the peer's certificate chain: the trust store's verdict (or the
// match against Config::peer_fingerprints, which replaces it), then the
// application's verifier, which has the last word; or, when raw public keys
// were negotiated (RFC 7250), the match against the trusted keys. DTLS 1.2 and DTLS 1.3 check
// a chain the same way; the DTLS 1.3 handshake (src/tls13/) builds on this
// layer and uses it too.
#pragma once

#include <vector>

#include "crypto/signature.hpp"
#include "crypto/trust_store.hpp"
#include "dtls/config.hpp"
#include "dtls/connection.hpp"

namespace dtls::tls12 {

// `chain` is DER, leaf first, as the peer sent it; `trust` may be null (no
// roots configured). On success returns the leaf's public key.
Result<crypto::PublicKey> check_peer_chain(const Config& config, const crypto::TrustStore* trust, Role our_role,
                                           const std::vector<Bytes>& chain);

// A raw public key (RFC 7250 3): `certificates` must hold one DER
// SubjectPublicKeyInfo, trusted when it equals one of
// Config::trusted_raw_public_keys, with the verifier (told
// CertificateType::raw_public_key) having the last word. No names or dates
// apply. A client that does not verify_peer takes any well-formed key. On
// success returns the key.
Result<crypto::PublicKey> check_peer_raw_public_key(const Config& config, Role our_role,
                                                    const std::vector<Bytes>& certificates);

}  // namespace dtls::tls12
