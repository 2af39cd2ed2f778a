// libssl against libssl through the impaired link: proves the link, the libssl
// peer and its virtual-time retransmissions before they are used to prove our
// engine.
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "support/endpoints.hpp"
#include "support/impaired_link.hpp"
#include "support_selftest/throwaway_cert.hpp"

namespace dtls::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Instant start = Instant{} + seconds(5000);

std::vector<uint8_t> bytes(const std::string& text) { return {text.begin(), text.end()}; }

const ThrowawayCert& server_cert() {
    static const ThrowawayCert cert = make_throwaway_cert("server.test");
    return cert;
}

const ThrowawayCert& client_cert() {
    static const ThrowawayCert cert = make_throwaway_cert("client.test");
    return cert;
}

OpenSslPeerOptions client_options(size_t mtu = 1200) {
    OpenSslPeerOptions o;
    o.role = PeerRole::client;
    o.mtu = mtu;
    o.verify_peer = true;
    o.ca_pem = server_cert().cert_pem;
    o.expected_host_name = "server.test";
    o.sni_host_name = "server.test";
    o.alpn = {"coap", "h2"};
    return o;
}

OpenSslPeerOptions server_options(bool cookies, size_t mtu = 1200) {
    OpenSslPeerOptions o;
    o.role = PeerRole::server;
    o.mtu = mtu;
    o.cert_chain_pem = server_cert().cert_pem;
    o.key_pem = server_cert().key_pem;
    o.cookie_exchange = cookies;
    o.alpn = {"h2", "coap"};
    return o;
}

// A client and a server of libssl joined by a link.
struct Pair {
    OpenSslEndpoint client;
    OpenSslEndpoint server;
    Link link;

    Pair(const OpenSslPeerOptions& c, const OpenSslPeerOptions& s, LinkOptions options)
        : client(c, start), server(s, start), link(client, server, options, start) {}

    bool both_complete() const { return client.peer().handshake_complete() && server.peer().handshake_complete(); }
};

// Sends one message each way with loss switched off, and checks it arrives.
void exchange_data(Pair& pair) {
    pair.link.options().loss_a_to_b = 0;
    pair.link.options().loss_b_to_a = 0;
    ASSERT_TRUE(pair.client.send(bytes("ping"), pair.link.now()));
    ASSERT_TRUE(pair.link.run_until([&] { return !pair.server.received().empty(); }));
    ASSERT_TRUE(pair.server.send(bytes("pong"), pair.link.now()));
    ASSERT_TRUE(pair.link.run_until([&] { return !pair.client.received().empty(); }));
    EXPECT_EQ(pair.server.received().front(), bytes("ping"));
    EXPECT_EQ(pair.client.received().front(), bytes("pong"));
}

class CleanLink : public ::testing::TestWithParam<bool> {};

TEST_P(CleanLink, HandshakeAgreesOnEverythingAndCarriesData) {
    const bool cookies = GetParam();
    OpenSslPeerOptions server = server_options(cookies);
    server.cipher_list = "ECDHE-ECDSA-CHACHA20-POLY1305";
    Pair pair(client_options(), server, LinkOptions{});
    ASSERT_TRUE(pair.link.run_until_done()) << pair.client.peer().error() << " / " << pair.server.peer().error();
    ASSERT_TRUE(pair.both_complete()) << pair.client.peer().error() << " / " << pair.server.peer().error();

    OpenSslPeer& c = pair.client.peer();
    OpenSslPeer& s = pair.server.peer();
    EXPECT_EQ(c.cipher_name(), "ECDHE-ECDSA-CHACHA20-POLY1305");  // the only one the server allows
    EXPECT_EQ(c.cipher_id(), 0xCCA9);
    EXPECT_EQ(s.cipher_id(), 0xCCA9);
    EXPECT_EQ(c.group_name(), "x25519");
    EXPECT_EQ(s.group_name(), "x25519");
    EXPECT_EQ(c.alpn(), "h2");  // the server's preference wins
    EXPECT_EQ(s.alpn(), "h2");
    EXPECT_EQ(s.server_name(), "server.test");
    EXPECT_EQ(c.peer_cert_der(), server_cert().cert_der);
    EXPECT_TRUE(s.peer_cert_der().empty());
    EXPECT_TRUE(c.extended_master_secret());

    const std::vector<uint8_t> context = {1, 2, 3};
    auto client_keys = c.export_keying_material("EXTRACTOR-dtls_srtp", context, 60);
    EXPECT_EQ(client_keys.size(), 60u);
    EXPECT_EQ(client_keys, s.export_keying_material("EXTRACTOR-dtls_srtp", context, 60));
    EXPECT_NE(client_keys, c.export_keying_material("EXTRACTOR-dtls_srtp", {}, 60, false));

    EXPECT_EQ(s.cookies_sent(), cookies ? 1u : 0u);
    EXPECT_EQ(s.cookies_verified(), cookies ? 1u : 0u);
    // A clean link needs no retransmission, so almost no virtual time passes.
    EXPECT_EQ(c.retransmissions(), 0u);
    EXPECT_LT(pair.link.stats().elapsed, milliseconds(200));

    exchange_data(pair);

    pair.client.close(pair.link.now());
    ASSERT_TRUE(pair.link.run_until([&] { return s.peer_closed(); }));
}

INSTANTIATE_TEST_SUITE_P(Cookies, CleanLink, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "On" : "Off"; });

struct LossyCase {
    uint64_t seed;
    bool cookies;
    friend std::ostream& operator<<(std::ostream& out, const LossyCase& c) {
        return out << "seed " << c.seed << (c.cookies ? ", cookies" : ", no cookies");
    }
};

class LossyLink : public ::testing::TestWithParam<LossyCase> {};

TEST_P(LossyLink, HandshakeCompletesAtMtu300WithTwentyPercentLoss) {
    const LossyCase param = GetParam();
    LinkOptions options;
    options.seed = param.seed;
    options.loss_a_to_b = 0.2;
    options.loss_b_to_a = 0.2;
    options.mtu = 300;
    Pair pair(client_options(300), server_options(param.cookies, 300), options);

    ASSERT_TRUE(pair.link.run_until([&] { return pair.both_complete(); }))
        << pair.client.peer().error() << " / " << pair.server.peer().error();
    const LinkStats& stats = pair.link.stats();
    EXPECT_EQ(stats.a_to_b.oversize_dropped + stats.b_to_a.oversize_dropped, 0u) << "libssl kept to the MTU";
    EXPECT_GT(stats.b_to_a.datagrams, 3u) << "the server's flight is fragmented at MTU 300";

    // Every loss that mattered was repaired by a timer, in virtual time.
    unsigned retransmissions = pair.client.peer().retransmissions() + pair.server.peer().retransmissions();
    if (retransmissions > 0) {
        EXPECT_GE(stats.elapsed, seconds(1));
    }

    exchange_data(pair);
}

std::vector<LossyCase> lossy_cases() {
    std::vector<LossyCase> cases;
    for (uint64_t seed = 1; seed <= 8; ++seed) cases.push_back({seed, seed % 2 == 0});
    return cases;
}

INSTANTIATE_TEST_SUITE_P(Seeds, LossyLink, ::testing::ValuesIn(lossy_cases()), [](const auto& info) {
    return "Seed" + std::to_string(info.param.seed) + (info.param.cookies ? "Cookies" : "NoCookies");
});

TEST(LossyLinkOverall, LossForcesRetransmissionsSomewhere) {
    unsigned total = 0;
    uint64_t timeouts = 0;
    for (uint64_t seed = 1; seed <= 8; ++seed) {
        LinkOptions options;
        options.seed = seed;
        options.loss_a_to_b = 0.2;
        options.loss_b_to_a = 0.2;
        Pair pair(client_options(300), server_options(true, 300), options);
        ASSERT_TRUE(pair.link.run_until([&] { return pair.both_complete(); }));
        total += pair.client.peer().retransmissions() + pair.server.peer().retransmissions();
        timeouts += pair.link.stats().timeouts;
    }
    EXPECT_GT(total, 0u);
    EXPECT_GT(timeouts, 0u);
}

TEST(Link, LosingTheFirstFlightCostsExactlyOneInitialTimeout) {
    // The client's first ClientHello is lost for sure; nothing else is.
    LinkOptions options;
    options.loss_a_to_b = 1.0;
    Pair pair(client_options(), server_options(false), options);
    pair.link.run_for(milliseconds(500));
    EXPECT_EQ(pair.link.stats().a_to_b.dropped, 1u);
    pair.link.options().loss_a_to_b = 0.0;
    ASSERT_TRUE(pair.link.run_until([&] { return pair.both_complete(); }));
    EXPECT_EQ(pair.client.peer().retransmissions(), 1u);
    // Retransmitted at start + 1 s, then two round trips of 10 ms each way.
    EXPECT_EQ(pair.link.now(), start + seconds(1) + milliseconds(40));
}

LinkStats run_impaired(uint64_t seed) {
    LinkOptions options;
    options.seed = seed;
    options.loss_a_to_b = 0.15;
    options.loss_b_to_a = 0.25;
    options.duplicate = 0.1;
    options.reorder = 0.2;
    options.mtu = 400;
    Pair pair(client_options(400), server_options(true, 400), options);
    pair.link.run_until([&] { return pair.both_complete(); });
    return pair.link.stats();
}

// libssl's messages vary in size from run to run (ECDSA signatures, random
// key shares), so only the byte counts may differ between two runs.
LinkStats without_bytes(LinkStats stats) {
    stats.a_to_b.bytes = 0;
    stats.b_to_a.bytes = 0;
    return stats;
}

TEST(Link, SameSeedSameLibsslRunApartFromByteCounts) {
    for (uint64_t seed : {3u, 11u, 42u}) {
        LinkStats first = run_impaired(seed);
        LinkStats second = run_impaired(seed);
        EXPECT_EQ(without_bytes(first), without_bytes(second)) << "seed " << seed;
        EXPECT_GT(first.rounds, 0u);
    }
}

TEST(Link, DuplicatesAndReorderingAreCountedAndSurvived) {
    LinkOptions options;
    options.seed = 7;
    options.duplicate = 0.5;
    options.reorder = 0.5;
    Pair pair(client_options(), server_options(true), options);
    ASSERT_TRUE(pair.link.run_until([&] { return pair.both_complete(); }));
    const LinkStats& stats = pair.link.stats();
    EXPECT_GT(stats.a_to_b.duplicated + stats.b_to_a.duplicated, 0u);
    EXPECT_GT(stats.a_to_b.reordered + stats.b_to_a.reordered, 0u);
    // Nothing is lost, so every datagram and every copy arrives or is still in flight.
    EXPECT_EQ(stats.a_to_b.delivered + stats.b_to_a.delivered + pair.link.in_flight(),
              stats.a_to_b.datagrams + stats.b_to_a.datagrams + stats.a_to_b.duplicated + stats.b_to_a.duplicated);
}

TEST(Link, OversizeDatagramsAreDroppedAndTheHandshakeStalls) {
    // The peers believe in 1200 bytes but the path carries 300: the
    // certificate flight cannot pass, and the run ends within its budget.
    LinkOptions options;
    options.mtu = 300;
    Pair pair(client_options(1200), server_options(false, 1200), options);
    RunLimits limits;
    limits.max_virtual_time = seconds(30);
    EXPECT_FALSE(pair.link.run_until([&] { return pair.both_complete(); }, limits));
    EXPECT_GT(pair.link.stats().b_to_a.oversize_dropped, 0u);
    EXPECT_FALSE(pair.client.peer().handshake_complete());
    EXPECT_LE(pair.link.now(), start + seconds(30));
}

TEST(Link, StopsWhenNothingCanHappen) {
    Pair pair(client_options(), server_options(false), LinkOptions{});
    ASSERT_TRUE(pair.link.run_until_done());
    pair.link.run_for(seconds(120));  // let the server's last-flight timer, if any, run out
    EXPECT_FALSE(pair.link.run_until([] { return false; }));
    EXPECT_EQ(pair.link.in_flight(), 0u);
}

TEST(ClientCertificates, RequiredAndSentIsSeenByTheServer) {
    OpenSslPeerOptions c = client_options();
    c.cert_chain_pem = client_cert().cert_pem;
    c.key_pem = client_cert().key_pem;
    OpenSslPeerOptions s = server_options(true);
    s.require_client_certificate = true;
    Pair pair(c, s, LinkOptions{});
    ASSERT_TRUE(pair.link.run_until([&] { return pair.both_complete(); }))
        << pair.client.peer().error() << " / " << pair.server.peer().error();
    EXPECT_EQ(pair.server.peer().peer_cert_der(), client_cert().cert_der);
}

TEST(ClientCertificates, RequiredAndMissingFailsTheHandshake) {
    OpenSslPeerOptions s = server_options(true);
    s.require_client_certificate = true;
    Pair pair(client_options(), s, LinkOptions{});
    pair.link.run_until([&] { return pair.server.peer().failed() && pair.client.peer().failed(); });
    EXPECT_TRUE(pair.server.peer().failed());
    EXPECT_TRUE(pair.client.peer().failed());
    EXPECT_FALSE(pair.server.peer().handshake_complete());
    ASSERT_TRUE(pair.server.peer().last_alert_sent().has_value());
}

TEST(Verification, WrongHostNameIsRejectedByTheClient) {
    OpenSslPeerOptions c = client_options();
    c.expected_host_name = "other.test";
    Pair pair(c, server_options(false), LinkOptions{});
    pair.link.run_until([&] { return pair.client.peer().failed(); });
    EXPECT_TRUE(pair.client.peer().failed());
    EXPECT_NE(pair.client.peer().error().find("certificate"), std::string::npos) << pair.client.peer().error();
    EXPECT_EQ(pair.client.peer().last_alert_sent(), std::optional<uint8_t>(42));  // bad_certificate
}

TEST(Alpn, NoOverlapFailsWithNoApplicationProtocol) {
    OpenSslPeerOptions c = client_options();
    c.alpn = {"webrtc"};
    Pair pair(c, server_options(false), LinkOptions{});
    pair.link.run_until([&] { return pair.client.peer().failed(); });
    EXPECT_TRUE(pair.client.peer().failed());
    EXPECT_EQ(pair.client.peer().last_alert_received(), std::optional<uint8_t>(120));
}

}  // namespace
}  // namespace dtls::test
