// Our engine against OpenSSL's libssl in the same process, both roles, every
// DTLS 1.2 suite both implement, with data both ways and agreement on what
// was negotiated.
#include <gtest/gtest.h>

#include "interop/libssl_pump.hpp"
#include "support/certs.hpp"

namespace dtls::test {
namespace {

struct SuiteCase {
    CipherSuite suite;
    KeyKind key;
    const char* openssl_name;
};

const SuiteCase kSuites[] = {
    {CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, KeyKind::ecdsa_p256, "ECDHE-ECDSA-AES128-GCM-SHA256"},
    {CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384, KeyKind::ecdsa_p256, "ECDHE-ECDSA-AES256-GCM-SHA384"},
    {CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, KeyKind::ecdsa_p256, "ECDHE-ECDSA-CHACHA20-POLY1305"},
    {CipherSuite::ecdhe_rsa_aes128_gcm_sha256, KeyKind::rsa2048, "ECDHE-RSA-AES128-GCM-SHA256"},
    {CipherSuite::ecdhe_rsa_aes256_gcm_sha384, KeyKind::rsa2048, "ECDHE-RSA-AES256-GCM-SHA384"},
    {CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256, KeyKind::rsa2048, "ECDHE-RSA-CHACHA20-POLY1305"},
};

const TestCa& ca() {
    static TestCa c = TestCa::create(KeyKind::ecdsa_p256);
    return c;
}

Issued server_cert(KeyKind kind) {
    IssueOptions names;
    names.dns_names = {"server.test"};
    return ca().issue(kind, "server.test", names);
}

Instant start_time() { return Instant{} + std::chrono::hours(1); }

class LibsslSuites : public ::testing::TestWithParam<SuiteCase> {};

TEST_P(LibsslSuites, OurClientAgainstLibsslServer) {
    const SuiteCase& c = GetParam();
    Issued cert = server_cert(c.key);
    OpenSslPeerOptions o;
    o.role = PeerRole::server;
    o.cert_chain_pem = cert.chain_pem;
    o.key_pem = cert.key_pem;
    o.cipher_list = c.openssl_name;
    OpenSslPeer peer(o, start_time());
    ASSERT_FALSE(peer.failed()) << peer.error();

    Config config;
    config.cipher_suites = {c.suite};
    config.ca_pem = ca().cert_pem();
    config.server_name = "server.test";
    auto client = Connection::client(config, start_time());
    ASSERT_TRUE(client) << client.error().to_string();
    ClientVsLibssl run{std::move(*client), peer, start_time(), {}};
    run.pump();
    ASSERT_EQ(run.client.state(), State::established)
        << (run.client.error() ? run.client.error()->to_string() : "") << " / libssl: " << peer.error();
    ASSERT_TRUE(peer.handshake_complete());
    EXPECT_EQ(peer.cipher_id(), static_cast<uint16_t>(c.suite));
    EXPECT_EQ(run.client.negotiated().cipher_suite, c.suite);
    EXPECT_EQ(peer.group_name(), to_string(run.client.negotiated().group));
    EXPECT_TRUE(peer.extended_master_secret());

    ASSERT_TRUE(run.client.send(bytes_of("ping from dtls"), run.now));
    ASSERT_GT(peer.send(bytes_of("pong from libssl")), 0);
    run.pump();
    EXPECT_EQ(strings_of(peer.take_received()), std::vector<std::string>{"ping from dtls"});
    EXPECT_EQ(received_strings(run.events), std::vector<std::string>{"pong from libssl"});

    auto ours = run.client.export_keying_material("EXTRACTOR-dtls_srtp", {}, false, 60);
    ASSERT_TRUE(ours);
    EXPECT_EQ(*ours, peer.export_keying_material("EXTRACTOR-dtls_srtp", {}, 60, false));

    run.client.close(run.now);
    run.pump();
    EXPECT_TRUE(peer.peer_closed());
}

TEST_P(LibsslSuites, LibsslClientAgainstOurServer) {
    const SuiteCase& c = GetParam();
    Issued cert = server_cert(c.key);
    Config config;
    config.cipher_suites = {c.suite};
    config.credential = std::make_shared<Credential>(credential_of(cert));
    auto server = Server::create(config, start_time());
    ASSERT_TRUE(server) << server.error().to_string();

    OpenSslPeerOptions o;
    o.role = PeerRole::client;
    o.cipher_list = c.openssl_name;
    o.ca_pem = ca().cert_pem();
    o.verify_peer = true;
    o.expected_host_name = "server.test";
    OpenSslPeer peer(o, start_time());
    ASSERT_FALSE(peer.failed()) << peer.error();

    LibsslVsServer run{std::move(*server), peer, start_time(), {}, {}};
    run.pump();
    ASSERT_TRUE(run.conn);
    EXPECT_EQ(run.hello_verify_requests, 1u);
    ASSERT_EQ(run.conn->state(), State::established)
        << (run.conn->error() ? run.conn->error()->to_string() : "") << " / libssl: " << peer.error();
    ASSERT_TRUE(peer.handshake_complete()) << peer.error();
    EXPECT_EQ(peer.cipher_id(), static_cast<uint16_t>(c.suite));
    EXPECT_EQ(peer.group_name(), to_string(run.conn->negotiated().group));

    ASSERT_GT(peer.send(bytes_of("ping from libssl")), 0);
    ASSERT_TRUE(run.conn->send(bytes_of("pong from dtls"), run.now));
    run.pump();
    EXPECT_EQ(received_strings(run.events), std::vector<std::string>{"ping from libssl"});
    EXPECT_EQ(strings_of(peer.take_received()), std::vector<std::string>{"pong from dtls"});

    peer.close();
    run.pump();
    EXPECT_EQ(run.conn->state(), State::closed);
}

std::string suite_test_name(const ::testing::TestParamInfo<SuiteCase>& info) {
    std::string name = info.param.openssl_name;
    for (char& ch : name) {
        if (ch == '-') ch = '_';
    }
    return name;
}

INSTANTIATE_TEST_SUITE_P(AllSuites, LibsslSuites, ::testing::ValuesIn(kSuites), suite_test_name);

}  // namespace
}  // namespace dtls::test
