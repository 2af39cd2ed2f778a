// Signatures for ServerKeyExchange and CertificateVerify: every scheme with
// every key kind it applies to, the TLS 1.2 rule that ECDSA's hash need not
// match the curve, exact RSA-PSS parameters, and rejection of anything wrong.
#include <gtest/gtest.h>

#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <map>

#include "crypto/certificate_chain.hpp"
#include "crypto/signature.hpp"
#include "hex.hpp"
#include "support/certs.hpp"

namespace dtls::crypto {
namespace {

using dtls::test::KeyKind;
using testing::as_bytes;

const SignatureScheme all_schemes[] = {
    SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ecdsa_secp384r1_sha384,
    SignatureScheme::rsa_pkcs1_sha256,       SignatureScheme::rsa_pkcs1_sha384,
    SignatureScheme::rsa_pss_rsae_sha256,    SignatureScheme::rsa_pss_rsae_sha384,
    SignatureScheme::ed25519,
};

const KeyKind all_kinds[] = {KeyKind::ecdsa_p256, KeyKind::ecdsa_p384, KeyKind::rsa2048, KeyKind::ed25519};

// A key pair as the handshake sees it: our private key, the peer's view of
// it through the certificate.
struct Signer {
    KeyKind kind;
    PrivateKey private_key;
    PublicKey public_key;
    std::vector<uint8_t> cert_der;
};

// The peer's key as the handshake takes it: from its parsed certificate.
Result<PublicKey> key_of_certificate(std::span<const uint8_t> der) {
    std::vector<Bytes> chain{Bytes(der.begin(), der.end())};
    auto parsed = CertificateChain::parse(chain);
    if (!parsed) return parsed.error();
    return parsed->leaf_key();
}

Signer make_signer(KeyKind kind) {
    test::Issued issued = test::self_signed(kind, "signer.example");
    auto private_key = PrivateKey::from_pem(as_bytes(issued.key_pem));
    auto public_key = key_of_certificate(issued.cert_der);
    EXPECT_TRUE(private_key.ok() && public_key.ok());
    return Signer{kind, std::move(private_key.value()), std::move(public_key.value()), issued.cert_der};
}

KeyType expected_type(KeyKind kind) {
    switch (kind) {
        case KeyKind::ecdsa_p256: return KeyType::ecdsa_p256;
        case KeyKind::ecdsa_p384: return KeyType::ecdsa_p384;
        case KeyKind::rsa2048: return KeyType::rsa;
        case KeyKind::ed25519: return KeyType::ed25519;
    }
    return KeyType::unsupported;
}

bool is_ecdsa(SignatureScheme s) {
    return s == SignatureScheme::ecdsa_secp256r1_sha256 || s == SignatureScheme::ecdsa_secp384r1_sha384;
}
bool is_rsa(SignatureScheme s) { return !is_ecdsa(s) && s != SignatureScheme::ed25519; }

TEST(Signature, KeySupportFollowsTls12Rules) {
    for (SignatureScheme scheme : all_schemes) {
        SCOPED_TRACE(static_cast<int>(scheme));
        // In TLS 1.2 an ECDSA scheme names the hash only: any curve signs with it.
        EXPECT_EQ(key_supports(KeyType::ecdsa_p256, scheme), is_ecdsa(scheme));
        EXPECT_EQ(key_supports(KeyType::ecdsa_p384, scheme), is_ecdsa(scheme));
        EXPECT_EQ(key_supports(KeyType::rsa, scheme), is_rsa(scheme));
        EXPECT_EQ(key_supports(KeyType::ed25519, scheme), scheme == SignatureScheme::ed25519);
        EXPECT_FALSE(key_supports(KeyType::unsupported, scheme));
    }
    EXPECT_TRUE(key_supports(KeyType::ecdsa_p384, SignatureScheme::ecdsa_secp256r1_sha256));
    EXPECT_TRUE(key_supports(KeyType::ecdsa_p256, SignatureScheme::ecdsa_secp384r1_sha384));
}

class Signatures : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        signers_ = new std::map<KeyKind, std::vector<Signer>>;
        for (KeyKind kind : all_kinds) {
            // Two independent keys of each kind, to check a signature does not
            // verify under the wrong key.
            (*signers_)[kind].push_back(make_signer(kind));
            (*signers_)[kind].push_back(make_signer(kind));
        }
    }
    static void TearDownTestSuite() {
        delete signers_;
        signers_ = nullptr;
    }
    static const Signer& signer(KeyKind kind, size_t n = 0) { return signers_->at(kind).at(n); }

    static std::map<KeyKind, std::vector<Signer>>* signers_;
    const std::vector<uint8_t> message = std::vector<uint8_t>(300, 0x3c);  // like client_random + server_random + params
};

std::map<KeyKind, std::vector<Signer>>* Signatures::signers_ = nullptr;

TEST_F(Signatures, KeysReportTheirType) {
    for (KeyKind kind : all_kinds) {
        EXPECT_EQ(signer(kind).private_key.type(), expected_type(kind));
        EXPECT_EQ(signer(kind).public_key.type(), expected_type(kind));
    }
}

TEST_F(Signatures, EverySupportedPairSignsAndVerifies) {
    int pairs = 0;
    for (KeyKind kind : all_kinds) {
        for (SignatureScheme scheme : all_schemes) {
            if (!key_supports(expected_type(kind), scheme)) {
                continue;
            }
            SCOPED_TRACE(::testing::Message() << "kind " << static_cast<int>(kind) << " scheme 0x" << std::hex
                                              << static_cast<int>(scheme));
            ++pairs;
            auto signature = signer(kind).private_key.sign(scheme, message);
            ASSERT_TRUE(signature.ok()) << signature.error().reason;
            EXPECT_TRUE(signer(kind).public_key.verify(scheme, message, *signature));

            std::vector<uint8_t> other_message = message;
            other_message[150] ^= 1;
            EXPECT_FALSE(signer(kind).public_key.verify(scheme, other_message, *signature)) << "altered message";

            std::vector<uint8_t> bad_signature = *signature;
            bad_signature[bad_signature.size() / 2] ^= 0x10;
            EXPECT_FALSE(signer(kind).public_key.verify(scheme, message, bad_signature)) << "altered signature";
            EXPECT_FALSE(signer(kind).public_key.verify(scheme, message, {})) << "empty signature";

            EXPECT_FALSE(signer(kind, 1).public_key.verify(scheme, message, *signature)) << "another key";
        }
    }
    // 2 ECDSA schemes x 2 curves + 4 RSA schemes + Ed25519.
    EXPECT_EQ(pairs, 9);
}

TEST_F(Signatures, ASignatureDoesNotVerifyUnderAnotherScheme) {
    auto signature = signer(KeyKind::rsa2048).private_key.sign(SignatureScheme::rsa_pss_rsae_sha256, message);
    ASSERT_TRUE(signature.ok());
    const PublicKey& key = signer(KeyKind::rsa2048).public_key;
    EXPECT_FALSE(key.verify(SignatureScheme::rsa_pkcs1_sha256, message, *signature));
    EXPECT_FALSE(key.verify(SignatureScheme::rsa_pss_rsae_sha384, message, *signature));

    auto ecdsa = signer(KeyKind::ecdsa_p256).private_key.sign(SignatureScheme::ecdsa_secp256r1_sha256, message);
    ASSERT_TRUE(ecdsa.ok());
    EXPECT_FALSE(signer(KeyKind::ecdsa_p256).public_key.verify(SignatureScheme::ecdsa_secp384r1_sha384, message, *ecdsa));
}

// conformance: RFC8446-4.2.3-1
TEST_F(Signatures, KeysRefuseSchemesOfAnotherType) {
    for (KeyKind kind : all_kinds) {
        for (SignatureScheme scheme : all_schemes) {
            if (key_supports(expected_type(kind), scheme)) {
                continue;
            }
            SCOPED_TRACE(::testing::Message() << "kind " << static_cast<int>(kind) << " scheme 0x" << std::hex
                                              << static_cast<int>(scheme));
            auto signature = signer(kind).private_key.sign(scheme, message);
            ASSERT_FALSE(signature.ok());
            EXPECT_EQ(signature.error().code, ErrorCode::invalid_argument);

            // A signature of the right shape from a key of another type is refused too.
            KeyKind other = is_ecdsa(scheme) ? KeyKind::ecdsa_p256
                            : is_rsa(scheme) ? KeyKind::rsa2048
                                             : KeyKind::ed25519;
            auto foreign = signer(other).private_key.sign(scheme, message);
            ASSERT_TRUE(foreign.ok());
            EXPECT_FALSE(signer(kind).public_key.verify(scheme, message, *foreign));
        }
    }
}

TEST_F(Signatures, EcdsaSignaturesAreDerEncoded) {
    for (KeyKind kind : {KeyKind::ecdsa_p256, KeyKind::ecdsa_p384}) {
        for (SignatureScheme scheme : {SignatureScheme::ecdsa_secp256r1_sha256, SignatureScheme::ecdsa_secp384r1_sha384}) {
            auto signature = signer(kind).private_key.sign(scheme, message);
            ASSERT_TRUE(signature.ok());
            const unsigned char* p = signature->data();
            ECDSA_SIG* parsed = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(signature->size()));
            EXPECT_NE(parsed, nullptr);
            EXPECT_EQ(p, signature->data() + signature->size()) << "no trailing bytes";
            ECDSA_SIG_free(parsed);
        }
    }
}

// Verifies with OpenSSL directly, fixing the PSS salt length explicitly; OpenSSL
// then insists on exactly that length.
bool verifies_with_pss_salt(const std::vector<uint8_t>& cert_der, const EVP_MD* md, int salt_length,
                            std::span<const uint8_t> message, std::span<const uint8_t> signature) {
    const unsigned char* p = cert_der.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(cert_der.size()));
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    bool ok = cert != nullptr && ctx != nullptr &&
              EVP_DigestVerifyInit(ctx, &pctx, md, nullptr, X509_get0_pubkey(cert)) == 1 &&
              EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
              EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, md) == 1 && EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, salt_length) == 1 &&
              EVP_DigestVerify(ctx, signature.data(), signature.size(), message.data(), message.size()) == 1;
    EVP_MD_CTX_free(ctx);
    X509_free(cert);
    ERR_clear_error();
    return ok;
}

// conformance: RFC8446-4.2.3-5 RFC8446-4.2.3-7
TEST_F(Signatures, RsaPssUsesMgf1WithTheSameHashAndASaltAsLongAsTheHash) {
    const Signer& rsa = signer(KeyKind::rsa2048);
    auto sha256 = rsa.private_key.sign(SignatureScheme::rsa_pss_rsae_sha256, message);
    auto sha384 = rsa.private_key.sign(SignatureScheme::rsa_pss_rsae_sha384, message);
    ASSERT_TRUE(sha256.ok() && sha384.ok());
    EXPECT_TRUE(verifies_with_pss_salt(rsa.cert_der, EVP_sha256(), 32, message, *sha256));
    EXPECT_FALSE(verifies_with_pss_salt(rsa.cert_der, EVP_sha256(), 20, message, *sha256));
    EXPECT_TRUE(verifies_with_pss_salt(rsa.cert_der, EVP_sha384(), 48, message, *sha384));
    EXPECT_FALSE(verifies_with_pss_salt(rsa.cert_der, EVP_sha384(), 32, message, *sha384));
    // PSS is randomised; PKCS#1 v1.5 and Ed25519 are deterministic.
    auto again = rsa.private_key.sign(SignatureScheme::rsa_pss_rsae_sha256, message);
    ASSERT_TRUE(again.ok());
    EXPECT_NE(*sha256, *again);
    EXPECT_EQ(*rsa.private_key.sign(SignatureScheme::rsa_pkcs1_sha256, message),
              *rsa.private_key.sign(SignatureScheme::rsa_pkcs1_sha256, message));
    EXPECT_EQ(sha256->size(), 256u);
}

TEST_F(Signatures, Ed25519SignsTheWholeMessage) {
    const Signer& ed = signer(KeyKind::ed25519);
    std::vector<uint8_t> long_message(5000, 0x11);
    auto signature = ed.private_key.sign(SignatureScheme::ed25519, long_message);
    ASSERT_TRUE(signature.ok());
    EXPECT_EQ(signature->size(), 64u);
    EXPECT_TRUE(ed.public_key.verify(SignatureScheme::ed25519, long_message, *signature));
    long_message.back() ^= 1;
    EXPECT_FALSE(ed.public_key.verify(SignatureScheme::ed25519, long_message, *signature));
}

TEST_F(Signatures, PrivateKeyMatchesOnlyItsOwnCertificate) {
    for (KeyKind kind : all_kinds) {
        EXPECT_TRUE(signer(kind).private_key.matches_certificate(signer(kind).cert_der));
        EXPECT_FALSE(signer(kind).private_key.matches_certificate(signer(kind, 1).cert_der));
        EXPECT_FALSE(signer(kind).private_key.matches_certificate(std::vector<uint8_t>{0x30, 0x03, 0x02, 0x01, 0x00}));
        EXPECT_FALSE(signer(kind).private_key.matches_certificate({}));
    }
    EXPECT_FALSE(signer(KeyKind::ecdsa_p256).private_key.matches_certificate(signer(KeyKind::ecdsa_p384).cert_der));
}

TEST(Signature, PublicKeyNeedsAWellFormedCertificate) {
    auto none = key_of_certificate({});
    ASSERT_FALSE(none.ok());
    EXPECT_EQ(none.error().code, ErrorCode::invalid_argument);

    test::Issued issued = test::self_signed(KeyKind::ecdsa_p256, "x.example");
    std::vector<uint8_t> trailing = issued.cert_der;
    trailing.push_back(0);
    EXPECT_FALSE(key_of_certificate(trailing).ok()) << "trailing bytes";
    std::vector<uint8_t> truncated(issued.cert_der.begin(), issued.cert_der.end() - 1);
    EXPECT_FALSE(key_of_certificate(truncated).ok()) << "truncated";
}

TEST(Signature, PrivateKeyRejectsGarbageAndEncryptedKeys) {
    EXPECT_FALSE(PrivateKey::from_pem(as_bytes("not a key")).ok());
    EXPECT_FALSE(PrivateKey::from_der(std::vector<uint8_t>{0x30, 0x00}).ok());

    // An encrypted key must fail, not prompt for a password on the terminal.
    EVP_PKEY* key = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    ASSERT_NE(key, nullptr);
    BIO* bio = BIO_new(BIO_s_mem());
    char password[] = "secret";
    ASSERT_EQ(PEM_write_bio_PrivateKey(bio, key, EVP_aes_128_cbc(), nullptr, 0, nullptr, password), 1);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string pem(data, static_cast<size_t>(len));
    BIO_free(bio);
    EVP_PKEY_free(key);
    ASSERT_NE(pem.find("ENCRYPTED"), std::string::npos);
    auto parsed = PrivateKey::from_pem(as_bytes(pem));
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.error().code, ErrorCode::credential);
}

}  // namespace
}  // namespace dtls::crypto
