// DTLS 1.2 pre-shared key suites between our client and our server (RFC
// 4279, RFC 5489, RFC 8442): every suite handshakes without certificates and
// carries data; the identity and hint reach the other side; the server finds
// keys through psk_lookup; an unknown identity and a wrong key look the same
// to the client (decrypt_error) while the server's error tells them apart;
// the longest identity the format allows is handled; the configuration
// refuses PSK suites without keys and needs no certificate for PSK alone.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "dtls/session.hpp"
#include "tls12/mitm.hpp"
#include "tls12/pair.hpp"
#include "tls12/cipher_suites.hpp"
#include "tls12/psk.hpp"

namespace dtls::test {
namespace {

using messages::HandshakeType;

const Bytes kKey = {0x1a, 0x2b, 0x3c, 0x4d, 0x5e, 0x6f, 0x70, 0x81, 0x92, 0xa3, 0xb4, 0xc5, 0xd6, 0xe7, 0xf8, 0x09};

// Both sides with nothing but `suite`: the client holds identity and key, the
// server the same key under that identity and no certificate.
Mitm psk_pair(CipherSuite suite, const std::string& identity = "sensor-17", const Bytes& key = kKey) {
    Mitm m;
    m.client_config = m.server_config = dtls12_config();
    m.client_config.cipher_suites = m.server_config.cipher_suites = {suite};
    m.client_config.psk.emplace(identity, key);
    m.server_config.psk.emplace(identity, key);
    return m;
}

std::string last_data(const std::vector<Event>& events) {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
        if (auto* d = std::get_if<event::ApplicationData>(&*it)) return std::string(d->data.begin(), d->data.end());
    }
    return "<none>";
}

bool any_holds(const std::vector<Bytes>& datagrams, HandshakeType type) {
    return std::any_of(datagrams.begin(), datagrams.end(), [&](const Bytes& d) { return holds_message(d, type); });
}

class PskSuites : public ::testing::TestWithParam<CipherSuite> {};

TEST_P(PskSuites, HandshakeWithoutCertificatesCarriesDataBothWays) {
    const CipherSuite suite = GetParam();
    Mitm m = psk_pair(suite);
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();
    for (const Connection* side : {&*m.client, &*m.server_conn}) {
        const Negotiated& n = side->negotiated();
        EXPECT_EQ(n.cipher_suite, suite);
        EXPECT_EQ(n.version, ProtocolVersion::dtls1_2);
        EXPECT_EQ(n.psk_identity, "sensor-17");
        EXPECT_TRUE(n.peer_chain.empty());
        EXPECT_TRUE(n.extended_master_secret);
    }
    const bool ecdhe = suite == CipherSuite::ecdhe_psk_aes128_gcm_sha256 ||
                       suite == CipherSuite::ecdhe_psk_aes128_ccm8_sha256 ||
                       suite == CipherSuite::ecdhe_psk_chacha20_poly1305_sha256;
    if (ecdhe) {
        EXPECT_EQ(m.client->negotiated().group, NamedGroup::x25519);
        EXPECT_EQ(m.server_conn->negotiated().group, NamedGroup::x25519);
    }
    EXPECT_FALSE(any_holds(m.from_server, HandshakeType::certificate));
    EXPECT_FALSE(any_holds(m.from_server, HandshakeType::certificate_request));
    // Without a hint, the PSK alone sends no ServerKeyExchange (RFC 4279 2);
    // ECDHE_PSK always does, for its share.
    EXPECT_EQ(any_holds(m.from_server, HandshakeType::server_key_exchange), ecdhe);

    for (int i = 0; i < 3; ++i) {
        const std::string up = "reading " + std::to_string(i), down = "ack " + std::to_string(i);
        ASSERT_TRUE(m.client->send(span_of(up), m.now));
        ASSERT_TRUE(m.server_conn->send(span_of(down), m.now));
        m.pump();
        EXPECT_EQ(last_data(m.server_events), up);
        EXPECT_EQ(last_data(m.client_events), down);
    }
    EXPECT_EQ(m.client->stats().records_dropped, 0u);
    EXPECT_EQ(m.server_conn->stats().records_dropped, 0u);
}

// Different keys: the Finished records do not authenticate. The server
// fails once the client's retransmitted flight fails again, with a
// decrypt_error alert, rather than waiting out its timers.
TEST_P(PskSuites, WrongKeyFailsAtFinishedWithDecryptError) {
    Mitm m = psk_pair(GetParam());
    Bytes other = kKey;
    other[0] ^= 1;
    m.server_config.psk.emplace("sensor-17", other);
    ASSERT_TRUE(m.start());
    m.run();
    ASSERT_TRUE(m.server_conn);
    expect_fault(*m.server_conn, m.server_events, Fault::finished_invalid);
    expect_failure(*m.client, m.client_events, ErrorCode::alert_received, Alert::decrypt_error);
}

INSTANTIATE_TEST_SUITE_P(
    Suites, PskSuites,
    ::testing::Values(CipherSuite::psk_aes128_ccm8, CipherSuite::psk_aes128_ccm, CipherSuite::psk_aes128_gcm_sha256,
                      CipherSuite::psk_aes256_gcm_sha384, CipherSuite::psk_chacha20_poly1305_sha256,
                      CipherSuite::ecdhe_psk_aes128_gcm_sha256, CipherSuite::ecdhe_psk_aes128_ccm8_sha256,
                      CipherSuite::ecdhe_psk_chacha20_poly1305_sha256),
    [](const ::testing::TestParamInfo<CipherSuite>& info) {
        std::string name = to_string(info.param);
        name.erase(std::remove(name.begin(), name.end(), '_'), name.end());
        return name;
    });

// RFC 4279 5.2: the server's hint reaches the client in a ServerKeyExchange,
// which the PSK alone then sends.
TEST(PskHint, ReachesTheClient) {
    for (CipherSuite suite : {CipherSuite::psk_aes128_ccm8, CipherSuite::ecdhe_psk_aes128_ccm8_sha256}) {
        SCOPED_TRACE(to_string(suite));
        Mitm m = psk_pair(suite);
        m.server_config.psk_identity_hint = "fleet 7 gateway";
        ASSERT_TRUE(m.start());
        m.pump();
        ASSERT_TRUE(m.established()) << m.describe();
        EXPECT_EQ(m.client->negotiated().psk_identity_hint, "fleet 7 gateway");
        EXPECT_TRUE(any_holds(m.from_server, HandshakeType::server_key_exchange));
    }
}

// The server asks the application for the key of the identity the client
// sent, once, and the connection reports that identity.
TEST(PskLookup, ServerFindsTheKeyByIdentity) {
    const std::map<std::string, Bytes> keys = {
        {"sensor-1", Bytes(16, 0x01)}, {"sensor-2", Bytes(32, 0x02)}, {"sensor-3", Bytes(16, 0x03)}};
    std::vector<std::string> asked;
    Mitm m = psk_pair(CipherSuite::psk_aes128_ccm8, "sensor-2", Bytes(32, 0x02));
    m.server_config.psk.reset();
    m.server_config.psk_lookup = [&](std::string_view identity) -> std::optional<Bytes> {
        asked.emplace_back(identity);
        auto it = keys.find(std::string(identity));
        if (it == keys.end()) return std::nullopt;
        return it->second;
    };
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();
    EXPECT_EQ(asked, std::vector<std::string>{"sensor-2"});
    EXPECT_EQ(m.server_conn->negotiated().psk_identity, "sensor-2");
}

// RFC 4279 2: an unknown identity may be answered as a wrong key, so that
// which identities exist stays hidden. The client gets the same alert at
// the same point as with a wrong key; the server's error names the cause.
TEST(PskLookup, UnknownIdentityLooksLikeAWrongKeyToTheClient) {
    std::vector<Alert> client_saw;
    for (bool known : {true, false}) {
        Mitm m = psk_pair(CipherSuite::ecdhe_psk_aes128_gcm_sha256);
        m.server_config.psk.reset();
        Bytes wrong = kKey;
        wrong[5] ^= 0x40;
        m.server_config.psk_lookup = [&](std::string_view identity) -> std::optional<Bytes> {
            if (known && identity == "sensor-17") return wrong;
            return std::nullopt;
        };
        ASSERT_TRUE(m.start());
        m.run();
        ASSERT_TRUE(m.server_conn);
        expect_fault(*m.server_conn, m.server_events, known ? Fault::finished_invalid : Fault::psk_identity_unknown);
        expect_failure(*m.client, m.client_events, ErrorCode::alert_received, Alert::decrypt_error);
        // The server sent the same messages either way, then one alert.
        EXPECT_TRUE(any_holds(m.from_server, HandshakeType::server_hello_done));
        std::vector<AlertSeen> alerts = alerts_in(m.from_server);
        ASSERT_EQ(alerts.size(), 1u);
        EXPECT_EQ(alerts[0].epoch, 0);
        client_saw.push_back(*alerts[0].description);
    }
    EXPECT_EQ(client_saw[0], client_saw[1]);
}

// psk_identity<0..2^16-1>: the longest identity the format allows is
// fragmented like any long message, reaches the lookup whole, and an
// unknown one ends as any unknown identity does.
TEST(PskLookup, LongestIdentityIsHandled) {
    const std::string longest(0xFFFF, 'i');
    for (CipherSuite suite : {CipherSuite::psk_aes128_ccm8, CipherSuite::ecdhe_psk_chacha20_poly1305_sha256}) {
        SCOPED_TRACE(to_string(suite));
        for (bool known : {true, false}) {
            Mitm m = psk_pair(suite, longest);
            m.server_config.psk.reset();
            size_t lookups = 0, length = 0;
            m.server_config.psk_lookup = [&](std::string_view identity) -> std::optional<Bytes> {
                ++lookups;
                length = identity.size();
                if (known) return kKey;
                return std::nullopt;
            };
            ASSERT_TRUE(m.start());
            m.run();
            EXPECT_EQ(lookups, 1u);
            EXPECT_EQ(length, longest.size());
            ASSERT_TRUE(m.server_conn);
            if (known) {
                EXPECT_TRUE(m.established()) << m.describe();
                EXPECT_EQ(m.server_conn->negotiated().psk_identity.size(), longest.size());
            } else {
                expect_fault(*m.server_conn, m.server_events, Fault::psk_identity_unknown);
            }
        }
    }
}

// A server with certificate suites and PSK suites answers a PSK client with
// a PSK suite and a certificate client with a certificate suite.
TEST(PskWithCertificates, OneServerServesBothKinds) {
    Mitm psk = psk_pair(CipherSuite::psk_aes128_gcm_sha256);
    psk.server_config.cipher_suites = {CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, CipherSuite::psk_aes128_gcm_sha256};
    psk.server_config.credential = server_credential();
    ASSERT_TRUE(psk.start());
    psk.pump();
    ASSERT_TRUE(psk.established()) << psk.describe();
    EXPECT_EQ(psk.server_conn->negotiated().cipher_suite, CipherSuite::psk_aes128_gcm_sha256);

    Mitm certs;  // a default client: certificate suites only
    certs.server_config.cipher_suites = psk.server_config.cipher_suites;
    certs.server_config.psk = psk.server_config.psk;
    ASSERT_TRUE(certs.start());
    certs.pump();
    ASSERT_TRUE(certs.established()) << certs.describe();
    EXPECT_EQ(certs.server_conn->negotiated().cipher_suite, CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256);
    EXPECT_TRUE(certs.server_conn->negotiated().psk_identity.empty());
}

// A PSK suite listed without a key to use is a mistake the configuration
// check catches, as are lengths the wire format cannot carry.
TEST(PskConfig, RefusesWhatCannotWork) {
    Config client = dtls12_config();
    client.cipher_suites = {CipherSuite::psk_aes128_ccm8};
    auto no_key = Connection::client(client, Instant{});
    ASSERT_FALSE(no_key);
    EXPECT_NE(no_key.error().reason.find("psk is not set"), std::string::npos) << no_key.error().to_string();

    Config server = dtls12_config();
    server.cipher_suites = {CipherSuite::psk_aes128_ccm8};
    auto no_source = Server::create(server, Instant{});
    ASSERT_FALSE(no_source);
    EXPECT_NE(no_source.error().reason.find("psk_lookup"), std::string::npos) << no_source.error().to_string();

    Config empty_identity = client;
    empty_identity.psk.emplace("", kKey);
    EXPECT_FALSE(Connection::client(empty_identity, Instant{}));
    Config empty_key = client;
    empty_key.psk.emplace("sensor", Bytes{});
    EXPECT_FALSE(Connection::client(empty_key, Instant{}));
    Config long_hint = server;
    long_hint.psk_lookup = [](std::string_view) { return std::optional<Bytes>(); };
    long_hint.psk_identity_hint.assign(0x10000, 'h');
    EXPECT_FALSE(Server::create(long_hint, Instant{}));

    // A certificate suite needs a certificate, PSKs or not.
    Config mixed = server;
    mixed.psk_lookup = long_hint.psk_lookup;
    mixed.cipher_suites.push_back(CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256);
    EXPECT_FALSE(Server::create(mixed, Instant{}));
}

// PSK alone needs no certificate, roots or server name on either side.
TEST(PskConfig, NeedsNoCertificatesOrRoots) {
    Config client = dtls12_config();
    client.cipher_suites = {CipherSuite::psk_aes128_ccm8};
    client.psk.emplace("sensor", kKey);
    ASSERT_TRUE(client.verify_peer);
    EXPECT_TRUE(Connection::client(client, Instant{}));
    Config server = dtls12_config();
    server.cipher_suites = {CipherSuite::psk_aes128_ccm8};
    server.psk_lookup = [](std::string_view) { return std::optional<Bytes>(); };
    EXPECT_TRUE(Server::create(server, Instant{}));
}

// conformance: RFC9325-4.1-8
TEST(PskConfig, NoPskSuiteIsInTheDefaultList) {
    for (CipherSuite s : Config{}.cipher_suites) {
        const tls12::SuiteInfo* info = tls12::find_suite(static_cast<uint16_t>(s));
        EXPECT_FALSE(info && info->uses_psk()) << to_string(s);
    }
}

// RFC 4279 2 and RFC 5489 2: the premaster secret is other_secret and the
// key, each with a 2-byte length; other_secret is zeros for the PSK alone.
TEST(PskPremaster, FollowsTheRfcLayout) {
    const Bytes key = {0xaa, 0xbb, 0xcc};
    const crypto::SecretBytes alone = tls12::psk_premaster({}, key);
    EXPECT_EQ(Bytes(alone.span().begin(), alone.span().end()),
              (Bytes{0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x03, 0xaa, 0xbb, 0xcc}));
    const Bytes ecdhe = {0x11, 0x22};
    const crypto::SecretBytes with = tls12::psk_premaster(ecdhe, key);
    EXPECT_EQ(Bytes(with.span().begin(), with.span().end()),
              (Bytes{0x00, 0x02, 0x11, 0x22, 0x00, 0x03, 0xaa, 0xbb, 0xcc}));
}

}  // namespace
}  // namespace dtls::test

namespace dtls::test {
namespace {

// One client connection to `server` (a copy sharing its session caches).
std::optional<Pair> connect_psk(const Server& server, const Config& client, Instant now) {
    Pair p;
    p.client_config = client;
    p.now = now;
    p.server.emplace(server);
    auto c = Connection::client(client, now);
    if (!c) {
        ADD_FAILURE() << c.error().to_string();
        return std::nullopt;
    }
    p.client.emplace(std::move(*c));
    p.pump();
    return p;
}

// A resumed PSK session carries its identity (the server reports it as for
// the full handshake), and lasts only while the application still knows the
// identity: once psk_lookup forgets it, the session ID or ticket gives a
// full handshake, which then fails as any unknown identity does.
TEST(PskResumption, KeepsTheIdentityAndEndsWithTheKey) {
    for (bool tickets : {true, false}) {
        SCOPED_TRACE(tickets ? "ticket" : "session ID");
        bool known = true;
        Config sc = dtls12_config();
        sc.cipher_suites = {CipherSuite::psk_aes128_ccm8};
        sc.psk_lookup = [&known](std::string_view identity) -> std::optional<Bytes> {
            if (known && identity == "sensor-17") return kKey;
            return std::nullopt;
        };
        if (tickets) {
            sc.session_tickets = 1;
        } else {
            sc.session_cache_capacity = 16;
        }
        const Instant start = Instant{} + std::chrono::hours(1);
        auto server = Server::create(sc, start);
        ASSERT_TRUE(server) << server.error().to_string();
        Config cc = dtls12_config();
        cc.cipher_suites = {CipherSuite::psk_aes128_ccm8};
        cc.psk.emplace("sensor-17", kKey);
        cc.session_cache = SessionCache::in_memory();

        auto first = connect_psk(*server, cc, start);
        ASSERT_TRUE(first && first->server_conn && first->server_conn->state() == State::established);
        auto second = connect_psk(*server, cc, start + std::chrono::seconds(1));
        ASSERT_TRUE(second && second->server_conn && second->server_conn->state() == State::established)
            << (second ? second->describe() : "");
        EXPECT_TRUE(second->server_conn->negotiated().resumed);
        EXPECT_EQ(second->server_conn->negotiated().psk_identity, "sensor-17");
        EXPECT_EQ(second->client->negotiated().psk_identity, "sensor-17");

        known = false;
        auto third = connect_psk(*server, cc, start + std::chrono::seconds(2));
        ASSERT_TRUE(third && third->server_conn);
        EXPECT_FALSE(third->server_conn->negotiated().resumed);
        EXPECT_NE(third->server_conn->state(), State::established);
    }
}

}  // namespace
}  // namespace dtls::test

namespace dtls::test {
namespace {

// The size of a PSK CCM_8 handshake at MTU 1200, cookies on: three
// datagrams each way (ClientHello twice and the client's final flight;
// HelloVerifyRequest, ServerHello..ServerHelloDone, ChangeCipherSpec and
// Finished), every one far below the MTU. The bytes are printed for the
// record; the datagram counts are asserted.
TEST(PskHandshakeSize, Ccm8AtMtu1200) {
    Pair p;
    p.client_config.cipher_suites = p.server_config.cipher_suites = {CipherSuite::psk_aes128_ccm8};
    p.client_config.psk.emplace("sensor-17", kKey);
    p.server_config.psk.emplace("sensor-17", kKey);
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.datagrams_to_server, 3u);
    EXPECT_EQ(p.datagrams_to_client, 3u);
    EXPECT_LT(p.bytes_to_server, 3u * 1200u);
    EXPECT_LT(p.bytes_to_client, 3u * 1200u);
    std::printf("PSK CCM_8 handshake at MTU 1200: to the server %zu datagrams, %zu bytes; to the client %zu "
                "datagrams, %zu bytes\n",
                p.datagrams_to_server, p.bytes_to_server, p.datagrams_to_client, p.bytes_to_client);
}

}  // namespace
}  // namespace dtls::test
