// Datagram sizes: every datagram either side emits fits the MTU (handshake
// flights are fragmented, RFC 6347 4.2.3), set_mtu takes effect at the next
// datagram, application data is bounded by max_payload(), and close() sends a
// close_notify the peer sees.
#include <gtest/gtest.h>

#include "tls12/mitm.hpp"

namespace dtls::test {
namespace {

using record::ContentType;

size_t largest(const std::vector<Bytes>& datagrams) {
    size_t n = 0;
    for (const Bytes& d : datagrams) n = std::max(n, d.size());
    return n;
}

std::string last_data(const std::vector<Event>& events) {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
        if (auto* d = std::get_if<event::ApplicationData>(&*it)) return std::string(d->data.begin(), d->data.end());
    }
    return "<none>";
}

struct MtuCase {
    size_t mtu;
    KeyKind key;
};

std::string name_of(const MtuCase& c) {
    return (c.key == KeyKind::rsa2048 ? "Rsa2048Mtu" : "EcdsaMtu") + std::to_string(c.mtu);
}

class EveryDatagramFits : public ::testing::TestWithParam<MtuCase> {};

// conformance: RFC6347-4.1.1-1 RFC6347-4.1.1-2 RFC6347-4.2.3-2
TEST_P(EveryDatagramFits, HandshakeAndLargestPayload) {
    const MtuCase& c = GetParam();
    Mitm m;
    m.server_config.credential = server_credential(c.key);
    m.client_config.mtu = m.server_config.mtu = c.mtu;
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();
    EXPECT_LE(largest(m.from_client), c.mtu);
    EXPECT_LE(largest(m.from_server), c.mtu);

    const std::string to_server(m.client->max_payload(), 'c');
    const std::string to_client(m.server_conn->max_payload(), 's');
    ASSERT_TRUE(m.client->send(span_of(to_server), m.now));
    ASSERT_TRUE(m.server_conn->send(span_of(to_client), m.now));
    m.pump();
    EXPECT_EQ(largest(m.from_client), c.mtu) << "the largest payload does not fill the MTU";
    EXPECT_LE(largest(m.from_server), c.mtu);
    EXPECT_EQ(last_data(m.server_events), to_server);
    EXPECT_EQ(last_data(m.client_events), to_client);
}

INSTANTIATE_TEST_SUITE_P(Sizes, EveryDatagramFits,
                         ::testing::Values(MtuCase{200, KeyKind::rsa2048}, MtuCase{256, KeyKind::rsa2048},
                                           MtuCase{300, KeyKind::rsa2048}, MtuCase{512, KeyKind::rsa2048},
                                           MtuCase{1200, KeyKind::rsa2048}, MtuCase{1500, KeyKind::rsa2048},
                                           MtuCase{200, KeyKind::ecdsa_p256}, MtuCase{256, KeyKind::ecdsa_p256},
                                           MtuCase{300, KeyKind::ecdsa_p256}, MtuCase{512, KeyKind::ecdsa_p256},
                                           MtuCase{1200, KeyKind::ecdsa_p256}, MtuCase{1500, KeyKind::ecdsa_p256}),
                         [](const auto& info) { return name_of(info.param); });

// A ClientHello larger than one datagram (MTU 200, a long server name and
// ALPN: 223 bytes) is fragmented (RFC 6347 4.2.3); the front door checks the
// cookie in the first fragment and the connection reassembles the rest.
// conformance: RFC6347-4.2.3-1 RFC6347-4.1.1.1-10
TEST(EveryDatagramFits, ClientHelloLargerThanTheMtu) {
    const std::string name = "a-rather-long-server-name.example.com";
    Mitm m;
    IssueOptions names;
    names.dns_names = {name};
    m.server_config.credential = server_credential(KeyKind::ecdsa_p256, names);
    m.client_config.server_name = name;
    m.client_config.alpn = {"coap"};
    m.server_config.alpn = {"coap"};
    m.client_config.mtu = m.server_config.mtu = 200;
    ASSERT_TRUE(m.start());
    m.run(3);
    EXPECT_LE(largest(m.from_client), 200u);
    EXPECT_TRUE(m.established()) << m.describe() << "; front door dropped " << m.front_door_drops << " datagrams";
}

// conformance: RFC6347-4.1.1.1-2
TEST(SetMtu, AppliesToTheNextDatagramOfAFlight) {
    Mitm m;
    m.server_config.credential = server_credential(KeyKind::rsa2048);
    m.server_config.mtu = 512;
    ASSERT_TRUE(m.until_server_accepted());
    Bytes first;
    ASSERT_TRUE(m.server_conn->poll_datagram(first));
    EXPECT_GT(first.size(), 200u);
    ASSERT_TRUE(m.server_conn->set_mtu(200));
    EXPECT_EQ(m.server_conn->mtu(), 200u);
    std::vector<Bytes> rest = drain_datagrams(*m.server_conn);
    ASSERT_FALSE(rest.empty());
    EXPECT_LE(largest(rest), 200u);
    // A retransmission of the flight uses the new MTU from its first datagram.
    m.now += m.server_config.initial_retransmit_timeout;
    m.server_conn->handle_timeout(m.now);
    std::vector<Bytes> resent = drain_datagrams(*m.server_conn);
    ASSERT_FALSE(resent.empty());
    EXPECT_LE(largest(resent), 200u);
    // The flight as first sent, at two MTUs, is still a good flight.
    m.deliver_to_client(first);
    for (const Bytes& d : rest) m.deliver_to_client(d);
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

struct MtuValue {
    size_t mtu;
    bool accepted;
};

class SetMtuRange : public ::testing::TestWithParam<MtuValue> {};

TEST_P(SetMtuRange, OnlyFrom200To65535) {
    Config config;
    config.verify_peer = false;
    auto client = Connection::client(config, Instant{});
    ASSERT_TRUE(client);
    const size_t before = client->mtu();
    Status s = client->set_mtu(GetParam().mtu);
    if (GetParam().accepted) {
        ASSERT_TRUE(s) << s.error().to_string();
        EXPECT_EQ(client->mtu(), GetParam().mtu);
    } else {
        ASSERT_FALSE(s);
        EXPECT_EQ(s.error().code, ErrorCode::invalid_argument);
        EXPECT_FALSE(s.error().reason.empty());
        EXPECT_EQ(client->mtu(), before);
    }
}

INSTANTIATE_TEST_SUITE_P(Values, SetMtuRange,
                         ::testing::Values(MtuValue{0, false}, MtuValue{199, false}, MtuValue{200, true},
                                           MtuValue{1096, true}, MtuValue{65535, true}, MtuValue{65536, false},
                                           MtuValue{size_t{1} << 32, false}),
                         [](const auto& info) { return "Mtu" + std::to_string(info.param.mtu); });

struct PayloadCase {
    CipherSuite suite;
    size_t mtu;
};

class PayloadLimit : public ::testing::TestWithParam<PayloadCase> {};

// conformance: RFC6347-4.1.1.1-4 RFC6347-4.1.1.1-5
TEST_P(PayloadLimit, OneByteOverFailsExactlyMaxArrives) {
    Mitm m;
    m.client_config.cipher_suites = m.server_config.cipher_suites = {GetParam().suite};
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();
    ASSERT_TRUE(m.client->set_mtu(GetParam().mtu));
    const size_t max = m.client->max_payload();
    ASSERT_GT(max, 0u);
    EXPECT_LE(max, record::kMaxPlaintextLength);

    const std::string too_big(max + 1, 'x');
    Status refused = m.client->send(span_of(too_big), m.now);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::message_too_large);
    EXPECT_NE(refused.error().reason.find(std::to_string(max + 1)), std::string::npos) << refused.error().reason;
    EXPECT_NE(refused.error().reason.find(std::to_string(max)), std::string::npos) << refused.error().reason;
    EXPECT_TRUE(drain_datagrams(*m.client).empty()) << "a refused payload was sent";

    const std::string exact(max, 'y');
    ASSERT_TRUE(m.client->send(span_of(exact), m.now));
    std::vector<Bytes> out = drain_datagrams(*m.client);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_LE(out[0].size(), GetParam().mtu);
    m.deliver_to_server(out[0]);
    EXPECT_EQ(last_data(m.server_events), exact);
}

INSTANTIATE_TEST_SUITE_P(Cases, PayloadLimit,
                         ::testing::Values(PayloadCase{CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, 200},
                                           PayloadCase{CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, 1200},
                                           PayloadCase{CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384, 1500},
                                           PayloadCase{CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, 200},
                                           PayloadCase{CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, 1200},
                                           PayloadCase{CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, 65535}));

TEST(Close, PeerSeesCloseNotify) {
    for (bool client_closes : {true, false}) {
        Mitm m;
        ASSERT_TRUE(m.start());
        m.pump();
        ASSERT_TRUE(m.established()) << m.describe();
        Connection& closer = client_closes ? *m.client : *m.server_conn;
        Connection& peer = client_closes ? *m.server_conn : *m.client;
        std::vector<Event>& peer_events = client_closes ? m.server_events : m.client_events;
        closer.close(m.now);
        EXPECT_EQ(closer.state(), State::closed);
        std::vector<Bytes> out = drain_datagrams(closer);
        ASSERT_EQ(out.size(), 1u);
        std::vector<WireRecord> records = split_records(out[0]);
        ASSERT_EQ(records.size(), 1u);
        EXPECT_EQ(records[0].header.type, ContentType::alert);
        EXPECT_EQ(records[0].header.epoch, 1) << "close_notify must be protected";
        peer.handle_datagram(out[0], m.now);
        m.drain_events();
        EXPECT_EQ(peer.state(), State::closed);
        ASSERT_FALSE(peer_events.empty());
        EXPECT_TRUE(std::holds_alternative<event::Closed>(peer_events.back()));
        EXPECT_FALSE(peer.error().has_value());
        Status s = closer.send(span_of("after close"), m.now);
        ASSERT_FALSE(s);
        EXPECT_EQ(s.error().code, ErrorCode::closed);
    }
}

}  // namespace
}  // namespace dtls::test
