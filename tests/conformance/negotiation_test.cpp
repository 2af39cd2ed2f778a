// What our DTLS 1.3 client and server agree on: the mandatory suites,
// signatures and groups of RFC 8446 9.1, every suite and group the client
// offers, the suite a PSK allows, the server's random, and what one
// association's datagrams hold. Each `// conformance:` line names the
// requirements of docs/conformance.md that the test below it checks.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#include <regex>

#include "messages/hello_retry_request.hpp"
#include "messages/messages.hpp"
#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

int key_nid_of(const Bytes& der) {
    const unsigned char* p = der.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (cert == nullptr) return NID_undef;
    const int nid = EVP_PKEY_get_base_id(X509_get0_pubkey(cert));
    X509_free(cert);
    return nid;
}

int signature_nid_of(const Bytes& der) {
    const unsigned char* p = der.data();
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (cert == nullptr) return NID_undef;
    const int nid = X509_get_signature_nid(cert);
    X509_free(cert);
    return nid;
}

// An RSA CA signs with rsa_pkcs1_sha256 (sha256WithRSAEncryption); the RSA
// leaf's CertificateVerify is rsa_pss_rsae_sha256; the group is P-256.
// conformance: RFC8446-9.1-2 RFC8446-9.1-3 RFC8446-4.2.3-6
TEST(ConformanceMandatory13, RsaCertificatesPssSignaturesAndP256) {
    const TestCa rsa_ca = TestCa::create(KeyKind::rsa2048, "rsa test CA");
    for (KeyKind leaf : {KeyKind::rsa2048, KeyKind::ecdsa_p256}) {
        IssueOptions names;
        names.dns_names = {"server.test"};
        Pair p = make_dtls13_pair();
        p.server_config.credential =
            std::make_shared<Credential>(credential_of(rsa_ca.issue(leaf, "server.test", names)));
        p.client_config.ca_pem = rsa_ca.cert_pem();
        p.client_config.groups = {NamedGroup::secp256r1};
        ASSERT_TRUE(p.handshake()) << p.describe();
        const Negotiated& n = p.client->negotiated();
        EXPECT_EQ(n.version, ProtocolVersion::dtls1_3);
        EXPECT_EQ(n.group, NamedGroup::secp256r1);
        EXPECT_EQ(n.peer_signature_scheme, leaf == KeyKind::rsa2048 ? SignatureScheme::rsa_pss_rsae_sha256
                                                                    : SignatureScheme::ecdsa_secp256r1_sha256);
        ASSERT_FALSE(n.peer_chain.empty());
        EXPECT_EQ(signature_nid_of(n.peer_chain[0]), NID_sha256WithRSAEncryption);
        // rsa_pss_rsae_* goes with a key under the rsaEncryption OID.
        if (leaf == KeyKind::rsa2048) {
            EXPECT_EQ(key_nid_of(n.peer_chain[0]), EVP_PKEY_RSA);
        }
    }
}

// conformance: RFC8446-9.3-3
TEST(ConformanceMandatory13, EverySuiteAndGroupTheClientOffersWorks) {
    const Config defaults;
    for (CipherSuite suite : defaults.cipher_suites) {
        if ((static_cast<uint16_t>(suite) >> 8) != 0x13) continue;  // the DTLS 1.3 suites
        Pair p = make_dtls13_pair();
        p.server_config.cipher_suites = {suite, CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256};
        ASSERT_TRUE(p.handshake()) << to_string(suite) << " " << p.describe();
        EXPECT_EQ(p.client->negotiated().cipher_suite, suite);
    }
    for (NamedGroup group : defaults.groups) {
        Pair p = make_dtls13_pair();
        p.server_config.groups = {group};
        ASSERT_TRUE(p.handshake()) << p.describe();
        EXPECT_EQ(p.client->negotiated().group, group);
    }
}

// An external PSK is for SHA-256 (no hash is configured with it): the
// handshake that uses it runs on a SHA-256 suite.
// conformance: RFC8446-4.2.11-2
TEST(ConformancePsk13, AnExternalPskUsesSha256) {
    Pair p;
    enable_dtls13(p.client_config, false);
    enable_dtls13(p.server_config, false);
    p.client_config.psk.emplace("device-9", Bytes(32, 0x5A));
    p.server_config.psk.emplace("device-9", Bytes(32, 0x5A));
    p.client_config.cipher_suites = {CipherSuite::aes128_gcm_sha256, CipherSuite::aes256_gcm_sha384};
    p.server_config.cipher_suites = {CipherSuite::aes128_gcm_sha256, CipherSuite::aes256_gcm_sha384};
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().psk_identity, "device-9");
    EXPECT_EQ(p.server_conn->negotiated().cipher_suite, CipherSuite::aes128_gcm_sha256);
}

// A server preferring a SHA-384 suite still takes a client's external PSK
// (SHA-256) when both offer a SHA-256 suite: it picks that suite, with and
// without the front door's cookie exchange.
// conformance: RFC8446-4.2.11-3
TEST(ConformancePsk13, TheSuiteFitsTheExternalPskWhateverTheServerPrefers) {
    for (bool cookies : {true, false}) {
        SCOPED_TRACE(cookies ? "cookies" : "no cookies");
        Pair p;
        enable_dtls13(p.client_config, false);
        enable_dtls13(p.server_config, false);
        p.server_config.cookies = cookies;
        p.client_config.psk.emplace("device-9", Bytes(32, 0x5A));
        p.server_config.psk.emplace("device-9", Bytes(32, 0x5A));
        p.client_config.cipher_suites = {CipherSuite::aes256_gcm_sha384, CipherSuite::aes128_gcm_sha256};
        p.server_config.cipher_suites = {CipherSuite::aes256_gcm_sha384, CipherSuite::aes128_gcm_sha256};
        ASSERT_TRUE(p.handshake()) << p.describe();
        EXPECT_EQ(p.server_conn->negotiated().psk_identity, "device-9");
        EXPECT_EQ(p.client->negotiated().cipher_suite, CipherSuite::aes128_gcm_sha256);
        EXPECT_EQ(p.server_conn->negotiated().cipher_suite, CipherSuite::aes128_gcm_sha256);
    }
}

// A ticket issued on a SHA-256 suite resumes with a server preferring a
// SHA-384 one, when the client offers both: the server picks the ticket's hash.
// conformance: RFC8446-4.2.11-3
TEST(ConformancePsk13, TheSuiteFitsTheTicketWhateverTheServerPrefers) {
    Pair p = make_dtls13_pair();
    enable_dtls13(p.client_config, false);
    p.server_config.session_tickets = 1;
    p.server_config.cipher_suites = {CipherSuite::aes256_gcm_sha384, CipherSuite::aes128_gcm_sha256};
    p.client_config.cipher_suites = {CipherSuite::aes128_gcm_sha256};
    p.client_config.session_cache = SessionCache::in_memory();
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_EQ(p.server_conn->negotiated().cipher_suite, CipherSuite::aes128_gcm_sha256);

    p.client_config.cipher_suites = {CipherSuite::aes256_gcm_sha384, CipherSuite::aes128_gcm_sha256};
    auto second = Connection::client(p.client_config, p.now);
    ASSERT_TRUE(second) << second.error().to_string();
    p.client.emplace(std::move(*second));
    p.server_conn.reset();
    p.client_address = {127, 0, 0, 1, 0x30, 0x3a};
    p.pump();
    ASSERT_TRUE(p.client->state() == State::established && p.server_conn &&
                p.server_conn->state() == State::established)
        << p.describe();
    EXPECT_TRUE(p.server_conn->negotiated().resumed);
    EXPECT_EQ(p.server_conn->negotiated().cipher_suite, CipherSuite::aes128_gcm_sha256);
}

// conformance: RFC8446-4.1.3-2 RFC8446-4.1.3-3
TEST(ConformanceServerRandom13, FreshForEachHandshakeAndNotTheClients) {
    std::vector<messages::Random> randoms;
    for (int i = 0; i < 3; ++i) {
        Pair p = make_dtls13_pair();
        p.server_config.cookies = false;
        ASSERT_TRUE(p.start());
        Bytes hello, reply;
        ASSERT_TRUE(p.client->poll_datagram(hello));
        auto accepted = p.server->handle_datagram(p.client_address, hello, p.now, reply);
        ASSERT_TRUE(accepted.connection);
        ASSERT_TRUE(accepted.connection->poll_datagram(reply));
        const size_t sh_length = (size_t{reply[14]} << 16) | (size_t{reply[15]} << 8) | reply[16];
        auto sh = messages::decode_server_hello(std::span<const uint8_t>(reply).subspan(25, sh_length));
        auto ch = messages::decode_client_hello(std::span<const uint8_t>(hello).subspan(25));
        ASSERT_TRUE(sh && ch);
        EXPECT_NE(sh->random, ch->random);
        EXPECT_EQ(messages::downgrade_sentinel(sh->random), messages::DowngradeSentinel::none)
            << "no sentinel when DTLS 1.3 is chosen";
        for (const auto& earlier : randoms) EXPECT_NE(sh->random, earlier);
        randoms.push_back(sh->random);
    }
}

// Datagrams of one association carry its records only: another
// association of the same server opens none of them.
// conformance: RFC9147-4-6
TEST(ConformanceDatagrams13, ADatagramHoldsTheRecordsOfOneAssociation) {
    Pair a = make_dtls13_pair();
    ASSERT_TRUE(a.handshake()) << a.describe();
    Pair b;
    b.client_config = a.client_config;
    b.server_config = a.server_config;
    b.now = a.now;
    b.client_address = {127, 0, 0, 2, 0x30, 0x39};
    b.server.emplace(*a.server);
    auto client = Connection::client(b.client_config, b.now);
    ASSERT_TRUE(client);
    b.client.emplace(std::move(*client));
    b.pump();
    ASSERT_EQ(b.client->state(), State::established) << b.describe();
    b.drain_events();
    ASSERT_TRUE(a.server_conn->send(bytes_of("for a"), a.now));
    ASSERT_TRUE(b.server_conn->send(bytes_of("for b"), b.now));
    Bytes to_a, to_b;
    ASSERT_TRUE(a.server_conn->poll_datagram(to_a));
    ASSERT_TRUE(b.server_conn->poll_datagram(to_b));
    const uint64_t dropped = b.client->stats().records_dropped;
    b.client->handle_datagram(to_a, b.now);
    b.drain_events();
    EXPECT_TRUE(Pair::data_of(b.client_events).empty()) << "b read a record of a's datagram";
    EXPECT_GT(b.client->stats().records_dropped, dropped);
    b.client->handle_datagram(to_b, b.now);
    b.drain_events();
    EXPECT_EQ(Pair::data_of(b.client_events), std::vector<std::string>{"for b"});
}

// The DTLS 1.2 server's flight after a cookie exchange: its records' sequence
// numbers go up by one from the ServerHello on.
// conformance: RFC6347-4.2.1-12
TEST(ConformanceRecords12, TheServerFlightAfterTheCookieCountsOnByOne) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = p.server_config.max_version = ProtocolVersion::dtls1_2;
    std::vector<unsigned> sequences;
    bool in_flight = false;
    p.client_config.trace = [&](std::string_view line) {
        static const std::regex record(R"(record Handshake epoch 0 seq (\d+))");
        std::match_results<std::string_view::const_iterator> m;
        if (line.find("ServerHello message_seq") != std::string_view::npos) in_flight = true;
        if (std::regex_search(line.begin(), line.end(), m, record)) sequences.push_back(static_cast<unsigned>(std::stoul(m[1])));
    };
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_TRUE(in_flight);
    // The HelloVerifyRequest's record, then the flight's.
    ASSERT_GE(sequences.size(), 3u);
    for (size_t i = 2; i < sequences.size(); ++i) EXPECT_EQ(sequences[i], sequences[i - 1] + 1) << i;
}

// No connection ID was negotiated: a record
// whose header says it carries one is dropped, unanswered.
// conformance: RFC9147-9.1-1
TEST(ConformanceRecords13, ARecordWithAConnectionIdIsRejectedWithoutOne) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.handshake()) << p.describe();
    const uint64_t dropped = p.server_conn->stats().records_dropped;
    // 001 C=1 S=0 L=1 epoch bits 3: a connection ID, an 8-bit sequence number, a length.
    Bytes record = {0x3B, 0x04, 1, 2, 3, 4, 0x07, 0x00, 0x20};
    record.resize(record.size() + 32, 0x55);
    p.server_conn->handle_datagram(record, p.now);
    EXPECT_EQ(p.server_conn->stats().records_dropped, dropped + 1);
    EXPECT_EQ(p.server_conn->state(), State::established);
    Bytes nothing;
    EXPECT_FALSE(p.server_conn->poll_datagram(nothing));
}

}  // namespace
}  // namespace dtls::test
