// Our client against our server, lossless: every suite and certificate type,
// with and without cookies and client authentication, ALPN and SNI.
#include <gtest/gtest.h>

#include "support/certs.hpp"
#include "tls12/pair.hpp"

namespace dtls::test {
namespace {

const TestCa& ca() {
    static TestCa c = TestCa::create(KeyKind::ecdsa_p256);
    return c;
}

Issued issue(KeyKind kind, const std::string& name) {
    IssueOptions names;
    names.dns_names = {name};
    return ca().issue(kind, name, names);
}

Pair make_pair(KeyKind server_key) {
    Pair p;
    p.server_config.credential = std::make_shared<Credential>(credential_of(issue(server_key, "server.test")));
    p.client_config.ca_pem = ca().cert_pem();
    p.client_config.server_name = "server.test";
    return p;
}

void expect_agreement(Pair& p) {
    const Negotiated& c = p.client->negotiated();
    const Negotiated& s = p.server_conn->negotiated();
    EXPECT_EQ(c.cipher_suite, s.cipher_suite);
    EXPECT_EQ(c.group, s.group);
    EXPECT_EQ(c.alpn, s.alpn);
    EXPECT_TRUE(c.extended_master_secret);
    EXPECT_TRUE(s.extended_master_secret);
    auto ours = p.client->export_keying_material("EXPORTER-test", bytes_of("ctx"), true, 32);
    auto theirs = p.server_conn->export_keying_material("EXPORTER-test", bytes_of("ctx"), true, 32);
    ASSERT_TRUE(ours);
    ASSERT_TRUE(theirs);
    EXPECT_EQ(*ours, *theirs);

    // RFC 5705 4: the context's length is a uint16. A longer one is refused,
    // not cut to 16 bits.
    const Bytes longest(65535, 0x11), too_long(65536, 0x11);
    EXPECT_TRUE(p.client->export_keying_material("EXPORTER-test", longest, true, 32));
    auto refused = p.client->export_keying_material("EXPORTER-test", too_long, true, 32);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
    EXPECT_TRUE(p.client->export_keying_material("EXPORTER-test", too_long, false, 32)) << "no context, no limit";
}

struct SuiteCase {
    CipherSuite suite;
    KeyKind key;
    SignatureScheme expected_scheme;
};

class LoopbackSuites : public ::testing::TestWithParam<SuiteCase> {};

// conformance: RFC7627-5.2-1 RFC7627-5.2-2 RFC9325-3.1.2-2 RFC9325-3.5-4 RFC8446-4.2.3-18 RFC8446-4.2.3-17
TEST_P(LoopbackSuites, HandshakeAgreesAndCarriesData) {
    const SuiteCase& c = GetParam();
    Pair p = make_pair(c.key);
    p.client_config.cipher_suites = {c.suite};
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().cipher_suite, c.suite);
    EXPECT_EQ(p.client->negotiated().peer_signature_scheme, c.expected_scheme);
    ASSERT_EQ(p.client->negotiated().peer_chain.size(), 1u);
    expect_agreement(p);
    expect_data_both_ways(p);
}

INSTANTIATE_TEST_SUITE_P(
    SuitesAndKeys, LoopbackSuites,
    ::testing::Values(
        SuiteCase{CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, KeyKind::ecdsa_p256, SignatureScheme::ecdsa_secp256r1_sha256},
        SuiteCase{CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384, KeyKind::ecdsa_p256, SignatureScheme::ecdsa_secp256r1_sha256},
        SuiteCase{CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, KeyKind::ecdsa_p256,
                  SignatureScheme::ecdsa_secp256r1_sha256},
        SuiteCase{CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, KeyKind::ecdsa_p384, SignatureScheme::ecdsa_secp256r1_sha256},
        SuiteCase{CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384, KeyKind::ecdsa_p384, SignatureScheme::ecdsa_secp256r1_sha256},
        SuiteCase{CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, KeyKind::ed25519, SignatureScheme::ed25519},
        SuiteCase{CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, KeyKind::ed25519, SignatureScheme::ed25519},
        SuiteCase{CipherSuite::ecdhe_rsa_aes128_gcm_sha256, KeyKind::rsa2048, SignatureScheme::rsa_pss_rsae_sha256},
        SuiteCase{CipherSuite::ecdhe_rsa_aes256_gcm_sha384, KeyKind::rsa2048, SignatureScheme::rsa_pss_rsae_sha256},
        SuiteCase{CipherSuite::ecdhe_rsa_chacha20_poly1305_sha256, KeyKind::rsa2048,
                  SignatureScheme::rsa_pss_rsae_sha256}));

// conformance: RFC8446-4.2.3-4
TEST(Loopback, SignatureSchemeFollowsClientPreferenceOrder) {
    for (SignatureScheme scheme : {SignatureScheme::rsa_pkcs1_sha256, SignatureScheme::rsa_pkcs1_sha384,
                                   SignatureScheme::rsa_pss_rsae_sha384}) {
        Pair p = make_pair(KeyKind::rsa2048);
        p.client_config.signature_schemes = {scheme};
        ASSERT_TRUE(p.handshake()) << p.describe();
        EXPECT_EQ(p.client->negotiated().peer_signature_scheme, scheme);
    }
    Pair p = make_pair(KeyKind::ecdsa_p384);
    p.client_config.signature_schemes = {SignatureScheme::ecdsa_secp384r1_sha384};
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().peer_signature_scheme, SignatureScheme::ecdsa_secp384r1_sha384);
}

// conformance: RFC9325-4.2.1-5 RFC9325-4.2.1-6
TEST(Loopback, EveryGroup) {
    for (NamedGroup g : {NamedGroup::x25519, NamedGroup::secp256r1, NamedGroup::secp384r1}) {
        Pair p = make_pair(KeyKind::ecdsa_p256);
        p.client_config.groups = {g};
        ASSERT_TRUE(p.handshake()) << p.describe();
        EXPECT_EQ(p.client->negotiated().group, g);
        EXPECT_EQ(p.server_conn->negotiated().group, g);
    }
}

// conformance: RFC6347-4.2.1-1 RFC6347-4.2.1-5 RFC6347-4.2.1-13 RFC6347-4.2.1-15 RFC6347-5-1 RFC6347-5-2
TEST(Loopback, CookieExchangeCostsOneRoundTrip) {
    Pair with = make_pair(KeyKind::ecdsa_p256);
    ASSERT_TRUE(with.handshake()) << with.describe();
    Pair without = make_pair(KeyKind::ecdsa_p256);
    without.server_config.cookies = false;
    ASSERT_TRUE(without.handshake()) << without.describe();
    // The HelloVerifyRequest and the second ClientHello.
    EXPECT_EQ(with.datagrams_to_server, without.datagrams_to_server + 1);
    EXPECT_EQ(with.datagrams_to_client, without.datagrams_to_client + 1);
    expect_data_both_ways(without);
}

TEST(Loopback, FullEcdsaP256HandshakeSizeAtDefaultMtu) {
    Pair p = make_pair(KeyKind::ecdsa_p256);
    ASSERT_TRUE(p.handshake()) << p.describe();
    // ClientHello, ClientHello with cookie, the final flight; and
    // HelloVerifyRequest, ServerHello..ServerHelloDone, ChangeCipherSpec..Finished:
    // each flight fits one datagram at MTU 1200.
    EXPECT_EQ(p.datagrams_to_server, 3u);
    EXPECT_EQ(p.datagrams_to_client, 3u);
    std::cout << "[ figures  ] ECDSA P-256 handshake at MTU 1200: client->server " << p.datagrams_to_server
              << " datagrams, " << p.bytes_to_server << " bytes; server->client " << p.datagrams_to_client
              << " datagrams, " << p.bytes_to_client << " bytes\n";
}

// conformance: RFC9325-3.7-1 RFC9325-3.8-1
TEST(Loopback, AlpnAndServerName) {
    Pair p = make_pair(KeyKind::ecdsa_p256);
    p.client_config.alpn = {"coap", "h2"};
    p.server_config.alpn = {"h2", "coap"};
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().alpn, "h2");  // the server's preference wins
    EXPECT_EQ(p.server_conn->negotiated().alpn, "h2");
    EXPECT_EQ(p.server_conn->negotiated().server_name, "server.test");
}

TEST(Loopback, AlpnOfferedToServerWithoutListIsIgnored) {
    Pair p = make_pair(KeyKind::ecdsa_p256);
    p.client_config.alpn = {"coap"};
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().alpn, "");
}

TEST(Loopback, IpAddressIsCheckedAndNotSentAsServerName) {
    Pair p;
    IssueOptions o;
    o.ip_addresses = {"127.0.0.1"};
    p.server_config.credential = std::make_shared<Credential>(credential_of(ca().issue(KeyKind::ecdsa_p256, "ip", o)));
    p.client_config.ca_pem = ca().cert_pem();
    p.client_config.server_name = "127.0.0.1";
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.server_conn->negotiated().server_name, "");
}

struct ClientAuthCase {
    ClientAuth mode;
    bool client_has_certificate;
    KeyKind client_key;
};

class LoopbackClientAuth : public ::testing::TestWithParam<ClientAuthCase> {};

TEST_P(LoopbackClientAuth, CompletesAndReportsTheClientChain) {
    const ClientAuthCase& c = GetParam();
    Pair p = make_pair(KeyKind::ecdsa_p256);
    p.server_config.client_auth = c.mode;
    p.server_config.ca_pem = ca().cert_pem();
    if (c.client_has_certificate) {
        p.client_config.credential = std::make_shared<Credential>(credential_of(issue(c.client_key, "client.test")));
    }
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.server_conn->negotiated().peer_chain.size(), c.client_has_certificate ? 1u : 0u);
    if (c.client_has_certificate) {
        EXPECT_EQ(p.server_conn->negotiated().peer_chain[0], p.client_config.credential->chain()[0]);
    }
    expect_data_both_ways(p);
}

INSTANTIATE_TEST_SUITE_P(Modes, LoopbackClientAuth,
                         ::testing::Values(ClientAuthCase{ClientAuth::request, false, KeyKind::ecdsa_p256},
                                           ClientAuthCase{ClientAuth::request, true, KeyKind::ecdsa_p256},
                                           ClientAuthCase{ClientAuth::require, true, KeyKind::ecdsa_p256},
                                           ClientAuthCase{ClientAuth::require, true, KeyKind::ecdsa_p384},
                                           ClientAuthCase{ClientAuth::require, true, KeyKind::rsa2048},
                                           ClientAuthCase{ClientAuth::require, true, KeyKind::ed25519}));

TEST(Loopback, RequiredClientCertificateMissingFailsBothSides) {
    Pair p = make_pair(KeyKind::ecdsa_p256);
    p.server_config.client_auth = ClientAuth::require;
    p.server_config.ca_pem = ca().cert_pem();
    ASSERT_FALSE(p.handshake());
    ASSERT_TRUE(p.server_conn && p.server_conn->error());
    EXPECT_EQ(p.server_conn->error()->alert, Alert::handshake_failure);
    ASSERT_TRUE(p.client->error());
    EXPECT_EQ(p.client->error()->code, ErrorCode::alert_received);
    EXPECT_EQ(p.client->error()->alert, Alert::handshake_failure);
}

TEST(Loopback, CloseNotifyEndsBothSides) {
    Pair p = make_pair(KeyKind::ecdsa_p256);
    ASSERT_TRUE(p.handshake()) << p.describe();
    p.client->close(p.now);
    p.pump();
    EXPECT_EQ(p.client->state(), State::closed);
    EXPECT_EQ(p.server_conn->state(), State::closed);
    ASSERT_FALSE(p.server_events.empty());
    EXPECT_TRUE(std::holds_alternative<event::Closed>(p.server_events.back()));
    // The server answered with its own close_notify: its two flights, then that.
    EXPECT_EQ(p.server_conn->stats().datagrams_sent, 3u);
    EXPECT_EQ(p.client->send(bytes_of("late"), p.now).error().code, ErrorCode::closed);
}

TEST(Loopback, KeyLogLineHasNssFormat) {
    Pair p = make_pair(KeyKind::ecdsa_p256);
    std::vector<std::string> lines;
    p.client_config.keylog = [&](std::string_view line) { lines.emplace_back(line); };
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_EQ(lines.size(), 1u);
    EXPECT_EQ(lines[0].rfind("CLIENT_RANDOM ", 0), 0u);
    EXPECT_EQ(lines[0].size(), std::string("CLIENT_RANDOM ").size() + 64 + 1 + 96);
}

TEST(Loopback, ClientAndServerRandomsDifferAndAreNotZero) {
    Pair p = make_pair(KeyKind::ecdsa_p256);
    std::vector<std::string> client_lines, server_lines;
    p.client_config.keylog = [&](std::string_view line) { client_lines.emplace_back(line); };
    p.server_config.keylog = [&](std::string_view line) { server_lines.emplace_back(line); };
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_EQ(client_lines, server_lines);  // same client random and master secret
    EXPECT_NE(client_lines[0].substr(14, 64), std::string(64, '0'));
}

TEST(Loopback, TraceDescribesTheHandshake) {
    Pair p = make_pair(KeyKind::ecdsa_p256);
    std::string trace;
    p.client_config.trace = [&](std::string_view line) {
        trace += line;
        trace += '\n';
    };
    ASSERT_TRUE(p.handshake()) << p.describe();
    for (const char* expected : {"-> flight ClientHello", "HelloVerifyRequest", "ServerHelloDone",
                                 "-> flight ClientKeyExchange..Finished", "record ChangeCipherSpec epoch 0", "reading epoch 1",
                                 "handshake complete"}) {
        EXPECT_NE(trace.find(expected), std::string::npos) << expected << "\n" << trace;
    }
}

}  // namespace
}  // namespace dtls::test
