// Raw public keys (RFC 7250) between our client and our server, in DTLS 1.2
// and DTLS 1.3: a server, or both sides, authenticated by a bare key that the
// peer trusts out of band; the certificate type negotiation, its refusals
// (no type in common, an untrusted key) and the mixed case of a raw-key
// server and an X.509 client.
#include <gtest/gtest.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

#include "support/certs.hpp"
#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

std::shared_ptr<Credential> raw_key(KeyKind kind = KeyKind::ecdsa_p256) {
    auto credential = Credential::raw_public_key_from_pem(generate_key_pem(kind));
    EXPECT_TRUE(credential) << credential.error().to_string();
    return std::make_shared<Credential>(std::move(*credential));
}

const Bytes& spki_of(const Credential& credential) { return credential.chain().front(); }

// Both sides speak `version` only; the server holds a raw key the client
// trusts, and neither side accepts X.509.
struct RpkPair {
    Pair p;
    std::shared_ptr<Credential> server_key = raw_key();

    explicit RpkPair(ProtocolVersion version) {
        for (Config* c : {&p.client_config, &p.server_config}) {
            c->min_version = version;
            c->max_version = version;
            c->certificate_types = {CertificateType::raw_public_key};
        }
        p.server_config.credential = server_key;
        p.client_config.trusted_raw_public_keys = {spki_of(*server_key)};
    }

    // The client shows a raw key of its own, which the server requires and trusts.
    std::shared_ptr<Credential> mutual() {
        auto client_key = raw_key(KeyKind::ed25519);
        p.client_config.credential = client_key;
        p.server_config.client_auth = ClientAuth::require;
        p.server_config.trusted_raw_public_keys = {spki_of(*client_key)};
        return client_key;
    }
};

class RawPublicKeys : public ::testing::TestWithParam<ProtocolVersion> {};

TEST_P(RawPublicKeys, TheServerAuthenticatesWithARawKey) {
    RpkPair r(GetParam());
    ASSERT_TRUE(r.p.handshake()) << r.p.describe();
    const Negotiated& n = r.p.client->negotiated();
    EXPECT_EQ(n.version, GetParam());
    EXPECT_EQ(n.server_certificate_type, CertificateType::raw_public_key);
    EXPECT_EQ(n.peer_raw_public_key, spki_of(*r.server_key));
    EXPECT_TRUE(n.peer_chain.empty());
    EXPECT_EQ(r.p.server_conn->negotiated().server_certificate_type, CertificateType::raw_public_key);
    expect_data_both_ways(r.p);
}

TEST_P(RawPublicKeys, BothSidesAuthenticateWithRawKeys) {
    RpkPair r(GetParam());
    auto client_key = r.mutual();
    ASSERT_TRUE(r.p.handshake()) << r.p.describe();
    const Negotiated& s = r.p.server_conn->negotiated();
    EXPECT_EQ(s.client_certificate_type, CertificateType::raw_public_key);
    EXPECT_EQ(s.peer_raw_public_key, spki_of(*client_key));
    EXPECT_EQ(s.peer_signature_scheme, SignatureScheme::ed25519);
    EXPECT_EQ(r.p.client->negotiated().client_certificate_type, CertificateType::raw_public_key);
    expect_data_both_ways(r.p);
}

TEST_P(RawPublicKeys, RsaAndP384KeysWorkToo) {
    RpkPair r(GetParam());
    r.server_key = raw_key(KeyKind::rsa2048);
    r.p.server_config.credential = r.server_key;
    r.p.client_config.trusted_raw_public_keys = {spki_of(*r.server_key)};
    auto client_key = raw_key(KeyKind::ecdsa_p384);
    r.p.client_config.credential = client_key;
    r.p.server_config.client_auth = ClientAuth::require;
    r.p.server_config.trusted_raw_public_keys = {spki_of(*client_key)};
    ASSERT_TRUE(r.p.handshake()) << r.p.describe();
    EXPECT_EQ(r.p.server_conn->negotiated().peer_raw_public_key, spki_of(*client_key));
}

TEST_P(RawPublicKeys, AClientRefusesAnUntrustedServerKey) {
    RpkPair r(GetParam());
    r.p.client_config.trusted_raw_public_keys = {spki_of(*raw_key())};
    ASSERT_FALSE(r.p.handshake());
    ASSERT_TRUE(r.p.client->error());
    EXPECT_EQ(r.p.client->error()->fault, Fault::raw_public_key_untrusted);
    EXPECT_EQ(r.p.client->error()->alert, Alert::bad_certificate);
    ASSERT_TRUE(r.p.server_conn && r.p.server_conn->error());
    EXPECT_EQ(r.p.server_conn->error()->code, ErrorCode::alert_received);
    EXPECT_EQ(r.p.server_conn->error()->alert, Alert::bad_certificate);
}

TEST_P(RawPublicKeys, AServerRefusesAnUntrustedClientKey) {
    RpkPair r(GetParam());
    r.mutual();
    r.p.server_config.trusted_raw_public_keys = {spki_of(*raw_key())};
    ASSERT_FALSE(r.p.handshake());
    ASSERT_TRUE(r.p.server_conn && r.p.server_conn->error());
    EXPECT_EQ(r.p.server_conn->error()->fault, Fault::raw_public_key_untrusted);
    ASSERT_TRUE(r.p.client->error());
    EXPECT_EQ(r.p.client->error()->alert, Alert::bad_certificate);
}

TEST_P(RawPublicKeys, AVerifierSeesTheKeyAndHasTheLastWord) {
    RpkPair r(GetParam());
    r.p.client_config.trusted_raw_public_keys.clear();
    CertificateCheck seen;
    Bytes seen_key;
    r.p.client_config.verifier = [&](const CertificateCheck& check) {
        seen.trusted = check.trusted;
        seen.type = check.type;
        if (check.chain.size() == 1) seen_key = check.chain.front();
        return VerifyDecision::accepted();
    };
    ASSERT_TRUE(r.p.handshake()) << r.p.describe();
    EXPECT_EQ(seen.type, CertificateType::raw_public_key);
    EXPECT_FALSE(seen.trusted);
    EXPECT_EQ(seen_key, spki_of(*r.server_key));

    RpkPair refused(GetParam());
    refused.p.client_config.verifier = [](const CertificateCheck&) { return VerifyDecision::rejected("not today"); };
    ASSERT_FALSE(refused.p.handshake());
    EXPECT_EQ(refused.p.client->error()->fault, Fault::certificate_rejected);
}

TEST_P(RawPublicKeys, ARawKeyServerAndAnX509Client) {
    RpkPair r(GetParam());
    // The server accepts a client certificate from the test CA; the client
    // accepts the server's raw key and shows its X.509 certificate.
    r.p.server_config.certificate_types = {CertificateType::raw_public_key, CertificateType::x509};
    r.p.server_config.client_auth = ClientAuth::require;
    r.p.server_config.ca_pem = dtls13_test_ca().cert_pem();
    r.p.client_config.certificate_types = {CertificateType::raw_public_key, CertificateType::x509};
    auto client_cert = std::make_shared<Credential>(credential_of(issue_from_test_ca(KeyKind::ecdsa_p256, "client")));
    r.p.client_config.credential = client_cert;
    r.p.client_config.verify_server_name = false;
    r.p.client_config.ca_pem = dtls13_test_ca().cert_pem();
    ASSERT_TRUE(r.p.handshake()) << r.p.describe();
    const Negotiated& s = r.p.server_conn->negotiated();
    EXPECT_EQ(s.server_certificate_type, CertificateType::raw_public_key);
    EXPECT_EQ(s.client_certificate_type, CertificateType::x509);
    EXPECT_EQ(s.peer_chain, client_cert->chain());
    EXPECT_TRUE(s.peer_raw_public_key.empty());
    EXPECT_EQ(r.p.client->negotiated().peer_raw_public_key, spki_of(*r.server_key));
}

TEST_P(RawPublicKeys, AnX509ServerForAClientThatWantsOnlyRawKeysIsUnsupportedCertificate) {
    RpkPair r(GetParam());
    r.p.server_config = make_dtls13_pair().server_config;  // X.509 only, the default
    r.p.server_config.min_version = r.p.server_config.max_version = GetParam();
    ASSERT_FALSE(r.p.handshake());
    ASSERT_TRUE(r.p.server_conn || r.p.client->error());
    ASSERT_TRUE(r.p.client->error());
    EXPECT_EQ(r.p.client->error()->code, ErrorCode::alert_received);
    EXPECT_EQ(r.p.client->error()->alert, Alert::unsupported_certificate);
}

TEST_P(RawPublicKeys, ARawKeyServerForAnX509OnlyClientIsUnsupportedCertificate) {
    RpkPair r(GetParam());
    Pair x509 = make_dtls13_pair();
    r.p.client_config = x509.client_config;  // offers no certificate types
    r.p.client_config.min_version = r.p.client_config.max_version = GetParam();
    ASSERT_FALSE(r.p.handshake());
    ASSERT_TRUE(r.p.client->error());
    EXPECT_EQ(r.p.client->error()->alert, Alert::unsupported_certificate);
}

// An X.509 server that asks for a client certificate, and a client that
// has only a raw key to show.
Pair x509_server_and_raw_key_client(ProtocolVersion version, ClientAuth client_auth) {
    Pair p = make_dtls13_pair();
    for (Config* c : {&p.client_config, &p.server_config}) c->min_version = c->max_version = version;
    p.server_config.client_auth = client_auth;
    p.server_config.ca_pem = dtls13_test_ca().cert_pem();
    p.client_config.certificate_types = {CertificateType::raw_public_key, CertificateType::x509};
    p.client_config.credential = raw_key();
    p.client_config.trusted_raw_public_keys = {spki_of(*raw_key())};
    return p;
}

TEST_P(RawPublicKeys, NoClientTypeInCommonFailsWhenTheServerRequiresACertificate) {
    Pair p = x509_server_and_raw_key_client(GetParam(), ClientAuth::require);
    ASSERT_FALSE(p.handshake());
    ASSERT_TRUE(p.server_conn && p.server_conn->error());
    EXPECT_EQ(p.server_conn->error()->fault, Fault::no_common_certificate_type);
    EXPECT_EQ(p.client->error()->alert, Alert::unsupported_certificate);
}

TEST_P(RawPublicKeys, NoClientTypeInCommonSkipsAnOptionalCertificateRequest) {
    Pair p = x509_server_and_raw_key_client(GetParam(), ClientAuth::request);
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().server_certificate_type, CertificateType::x509);
    EXPECT_FALSE(p.client->negotiated().peer_chain.empty());
    EXPECT_TRUE(p.server_conn->negotiated().peer_chain.empty());
    EXPECT_TRUE(p.server_conn->negotiated().peer_raw_public_key.empty());
}

TEST_P(RawPublicKeys, AClientThatAlsoAcceptsX509TakesAnX509Server) {
    Pair p = x509_server_and_raw_key_client(GetParam(), ClientAuth::none);
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().server_certificate_type, CertificateType::x509);
    EXPECT_TRUE(p.client->negotiated().peer_raw_public_key.empty());
}

INSTANTIATE_TEST_SUITE_P(Versions, RawPublicKeys, ::testing::Values(ProtocolVersion::dtls1_2, ProtocolVersion::dtls1_3),
                         [](const auto& info) {
                             return info.param == ProtocolVersion::dtls1_2 ? std::string("dtls12")
                                                                           : std::string("dtls13");
                         });

}  // namespace
}  // namespace dtls::test
