// What dtls::Credential holds: the chain as DER (or a raw public key's
// SubjectPublicKeyInfo) and the parsed private key.
#pragma once

#include <vector>

#include "crypto/signature.hpp"
#include "dtls/config.hpp"

namespace dtls::detail {

struct CredentialData {
    std::vector<Bytes> chain;  // leaf first; for a raw public key, its SubjectPublicKeyInfo alone
    crypto::PrivateKey key;
    CertificateType type = CertificateType::x509;
};

}  // namespace dtls::detail
