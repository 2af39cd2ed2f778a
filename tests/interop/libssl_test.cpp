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
    // RFC 7251 (not in libssl's default list either: the cipher string names them).
    {CipherSuite::ecdhe_ecdsa_aes128_ccm, KeyKind::ecdsa_p256, "ECDHE-ECDSA-AES128-CCM"},
    {CipherSuite::ecdhe_ecdsa_aes128_ccm8, KeyKind::ecdsa_p256, "ECDHE-ECDSA-AES128-CCM8"},
};

const TestCa& ca() { return shared_ca(); }
const Issued& server_cert(KeyKind kind) { return shared_server_cert(kind); }

Instant start_time() { return Instant{} + std::chrono::hours(1); }

class LibsslSuites : public ::testing::TestWithParam<SuiteCase> {};

// conformance: RFC7627-5.1-1
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

// conformance: RFC6347-4.2.6-2
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

// Options beyond the suite: certificate types, client authentication, ALPN,
// a small MTU that fragments the certificate flight, and cookies off.
struct OptionCase {
    const char* name;
    bool libssl_server_can;  // OpenSSL 3.0 enables Ed25519 server keys only for TLS 1.2, not DTLS 1.2
    KeyKind server_key;
    bool client_auth;
    KeyKind client_key;
    size_t mtu;
    bool cookies;
    bool alpn;
};

const OptionCase kOptions[] = {
    {"EcdsaP384", true, KeyKind::ecdsa_p384, false, KeyKind::ecdsa_p256, 1200, true, false},
    {"Ed25519", false, KeyKind::ed25519, false, KeyKind::ecdsa_p256, 1200, true, false},
    {"ClientAuthEcdsa", true, KeyKind::ecdsa_p256, true, KeyKind::ecdsa_p256, 1200, true, false},
    {"ClientAuthRsa", true, KeyKind::ecdsa_p256, true, KeyKind::rsa2048, 1200, true, false},
    {"Mtu300Rsa", true, KeyKind::rsa2048, false, KeyKind::ecdsa_p256, 300, true, false},
    {"Mtu300ClientAuth", true, KeyKind::ecdsa_p256, true, KeyKind::rsa2048, 300, true, false},
    {"NoCookies", true, KeyKind::ecdsa_p256, false, KeyKind::ecdsa_p256, 1200, false, false},
    {"Alpn", true, KeyKind::ecdsa_p256, false, KeyKind::ecdsa_p256, 1200, true, true},
};

class LibsslOptions : public ::testing::TestWithParam<OptionCase> {};

TEST_P(LibsslOptions, OurClientAgainstLibsslServer) {
    const OptionCase& c = GetParam();
    Issued cert = server_cert(c.server_key);
    OpenSslPeerOptions o;
    o.role = PeerRole::server;
    o.cert_chain_pem = cert.chain_pem;
    o.key_pem = cert.key_pem;
    o.mtu = c.mtu;
    o.cookie_exchange = c.cookies;
    if (c.client_auth) {
        o.ca_pem = ca().cert_pem();
        o.verify_peer = true;
        o.require_client_certificate = true;
    }
    if (c.alpn) o.alpn = {"webrtc", "c-webrtc"};
    OpenSslPeer peer(o, start_time());
    ASSERT_FALSE(peer.failed()) << peer.error();

    Config config;
    config.ca_pem = ca().cert_pem();
    config.server_name = "server.test";
    config.mtu = c.mtu;
    if (!c.libssl_server_can) {
        // Proves the limitation is libssl's, so the cell is known, not skipped.
        auto client = Connection::client(config, start_time());
        ASSERT_TRUE(client);
        ClientVsLibssl run{std::move(*client), peer, start_time(), {}};
        run.pump();
        EXPECT_EQ(run.client.state(), State::failed);
        EXPECT_NE(peer.error().find("no shared cipher"), std::string::npos) << peer.error();
        return;
    }
    if (c.client_auth) config.credential = std::make_shared<Credential>(credential_of(ca().issue(c.client_key, "client")));
    if (c.alpn) config.alpn = {"c-webrtc"};
    auto client = Connection::client(config, start_time());
    ASSERT_TRUE(client) << client.error().to_string();
    ClientVsLibssl run{std::move(*client), peer, start_time(), {}};
    run.pump();
    ASSERT_EQ(run.client.state(), State::established)
        << (run.client.error() ? run.client.error()->to_string() : "") << " / libssl: " << peer.error();
    EXPECT_LE(run.client.stats().bytes_sent, run.client.stats().datagrams_sent * c.mtu);
    if (c.client_auth) {
        EXPECT_EQ(peer.peer_cert_der(), config.credential->chain()[0]);
    }
    if (c.alpn) {
        EXPECT_EQ(run.client.negotiated().alpn, "c-webrtc");
        EXPECT_EQ(peer.alpn(), "c-webrtc");
    }
    ASSERT_TRUE(run.client.send(bytes_of("ping"), run.now));
    ASSERT_GT(peer.send(bytes_of("pong")), 0);
    run.pump();
    EXPECT_EQ(strings_of(peer.take_received()), std::vector<std::string>{"ping"});
    EXPECT_EQ(received_strings(run.events), std::vector<std::string>{"pong"});
}

TEST_P(LibsslOptions, LibsslClientAgainstOurServer) {
    const OptionCase& c = GetParam();
    Config config;
    config.credential = std::make_shared<Credential>(credential_of(server_cert(c.server_key)));
    config.mtu = c.mtu;
    config.cookies = c.cookies;
    if (c.client_auth) {
        config.client_auth = ClientAuth::require;
        config.ca_pem = ca().cert_pem();
    }
    if (c.alpn) config.alpn = {"webrtc", "c-webrtc"};
    auto server = Server::create(config, start_time());
    ASSERT_TRUE(server) << server.error().to_string();

    OpenSslPeerOptions o;
    o.role = PeerRole::client;
    o.ca_pem = ca().cert_pem();
    o.verify_peer = true;
    o.expected_host_name = "server.test";
    o.mtu = c.mtu;
    Issued client_cert = ca().issue(c.client_key, "client");
    if (c.client_auth) {
        o.cert_chain_pem = client_cert.chain_pem;
        o.key_pem = client_cert.key_pem;
    }
    if (c.alpn) o.alpn = {"c-webrtc"};
    OpenSslPeer peer(o, start_time());
    ASSERT_FALSE(peer.failed()) << peer.error();

    LibsslVsServer run{std::move(*server), peer, start_time(), {}, {}};
    run.pump();
    ASSERT_TRUE(run.conn);
    EXPECT_EQ(run.hello_verify_requests, c.cookies ? 1u : 0u);
    ASSERT_EQ(run.conn->state(), State::established)
        << (run.conn->error() ? run.conn->error()->to_string() : "") << " / libssl: " << peer.error();
    EXPECT_LE(run.conn->stats().bytes_sent, run.conn->stats().datagrams_sent * c.mtu);
    if (c.client_auth) {
        // libssl also sends the root it has in its store; the leaf comes first.
        ASSERT_GE(run.conn->negotiated().peer_chain.size(), 1u);
        EXPECT_EQ(run.conn->negotiated().peer_chain[0], client_cert.cert_der);
    }
    if (c.alpn) {
        EXPECT_EQ(run.conn->negotiated().alpn, "c-webrtc");
        EXPECT_EQ(peer.alpn(), "c-webrtc");
    }
    ASSERT_GT(peer.send(bytes_of("ping")), 0);
    ASSERT_TRUE(run.conn->send(bytes_of("pong"), run.now));
    run.pump();
    EXPECT_EQ(received_strings(run.events), std::vector<std::string>{"ping"});
    EXPECT_EQ(strings_of(peer.take_received()), std::vector<std::string>{"pong"});
}

std::string option_test_name(const ::testing::TestParamInfo<OptionCase>& info) { return info.param.name; }

INSTANTIATE_TEST_SUITE_P(Options, LibsslOptions, ::testing::ValuesIn(kOptions), option_test_name);

// We never renegotiate (RFC 5746 allows refusing): a renegotiating libssl
// peer gets a no_renegotiation warning; libssl then ends the connection.
// conformance: RFC9325-3.5-1
TEST(LibsslRenegotiation, ClientRenegotiationIsRefusedWithWarning) {
    Config config;
    config.credential = std::make_shared<Credential>(credential_of(server_cert(KeyKind::ecdsa_p256)));
    auto server = Server::create(config, start_time());
    ASSERT_TRUE(server);
    OpenSslPeerOptions o;
    o.role = PeerRole::client;
    OpenSslPeer peer(o, start_time());
    LibsslVsServer run{std::move(*server), peer, start_time(), {}, {}};
    run.pump();
    ASSERT_TRUE(run.conn && run.conn->state() == State::established);

    ASSERT_TRUE(peer.renegotiate());
    run.pump();
    ASSERT_TRUE(peer.last_alert_received());
    EXPECT_EQ(*peer.last_alert_received(), static_cast<uint8_t>(Alert::no_renegotiation));
    // libssl treats a refused renegotiation as fatal and says so.
    ASSERT_TRUE(run.conn->error());
    EXPECT_EQ(run.conn->error()->code, ErrorCode::alert_received);
    EXPECT_EQ(run.conn->error()->alert, Alert::handshake_failure);
}

TEST(LibsslRenegotiation, ServerHelloRequestIsRefusedWithWarning) {
    Issued cert = server_cert(KeyKind::ecdsa_p256);
    OpenSslPeerOptions o;
    o.role = PeerRole::server;
    o.cert_chain_pem = cert.chain_pem;
    o.key_pem = cert.key_pem;
    OpenSslPeer peer(o, start_time());
    Config config;
    config.ca_pem = ca().cert_pem();
    config.server_name = "server.test";
    auto client = Connection::client(config, start_time());
    ASSERT_TRUE(client);
    ClientVsLibssl run{std::move(*client), peer, start_time(), {}};
    run.pump();
    ASSERT_EQ(run.client.state(), State::established);

    ASSERT_TRUE(peer.renegotiate());
    run.pump();
    ASSERT_TRUE(peer.last_alert_received());
    EXPECT_EQ(*peer.last_alert_received(), static_cast<uint8_t>(Alert::no_renegotiation));
    ASSERT_TRUE(run.client.error());
    EXPECT_EQ(run.client.error()->alert, Alert::handshake_failure);
}

}  // namespace
}  // namespace dtls::test
