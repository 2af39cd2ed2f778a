// Trusting a peer by its certificate's fingerprint (Config::peer_fingerprints),
// as WebRTC does with the a=fingerprint of the SDP: both sides hold fresh
// self-signed certificates and no CA, in DTLS 1.2 and DTLS 1.3.
#include <gtest/gtest.h>

#include "dtls/certificate.hpp"
#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

std::shared_ptr<Credential> self_signed() {
    auto credential = generate_self_signed_credential();
    EXPECT_TRUE(credential) << credential.error().to_string();
    return std::make_shared<Credential>(std::move(*credential));
}

std::string fingerprint_of(const Credential& credential, FingerprintHash hash = FingerprintHash::sha256) {
    return certificate_fingerprint(credential.chain().front(), hash);
}

// Two WebRTC-style endpoints speaking `version`: self-signed certificates,
// each side expecting the other's fingerprint, the server asking for the
// client's certificate, no CA and no server name.
struct WebrtcPair {
    Pair p;
    std::shared_ptr<Credential> client_credential = self_signed();
    std::shared_ptr<Credential> server_credential = self_signed();

    explicit WebrtcPair(ProtocolVersion version) {
        for (Config* c : {&p.client_config, &p.server_config}) {
            c->min_version = version;
            c->max_version = version;
        }
        p.client_config.credential = client_credential;
        p.client_config.peer_fingerprints = {fingerprint_of(*server_credential)};
        p.server_config.credential = server_credential;
        p.server_config.client_auth = ClientAuth::require;
        p.server_config.peer_fingerprints = {fingerprint_of(*client_credential)};
    }
};

class PeerFingerprints : public ::testing::TestWithParam<ProtocolVersion> {};

TEST_P(PeerFingerprints, SelfSignedPeersTrustEachOtherByFingerprint) {
    WebrtcPair w(GetParam());
    ASSERT_TRUE(w.p.handshake()) << w.p.describe();
    EXPECT_EQ(w.p.client->negotiated().version, GetParam());
    EXPECT_EQ(w.p.client->negotiated().peer_chain.front(), w.server_credential->chain().front());
    EXPECT_EQ(w.p.server_conn->negotiated().peer_chain.front(), w.client_credential->chain().front());
    expect_data_both_ways(w.p);
}

TEST_P(PeerFingerprints, AnyListedHashMatches) {
    WebrtcPair w(GetParam());
    // The SDP may carry several a=fingerprint lines: one matching is enough,
    // whatever its hash and the case of its hex digits.
    std::string sha512 = fingerprint_of(*w.server_credential, FingerprintHash::sha512);
    for (char& c : sha512) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    w.p.client_config.peer_fingerprints = {fingerprint_of(*w.client_credential, FingerprintHash::sha384), sha512};
    ASSERT_TRUE(w.p.handshake()) << w.p.describe();
}

TEST_P(PeerFingerprints, AClientRefusesAServerWhoseFingerprintDiffers) {
    WebrtcPair w(GetParam());
    auto other = self_signed();
    w.p.client_config.peer_fingerprints = {fingerprint_of(*other)};
    ASSERT_FALSE(w.p.handshake());
    ASSERT_EQ(w.p.client->state(), State::failed);
    const Error& e = *w.p.client->error();
    EXPECT_EQ(e.fault, Fault::fingerprint_mismatch);
    EXPECT_EQ(e.alert, Alert::bad_certificate);
    // The reason names the fingerprint the peer really has, for the log.
    EXPECT_NE(e.reason.find(fingerprint_of(*w.server_credential)), std::string::npos) << e.reason;
    ASSERT_TRUE(w.p.server_conn);
    ASSERT_TRUE(w.p.server_conn->error());
    EXPECT_EQ(w.p.server_conn->error()->code, ErrorCode::alert_received);
    EXPECT_EQ(w.p.server_conn->error()->alert, Alert::bad_certificate);
}

TEST_P(PeerFingerprints, AServerRefusesAClientWhoseFingerprintDiffers) {
    WebrtcPair w(GetParam());
    w.p.client_config.credential = self_signed();  // not the one the server expects
    ASSERT_FALSE(w.p.handshake());
    ASSERT_TRUE(w.p.server_conn);
    ASSERT_TRUE(w.p.server_conn->error());
    EXPECT_EQ(w.p.server_conn->error()->fault, Fault::fingerprint_mismatch);
    ASSERT_TRUE(w.p.client->error());
    EXPECT_EQ(w.p.client->error()->alert, Alert::bad_certificate);
}

TEST_P(PeerFingerprints, AVerifierHasTheLastWord) {
    WebrtcPair w(GetParam());
    w.p.client_config.peer_fingerprints = {fingerprint_of(*self_signed())};
    bool trusted_seen = true;
    w.p.client_config.verifier = [&](const CertificateCheck& check) {
        trusted_seen = check.trusted;
        return VerifyDecision::accepted();
    };
    ASSERT_TRUE(w.p.handshake()) << w.p.describe();
    EXPECT_FALSE(trusted_seen) << "the verifier was told a mismatching certificate matched";
}

INSTANTIATE_TEST_SUITE_P(Versions, PeerFingerprints,
                         ::testing::Values(ProtocolVersion::dtls1_2, ProtocolVersion::dtls1_3),
                         [](const ::testing::TestParamInfo<ProtocolVersion>& info) {
                             return info.param == ProtocolVersion::dtls1_2 ? "Dtls12" : "Dtls13";
                         });

TEST(PeerFingerprintsConfig, NoServerNameOrCaIsNeeded) {
    Config config;
    config.peer_fingerprints = {fingerprint_of(*self_signed())};
    EXPECT_TRUE(Connection::client(config, Instant{}));
}

TEST(PeerFingerprintsConfig, ABadFingerprintIsRefusedWithItsReason) {
    Config config;
    config.peer_fingerprints = {"md5 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"};
    auto c = Connection::client(config, Instant{});
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(c.error().reason.find("peer_fingerprints"), std::string::npos) << c.error().reason;
    EXPECT_NE(c.error().reason.find("md5"), std::string::npos) << c.error().reason;
}

TEST(PeerFingerprintsConfig, FingerprintsAndTrustedRootsTogetherAreRefused) {
    Config config;
    config.peer_fingerprints = {fingerprint_of(*self_signed())};
    config.ca_pem = dtls13_test_ca().cert_pem();
    config.server_name = "server.test";
    auto c = Connection::client(config, Instant{});
    ASSERT_FALSE(c);
    EXPECT_EQ(c.error().code, ErrorCode::invalid_argument);
}

TEST(PeerFingerprintsConfig, AServerCheckingClientsByFingerprintNeedsNoCa) {
    Config config;
    config.credential = self_signed();
    config.client_auth = ClientAuth::require;
    config.peer_fingerprints = {fingerprint_of(*self_signed())};
    EXPECT_TRUE(Server::create(config, Instant{}));
    config.peer_fingerprints.clear();
    EXPECT_FALSE(Server::create(config, Instant{}));
}

}  // namespace
}  // namespace dtls::test
