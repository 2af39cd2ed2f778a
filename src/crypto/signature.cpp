// ServerKeyExchange and CertificateVerify signatures under TLS 1.2 rules
// (RFC 5246 4.7, RFC 8422 5.10, RFC 8446 4.2.3 for the RSA-PSS and Ed25519
// code points): the scheme fixes the hash and padding; for ECDSA it does not
// fix the curve.
#include "crypto/signature.hpp"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cstdio>

#include "crypto/openssl_ptr.hpp"

namespace dtls::crypto {
namespace {

using detail::MdCtxPtr;
using detail::PkeyPtr;

enum class Family { ecdsa, rsa_pkcs1, rsa_pss, ed25519, unknown };

struct SchemeInfo {
    Family family;
    const EVP_MD* md;  // null for Ed25519, which hashes internally
};

SchemeInfo scheme_info(SignatureScheme scheme) {
    switch (scheme) {
        case SignatureScheme::ecdsa_secp256r1_sha256: return {Family::ecdsa, EVP_sha256()};
        case SignatureScheme::ecdsa_secp384r1_sha384: return {Family::ecdsa, EVP_sha384()};
        case SignatureScheme::rsa_pkcs1_sha256: return {Family::rsa_pkcs1, EVP_sha256()};
        case SignatureScheme::rsa_pkcs1_sha384: return {Family::rsa_pkcs1, EVP_sha384()};
        case SignatureScheme::rsa_pss_rsae_sha256: return {Family::rsa_pss, EVP_sha256()};
        case SignatureScheme::rsa_pss_rsae_sha384: return {Family::rsa_pss, EVP_sha384()};
        case SignatureScheme::ed25519: return {Family::ed25519, nullptr};
    }
    return {Family::unknown, nullptr};
}

KeyType key_type_of(EVP_PKEY* key) {
    switch (EVP_PKEY_get_base_id(key)) {
        case EVP_PKEY_RSA: return KeyType::rsa;
        case EVP_PKEY_ED25519: return KeyType::ed25519;
        case EVP_PKEY_EC: {
            char name[64];
            size_t len = 0;
            if (EVP_PKEY_get_group_name(key, name, sizeof(name), &len) != 1) {
                return KeyType::ecdsa_other;
            }
            int nid = OBJ_txt2nid(name);
            if (nid == NID_undef) {
                nid = EC_curve_nist2nid(name);
            }
            if (nid == NID_X9_62_prime256v1) {
                return KeyType::ecdsa_p256;
            }
            return nid == NID_secp384r1 ? KeyType::ecdsa_p384 : KeyType::ecdsa_other;
        }
        // RSASSA-PSS-only keys (id-RSASSA-PSS) are not usable with the
        // rsa_pss_rsae code points, which name rsaEncryption keys.
        default: return KeyType::unsupported;
    }
}

// Sets up `ctx` for signing or verifying with `scheme`: the digest, and for
// PSS the padding, MGF1 digest and a salt as long as the hash.
bool init_context(EVP_MD_CTX* ctx, EVP_PKEY* key, SignatureScheme scheme, bool signing) {
    SchemeInfo info = scheme_info(scheme);
    EVP_PKEY_CTX* pctx = nullptr;
    int ok = signing ? EVP_DigestSignInit(ctx, &pctx, info.md, nullptr, key)
                     : EVP_DigestVerifyInit(ctx, &pctx, info.md, nullptr, key);
    if (ok != 1) {
        return false;
    }
    if (info.family == Family::rsa_pss) {
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
               EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, info.md) == 1 &&
               EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1;
    }
    if (info.family == Family::rsa_pkcs1) {
        return EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1;
    }
    return true;
}

// Text for a scheme in an error (the readable names live in the API layer).
std::string scheme_text(SignatureScheme scheme) {
    char text[32];
    std::snprintf(text, sizeof(text), "signature scheme 0x%04x", static_cast<unsigned>(scheme));
    return text;
}

int no_password(char*, int, int, void*) { return -1; }

Result<PrivateKey> key_error(std::string reason) {
    std::string detail = detail::take_openssl_error();
    if (!detail.empty()) {
        reason += " (" + detail + ")";
    }
    return Error{ErrorCode::credential, std::nullopt, std::move(reason)};
}

}  // namespace

bool key_supports(KeyType key, SignatureScheme scheme) {
    switch (scheme_info(scheme).family) {
        case Family::ecdsa:
            return key == KeyType::ecdsa_p256 || key == KeyType::ecdsa_p384 || key == KeyType::ecdsa_other;
        case Family::rsa_pkcs1:
        case Family::rsa_pss: return key == KeyType::rsa;
        case Family::ed25519: return key == KeyType::ed25519;
        case Family::unknown: return false;
    }
    return false;
}

// ---- PrivateKey ---------------------------------------------------------

struct PrivateKey::State {
    PkeyPtr key;
};

PrivateKey::PrivateKey(KeyType t, std::shared_ptr<State> s) : type_(t), state_(std::move(s)) {}
PrivateKey::PrivateKey(PrivateKey&&) noexcept = default;
PrivateKey& PrivateKey::operator=(PrivateKey&&) noexcept = default;
PrivateKey::~PrivateKey() = default;

Result<PrivateKey> PrivateKey::from_pem(std::span<const uint8_t> pem) {
    detail::BioPtr bio = detail::memory_bio(pem);
    // A refusing password callback: an encrypted key fails here instead of
    // OpenSSL prompting on the terminal.
    PkeyPtr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr) : nullptr);
    if (!key) {
        return key_error("cannot parse private key PEM");
    }
    auto state = std::make_shared<State>();
    KeyType type = key_type_of(key.get());
    state->key = std::move(key);
    return PrivateKey(type, std::move(state));
}

Result<PrivateKey> PrivateKey::from_der(std::span<const uint8_t> der) {
    const unsigned char* p = der.data();
    // d2i_AutoPrivateKey accepts PKCS#8 and the traditional RSA and EC forms.
    PkeyPtr key(d2i_AutoPrivateKey(nullptr, &p, static_cast<long>(der.size())));
    if (!key) {
        return key_error("cannot parse private key DER");
    }
    if (p != der.data() + der.size()) {
        return key_error("trailing bytes after private key DER");
    }
    auto state = std::make_shared<State>();
    KeyType type = key_type_of(key.get());
    state->key = std::move(key);
    return PrivateKey(type, std::move(state));
}

Result<std::vector<uint8_t>> PrivateKey::sign(SignatureScheme scheme, std::span<const uint8_t> message) const {
    if (!key_supports(type_, scheme)) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "the private key cannot sign with " + scheme_text(scheme)};
    }
    MdCtxPtr ctx(EVP_MD_CTX_new());
    size_t len = 0;
    if (!ctx || !init_context(ctx.get(), state_->key.get(), scheme, true) ||
        EVP_DigestSign(ctx.get(), nullptr, &len, message.data(), message.size()) != 1) {
        return Error{ErrorCode::internal, std::nullopt, "cannot sign: " + detail::take_openssl_error()};
    }
    std::vector<uint8_t> signature(len);
    if (EVP_DigestSign(ctx.get(), signature.data(), &len, message.data(), message.size()) != 1) {
        return Error{ErrorCode::internal, std::nullopt, "cannot sign: " + detail::take_openssl_error()};
    }
    // ECDSA's DER encoding is variable; the first call gave the maximum.
    signature.resize(len);
    return signature;
}

bool PrivateKey::matches_certificate(std::span<const uint8_t> certificate_der) const {
    detail::X509Ptr cert = detail::parse_certificate(certificate_der);
    EVP_PKEY* cert_key = cert ? X509_get0_pubkey(cert.get()) : nullptr;
    bool match = cert_key != nullptr && EVP_PKEY_eq(state_->key.get(), cert_key) == 1;
    ERR_clear_error();
    return match;
}

Result<std::vector<uint8_t>> PrivateKey::subject_public_key_info() const {
    int len = i2d_PUBKEY(state_->key.get(), nullptr);
    std::vector<uint8_t> der(len > 0 ? static_cast<size_t>(len) : 0);
    unsigned char* out = der.data();
    if (len <= 0 || i2d_PUBKEY(state_->key.get(), &out) != len) {
        return Error{ErrorCode::internal, std::nullopt, "cannot encode the public key: " + detail::take_openssl_error()};
    }
    return der;
}

// ---- PublicKey ----------------------------------------------------------

struct PublicKey::State {
    PkeyPtr key;
};

PublicKey::PublicKey(KeyType t, std::unique_ptr<State> s) : type_(t), state_(std::move(s)) {}
PublicKey::PublicKey(PublicKey&&) noexcept = default;
PublicKey& PublicKey::operator=(PublicKey&&) noexcept = default;
PublicKey::~PublicKey() = default;

PublicKey PublicKey::adopt(EVP_PKEY* key) {
    auto state = std::make_unique<State>();
    state->key.reset(key);
    KeyType type = key_type_of(key);
    return PublicKey(type, std::move(state));
}

Result<PublicKey> PublicKey::from_subject_public_key_info(std::span<const uint8_t> der) {
    const unsigned char* p = der.data();
    PkeyPtr key(der.empty() ? nullptr : d2i_PUBKEY(nullptr, &p, static_cast<long>(der.size())));
    ERR_clear_error();
    if (!key) return Error{ErrorCode::invalid_argument, std::nullopt, "not a DER SubjectPublicKeyInfo"};
    if (p != der.data() + der.size()) {
        return Error{ErrorCode::invalid_argument, std::nullopt, "trailing bytes after the SubjectPublicKeyInfo"};
    }
    // BER that happens to parse would let two encodings name one key.
    int len = i2d_PUBKEY(key.get(), nullptr);
    std::vector<uint8_t> again(len > 0 ? static_cast<size_t>(len) : 0);
    unsigned char* out = again.data();
    if (len <= 0 || i2d_PUBKEY(key.get(), &out) != len || !std::equal(again.begin(), again.end(), der.begin(), der.end())) {
        ERR_clear_error();
        return Error{ErrorCode::invalid_argument, std::nullopt, "the SubjectPublicKeyInfo is not in DER form"};
    }
    return adopt(key.release());
}

bool PublicKey::verify(SignatureScheme scheme, std::span<const uint8_t> message,
                       std::span<const uint8_t> signature) const {
    if (!key_supports(type_, scheme)) {
        return false;
    }
    MdCtxPtr ctx(EVP_MD_CTX_new());
    bool ok = ctx && init_context(ctx.get(), state_->key.get(), scheme, false) &&
              EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(), message.size()) == 1;
    // A bad signature is peer input, not a library fault: leave no queued errors.
    ERR_clear_error();
    return ok;
}

}  // namespace dtls::crypto
