// Loading a certificate chain and key into dtls::Credential: every format a
// user is likely to have, and a clear reason for each way it can fail.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstdio>
#include <fstream>

#include "crypto/credential.hpp"
#include "hex.hpp"
#include "support/certs.hpp"

namespace dtls {
namespace {

using test::KeyKind;

// PEM text of the certificate in `pem` as DER.
Bytes der_of(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    X509* cert = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    int len = i2d_X509(cert, nullptr);
    Bytes der(static_cast<size_t>(len));
    unsigned char* out = der.data();
    i2d_X509(cert, &out);
    X509_free(cert);
    return der;
}

EVP_PKEY* parse_key(const std::string& pem) {
    BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(bio, nullptr, nullptr, nullptr);
    BIO_free(bio);
    return key;
}

// The key re-encoded in OpenSSL's "traditional" form (BEGIN EC/RSA PRIVATE KEY).
std::string traditional_pem(const std::string& pkcs8_pem) {
    EVP_PKEY* key = parse_key(pkcs8_pem);
    BIO* bio = BIO_new(BIO_s_mem());
    PEM_write_bio_PrivateKey_traditional(bio, key, nullptr, nullptr, 0, nullptr, nullptr);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio, &data);
    std::string out(data, static_cast<size_t>(len));
    BIO_free(bio);
    EVP_PKEY_free(key);
    return out;
}

Bytes traditional_der(const std::string& pkcs8_pem) {
    EVP_PKEY* key = parse_key(pkcs8_pem);
    int len = i2d_PrivateKey(key, nullptr);
    Bytes der(static_cast<size_t>(len));
    unsigned char* out = der.data();
    i2d_PrivateKey(key, &out);
    EVP_PKEY_free(key);
    return der;
}

std::string temp_path(const std::string& name) { return ::testing::TempDir() + "dtls_credential_test_" + name; }

void write_file(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
}

TEST(Credential, LoadsAChainWithIntermediateLeafFirst) {
    test::TestCa root = test::TestCa::create();
    test::TestCa sub = root.intermediate(KeyKind::ecdsa_p256, "dtls test intermediate");
    test::Issued leaf = sub.issue(KeyKind::ecdsa_p256, "server.example");

    auto credential = Credential::from_pem(leaf.chain_pem, leaf.key_pem);
    ASSERT_TRUE(credential.ok()) << credential.error().reason;
    ASSERT_EQ(credential->chain().size(), 2u);
    EXPECT_EQ(credential->chain()[0], leaf.cert_der);
    EXPECT_EQ(credential->chain()[1], der_of(sub.cert_pem()));
    EXPECT_EQ(credential->data().key.type(), crypto::KeyType::ecdsa_p256);
}

TEST(Credential, LoadsEveryKeyKind) {
    test::TestCa ca = test::TestCa::create();
    for (KeyKind kind : {KeyKind::ecdsa_p256, KeyKind::ecdsa_p384, KeyKind::rsa2048, KeyKind::ed25519}) {
        test::Issued issued = ca.issue(kind, "server.example");
        auto credential = Credential::from_pem(issued.chain_pem, issued.key_pem);
        ASSERT_TRUE(credential.ok()) << credential.error().reason;
        EXPECT_EQ(credential->chain().size(), 1u);
        EXPECT_TRUE(credential->data().key.matches_certificate(credential->chain()[0]));
    }
}

TEST(Credential, AcceptsTraditionalKeyFormats) {
    for (KeyKind kind : {KeyKind::ecdsa_p256, KeyKind::rsa2048}) {
        test::Issued issued = test::self_signed(kind, "peer.example");
        std::string traditional = traditional_pem(issued.key_pem);
        ASSERT_NE(traditional.find(kind == KeyKind::rsa2048 ? "BEGIN RSA PRIVATE KEY" : "BEGIN EC PRIVATE KEY"),
                  std::string::npos);
        auto from_pem = Credential::from_pem(issued.chain_pem, traditional);
        EXPECT_TRUE(from_pem.ok()) << from_pem.error().reason;

        Bytes key_der = traditional_der(issued.key_pem);
        std::vector<Bytes> chain{issued.cert_der};
        auto from_der = Credential::from_der(chain, key_der);
        EXPECT_TRUE(from_der.ok()) << from_der.error().reason;
    }
}

TEST(Credential, AcceptsAKeyPemWithEcParametersFirst) {
    // What `openssl ecparam -genkey` writes: an EC PARAMETERS block, then the key.
    test::Issued issued = test::self_signed(KeyKind::ecdsa_p256, "peer.example");
    std::string key = "-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n" +
                      traditional_pem(issued.key_pem);
    auto credential = Credential::from_pem(issued.chain_pem, key);
    EXPECT_TRUE(credential.ok()) << credential.error().reason;
}

TEST(Credential, RejectsAKeyThatDoesNotMatchTheLeaf) {
    test::TestCa ca = test::TestCa::create();
    test::Issued a = ca.issue(KeyKind::ecdsa_p256, "a.example");
    test::Issued b = ca.issue(KeyKind::ecdsa_p256, "b.example");
    auto credential = Credential::from_pem(a.chain_pem, b.key_pem);
    ASSERT_FALSE(credential.ok());
    EXPECT_EQ(credential.error().code, ErrorCode::credential);
    EXPECT_NE(credential.error().reason.find("private key does not match certificate"), std::string::npos)
        << credential.error().reason;

    // The CA's key does not match the leaf either, though it signed it.
    EXPECT_FALSE(Credential::from_pem(a.chain_pem, ca.key_pem()).ok());

    std::vector<Bytes> chain{a.cert_der};
    auto der = Credential::from_der(chain, traditional_der(b.key_pem));
    ASSERT_FALSE(der.ok());
    EXPECT_NE(der.error().reason.find("does not match"), std::string::npos);
}

TEST(Credential, RejectsBadCertificatePem) {
    test::Issued issued = test::self_signed(KeyKind::ecdsa_p256, "peer.example");

    auto garbage = Credential::from_pem("hello", issued.key_pem);
    ASSERT_FALSE(garbage.ok());
    EXPECT_EQ(garbage.error().code, ErrorCode::credential);
    EXPECT_NE(garbage.error().reason.find("no certificate"), std::string::npos) << garbage.error().reason;

    // A damaged body inside valid armour.
    std::string damaged = issued.cert_pem;
    damaged[damaged.find('\n') + 10] = '*';
    auto broken = Credential::from_pem(damaged, issued.key_pem);
    ASSERT_FALSE(broken.ok());
    EXPECT_EQ(broken.error().code, ErrorCode::credential);

    // A key where the chain should be.
    EXPECT_FALSE(Credential::from_pem(issued.key_pem, issued.key_pem).ok());
}

TEST(Credential, RejectsBadKeyPem) {
    test::Issued issued = test::self_signed(KeyKind::ecdsa_p256, "peer.example");
    auto result = Credential::from_pem(issued.chain_pem, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error().code, ErrorCode::credential);
    EXPECT_NE(result.error().reason.find("private key"), std::string::npos) << result.error().reason;
    EXPECT_FALSE(Credential::from_pem(issued.chain_pem, "").ok());
}

TEST(Credential, RejectsBadDer) {
    test::Issued issued = test::self_signed(KeyKind::ecdsa_p256, "peer.example");
    Bytes key = traditional_der(issued.key_pem);
    EXPECT_FALSE(Credential::from_der({}, key).ok()) << "empty chain";
    std::vector<Bytes> garbage{Bytes{1, 2, 3}};
    EXPECT_FALSE(Credential::from_der(garbage, key).ok()) << "garbage certificate";
    std::vector<Bytes> chain{issued.cert_der};
    EXPECT_FALSE(Credential::from_der(chain, Bytes{0x30, 0x01}).ok()) << "garbage key";
}

TEST(Credential, LoadsFromFiles) {
    test::TestCa root = test::TestCa::create();
    test::Issued leaf = root.intermediate(KeyKind::ecdsa_p384, "sub").issue(KeyKind::ecdsa_p384, "server.example");
    std::string chain_path = temp_path("chain.pem");
    std::string key_path = temp_path("key.pem");
    write_file(chain_path, leaf.chain_pem);
    write_file(key_path, leaf.key_pem);

    auto credential = Credential::from_files(chain_path, key_path);
    ASSERT_TRUE(credential.ok()) << credential.error().reason;
    EXPECT_EQ(credential->chain().size(), 2u);
    EXPECT_EQ(credential->chain()[0], leaf.cert_der);

    // DER files work too.
    std::string cert_der_path = temp_path("cert.der");
    std::string key_der_path = temp_path("key.der");
    write_file(cert_der_path, std::string(leaf.cert_der.begin(), leaf.cert_der.end()));
    Bytes key_der = traditional_der(leaf.key_pem);
    write_file(key_der_path, std::string(key_der.begin(), key_der.end()));
    auto from_der_files = Credential::from_files(cert_der_path, key_der_path);
    EXPECT_TRUE(from_der_files.ok()) << from_der_files.error().reason;

    for (const std::string& path : {chain_path, key_path, cert_der_path, key_der_path}) {
        std::remove(path.c_str());
    }
}

TEST(Credential, MissingFilesAreNamedInTheReason) {
    test::Issued issued = test::self_signed(KeyKind::ecdsa_p256, "peer.example");
    std::string key_path = temp_path("present_key.pem");
    std::string chain_path = temp_path("present_chain.pem");
    write_file(key_path, issued.key_pem);
    write_file(chain_path, issued.chain_pem);
    const std::string missing = "/nonexistent/dtls/missing.pem";

    auto no_chain = Credential::from_files(missing, key_path);
    ASSERT_FALSE(no_chain.ok());
    EXPECT_EQ(no_chain.error().code, ErrorCode::credential);
    EXPECT_NE(no_chain.error().reason.find(missing), std::string::npos) << no_chain.error().reason;

    auto no_key = Credential::from_files(chain_path, missing);
    ASSERT_FALSE(no_key.ok());
    EXPECT_NE(no_key.error().reason.find(missing), std::string::npos) << no_key.error().reason;

    std::remove(key_path.c_str());
    std::remove(chain_path.c_str());
}

TEST(Credential, FactoryCredentialOfUsesTheWholeChain) {
    test::TestCa root = test::TestCa::create(KeyKind::rsa2048, "rsa root");
    test::TestCa sub1 = root.intermediate(KeyKind::ecdsa_p384, "sub one");
    test::TestCa sub2 = sub1.intermediate(KeyKind::ecdsa_p256, "sub two");
    test::Issued leaf = sub2.issue(KeyKind::ed25519, "peer.example");
    Credential credential = test::credential_of(leaf);
    ASSERT_EQ(credential.chain().size(), 3u);
    EXPECT_EQ(credential.chain()[1], der_of(sub2.cert_pem()));
    EXPECT_EQ(credential.chain()[2], der_of(sub1.cert_pem()));
    EXPECT_EQ(credential.data().key.type(), crypto::KeyType::ed25519);
}

}  // namespace
}  // namespace dtls
