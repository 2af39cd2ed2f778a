// Signing with our key and verifying with the peer's certificate key, for
// ServerKeyExchange and CertificateVerify (TLS 1.2 rules: the hash in an
// ECDSA scheme does not have to match the curve).
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "dtls/config.hpp"
#include "dtls/errors.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, named only for CertificateChain's hook

namespace dtls::crypto {

class CertificateChain;

enum class KeyType { ecdsa_p256, ecdsa_p384, ecdsa_other, rsa, ed25519, unsupported };

// Whether a key of this type can make or check signatures with the scheme.
bool key_supports(KeyType key, SignatureScheme scheme);

class PrivateKey {
public:
    // PEM or DER (PKCS#8 or traditional) private key.
    static Result<PrivateKey> from_pem(std::span<const uint8_t> pem);
    static Result<PrivateKey> from_der(std::span<const uint8_t> der);

    PrivateKey(PrivateKey&&) noexcept;
    PrivateKey& operator=(PrivateKey&&) noexcept;
    ~PrivateKey();

    KeyType type() const { return type_; }
    // Signs the whole message (the scheme says how to hash it).
    Result<std::vector<uint8_t>> sign(SignatureScheme scheme, std::span<const uint8_t> message) const;
    // Whether this key belongs to the DER certificate.
    bool matches_certificate(std::span<const uint8_t> certificate_der) const;
    // The public half as a DER SubjectPublicKeyInfo (a raw public key, RFC 7250 3).
    Result<std::vector<uint8_t>> subject_public_key_info() const;

private:
    struct State;
    PrivateKey(KeyType t, std::shared_ptr<State> s);
    KeyType type_;
    std::shared_ptr<State> state_;
};

// A peer's key, taken from its certificate by CertificateChain::leaf_key().
class PublicKey {
public:
    PublicKey(PublicKey&&) noexcept;
    PublicKey& operator=(PublicKey&&) noexcept;
    ~PublicKey();

    // A raw public key (RFC 7250 3): exactly one DER SubjectPublicKeyInfo,
    // nothing after it, encoded as DER re-encodes it (so that comparing
    // bytes compares keys). ErrorCode::invalid_argument otherwise.
    static Result<PublicKey> from_subject_public_key_info(std::span<const uint8_t> der);

    KeyType type() const { return type_; }
    bool verify(SignatureScheme scheme, std::span<const uint8_t> message, std::span<const uint8_t> signature) const;

private:
    friend class CertificateChain;
    // Takes ownership of `key`, which must not be null.
    static PublicKey adopt(evp_pkey_st* key);

    struct State;
    PublicKey(KeyType t, std::unique_ptr<State> s);
    KeyType type_;
    std::unique_ptr<State> state_;
};

}  // namespace dtls::crypto
