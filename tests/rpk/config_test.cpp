// The raw public key parts of the API: loading a key pair as a raw-key
// credential, loading a trusted public key, and the configuration check's
// refusals of settings that cannot work.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdio>
#include <fstream>
#include <memory>
#include <string>

#include "dtls/dtls.hpp"
#include "support/certs.hpp"

namespace dtls::test {
namespace {

// The "PUBLIC KEY" PEM of a private key PEM, as `openssl pkey -pubout` writes it.
std::string public_pem_of(const std::string& key_pem) {
    BIO* in = BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(in, nullptr, nullptr, nullptr);
    BIO* out = BIO_new(BIO_s_mem());
    EXPECT_EQ(PEM_write_bio_PUBKEY(out, key), 1);
    char* data = nullptr;
    long len = BIO_get_mem_data(out, &data);
    std::string pem(data, static_cast<size_t>(len));
    BIO_free(out);
    EVP_PKEY_free(key);
    BIO_free(in);
    return pem;
}

TEST(RawPublicKeyCredential, HoldsTheKeyAndItsSubjectPublicKeyInfo) {
    const std::string key_pem = generate_key_pem(KeyKind::ecdsa_p256);
    auto credential = Credential::raw_public_key_from_pem(key_pem);
    ASSERT_TRUE(credential) << credential.error().to_string();
    EXPECT_EQ(credential->type(), CertificateType::raw_public_key);
    ASSERT_EQ(credential->chain().size(), 1u);
    auto public_key = public_key_from_pem(public_pem_of(key_pem));
    ASSERT_TRUE(public_key) << public_key.error().to_string();
    EXPECT_EQ(*public_key, credential->chain().front());
    // An X.509 credential says so.
    EXPECT_EQ(credential_of(shared_server_cert()).type(), CertificateType::x509);
}

TEST(RawPublicKeyCredential, LoadsFromFiles) {
    const std::string key_pem = generate_key_pem(KeyKind::ed25519);
    const std::string key_path = ::testing::TempDir() + "rpk_key.pem";
    const std::string pub_path = ::testing::TempDir() + "rpk_pub.pem";
    std::ofstream(key_path) << key_pem;
    std::ofstream(pub_path) << public_pem_of(key_pem);
    auto credential = Credential::raw_public_key_from_file(key_path);
    ASSERT_TRUE(credential) << credential.error().to_string();
    auto public_key = public_key_from_file(pub_path);
    ASSERT_TRUE(public_key) << public_key.error().to_string();
    EXPECT_EQ(*public_key, credential->chain().front());
    auto missing = Credential::raw_public_key_from_file(key_path + ".missing");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().code, ErrorCode::credential);
    std::remove(key_path.c_str());
    std::remove(pub_path.c_str());
}

TEST(RawPublicKeyCredential, RefusesWhatIsNotAKey) {
    EXPECT_FALSE(Credential::raw_public_key_from_pem("not a key"));
    EXPECT_FALSE(public_key_from_pem("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"));
    EXPECT_FALSE(public_key_from_pem(generate_key_pem(KeyKind::ecdsa_p256)));  // a private key is not a PUBLIC KEY block
}

Bytes some_spki() { return Credential::raw_public_key_from_pem(generate_key_pem(KeyKind::ecdsa_p256))->chain().front(); }

std::shared_ptr<Credential> raw_credential() {
    return std::make_shared<Credential>(*Credential::raw_public_key_from_pem(generate_key_pem(KeyKind::ecdsa_p256)));
}

// Whether Connection::client accepts the configuration; the reason otherwise.
std::string client_refusal(const Config& config) {
    auto c = Connection::client(config, Instant{});
    return c ? std::string() : c.error().reason;
}

std::string server_refusal(const Config& config) {
    auto s = Server::create(config, Instant{});
    return s ? std::string() : s.error().reason;
}

Config raw_key_client() {
    Config c;
    c.certificate_types = {CertificateType::raw_public_key};
    c.trusted_raw_public_keys = {some_spki()};
    return c;
}

TEST(RawPublicKeyConfig, AWorkingRawKeyClientAndServerAreAccepted) {
    EXPECT_EQ(client_refusal(raw_key_client()), "");
    Config server;
    server.certificate_types = {CertificateType::raw_public_key};
    server.credential = raw_credential();
    EXPECT_EQ(server_refusal(server), "");
    server.client_auth = ClientAuth::require;
    server.trusted_raw_public_keys = {some_spki()};
    EXPECT_EQ(server_refusal(server), "");
}

TEST(RawPublicKeyConfig, NonsenseIsRefused) {
    Config c = raw_key_client();
    c.certificate_types = {};
    EXPECT_NE(client_refusal(c).find("certificate_types is empty"), std::string::npos);

    c = raw_key_client();
    c.certificate_types = {CertificateType::raw_public_key, CertificateType::raw_public_key};
    EXPECT_NE(client_refusal(c).find("twice"), std::string::npos);

    c = raw_key_client();
    c.certificate_types = {static_cast<CertificateType>(1)};  // OpenPGP (RFC 6091): not supported
    EXPECT_NE(client_refusal(c).find("unknown certificate type"), std::string::npos);

    // A raw-key credential while only X.509 is offered.
    Config server;
    server.credential = raw_credential();
    EXPECT_NE(server_refusal(server).find("which certificate_types does not list"), std::string::npos);

    // An X.509 credential while only raw keys are.
    server.credential = std::make_shared<Credential>(credential_of(shared_server_cert()));
    server.certificate_types = {CertificateType::raw_public_key};
    EXPECT_NE(server_refusal(server).find("which certificate_types does not list"), std::string::npos);

    // Trusted keys that X.509 alone would never use.
    c = raw_key_client();
    c.certificate_types = {CertificateType::x509};
    c.verify_peer = false;
    EXPECT_NE(client_refusal(c).find("does not list raw_public_key"), std::string::npos);

    // A raw key accepted with nothing to check it against.
    c = raw_key_client();
    c.trusted_raw_public_keys.clear();
    EXPECT_NE(client_refusal(c).find("neither trusted_raw_public_keys nor a verifier"), std::string::npos);
    c.certificate_types.push_back(CertificateType::x509);  // X.509 from the trusted roots is still possible
    c.ca_pem = shared_ca().cert_pem();
    c.verify_server_name = false;
    EXPECT_EQ(client_refusal(c), "");

    // A trusted key that is not a SubjectPublicKeyInfo.
    c = raw_key_client();
    c.trusted_raw_public_keys = {Bytes{0x30, 0x03, 0x02, 0x01, 0x01}};
    EXPECT_NE(client_refusal(c).find("trusted_raw_public_keys"), std::string::npos);
}

TEST(RawPublicKeyConfig, NoServerNameIsNeededWithoutX509) {
    // X.509 checking needs a name (or verify_server_name = false); a raw key has none.
    Config c = raw_key_client();
    EXPECT_TRUE(c.server_name.empty());
    EXPECT_EQ(client_refusal(c), "");
}

}  // namespace
}  // namespace dtls::test
