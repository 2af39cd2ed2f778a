// The client's check of the server's name: on by default and needing a
// server_name; turning it off is an explicit choice (verify_server_name =
// false), after which any certificate from the trusted roots passes, but an
// untrusted one still fails.
#include <gtest/gtest.h>

#include "support/certs.hpp"
#include "tls12/pair.hpp"

namespace dtls::test {
namespace {

const TestCa& ca() {
    static const TestCa instance = TestCa::create();
    return instance;
}

Pair pair_with_server_named(const std::string& certificate_name, const TestCa& issuer = ca()) {
    Pair p;
    p.server_config.credential =
        std::make_shared<Credential>(credential_of(issuer.issue(KeyKind::ecdsa_p256, certificate_name)));
    p.client_config.ca_pem = ca().cert_pem();
    p.client_config.server_name = "server.test";
    return p;
}

TEST(ServerNameCheck, AnEmptyNameIsRefusedUnlessTheCheckIsTurnedOff) {
    Config config = dtls12_config();
    config.ca_pem = ca().cert_pem();
    auto refused = Connection::client(config, Instant{});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(refused.error().reason.find("verify_server_name"), std::string::npos) << refused.error().reason;
    config.verify_server_name = false;
    EXPECT_TRUE(Connection::client(config, Instant{}));
    // Without checking the server at all, or with a verifier deciding, no
    // name is needed either.
    Config unchecked = dtls12_config();
    unchecked.verify_peer = false;
    EXPECT_TRUE(Connection::client(unchecked, Instant{}));
    Config with_verifier = dtls12_config();
    with_verifier.verifier = [](const CertificateCheck&) { return VerifyDecision{true, ""}; };
    EXPECT_TRUE(Connection::client(with_verifier, Instant{}));
}

TEST(ServerNameCheck, AnotherNameFailsWhileTheCheckIsOn) {
    Pair p = pair_with_server_named("other.test");
    ASSERT_FALSE(p.handshake());
    ASSERT_TRUE(p.client->error());
    EXPECT_EQ(p.client->error()->alert, Alert::bad_certificate);
}

TEST(ServerNameCheck, WithTheCheckOffAnyCertificateFromTheRootsPasses) {
    Pair p = pair_with_server_named("other.test");
    p.client_config.verify_server_name = false;
    ASSERT_TRUE(p.handshake()) << p.describe();
    expect_data_both_ways(p);
}

TEST(ServerNameCheck, WithTheCheckOffAnUntrustedCertificateStillFails) {
    const TestCa stranger = TestCa::create(KeyKind::ecdsa_p256, "another CA");
    Pair p = pair_with_server_named("server.test", stranger);
    p.client_config.verify_server_name = false;
    ASSERT_FALSE(p.handshake());
    ASSERT_TRUE(p.client->error());
    EXPECT_EQ(p.client->error()->alert, Alert::unknown_ca);
}

}  // namespace
}  // namespace dtls::test
