// Our engine against libssl over a lossy, duplicating, reordering link with a
// small MTU, in virtual time, across many seeds, in both roles.
#include <gtest/gtest.h>

#include <cstring>

#include "support/certs.hpp"
#include "support/endpoints.hpp"
#include "support/impaired_link.hpp"

namespace dtls::test {
namespace {

const TestCa& ca() { return shared_ca(); }
const Issued& server_cert() { return shared_server_cert(KeyKind::ecdsa_p256); }

constexpr size_t kMtu = 256;  // libssl's lower bound
constexpr double kLoss = 0.30;

LinkOptions impaired(int seed) {
    LinkOptions o;
    o.seed = static_cast<uint64_t>(seed);
    o.loss_a_to_b = o.loss_b_to_a = kLoss;
    o.duplicate = 0.05;
    o.reorder = 0.10;
    o.mtu = kMtu;
    return o;
}

std::string text(const std::vector<uint8_t>& b) { return std::string(b.begin(), b.end()); }
std::span<const uint8_t> bytes_of(const char* s) { return {reinterpret_cast<const uint8_t*>(s), std::strlen(s)}; }

const RunLimits kLimits{std::chrono::hours(1), 100000};

TEST(LibsslImpaired, OurClientAgainstLibsslServer) {
    for (int seed = 1; seed <= 100; ++seed) {
        const Instant start = Instant{} + std::chrono::hours(1);
        Config config;
        config.ca_pem = ca().cert_pem();
        config.server_name = "server.test";
        config.mtu = kMtu;
        config.max_retransmits = 20;
        config.handshake_timeout = std::chrono::hours(1);
        ClientEndpoint client(config, start);
        OpenSslPeerOptions o;
        o.role = PeerRole::server;
        o.cert_chain_pem = server_cert().chain_pem;
        o.key_pem = server_cert().key_pem;
        o.mtu = kMtu;
        OpenSslEndpoint server(o, start);
        Link link(client, server, impaired(seed), start);
        ASSERT_TRUE(link.run_until([&] { return client.record().handshake_complete && server.peer().handshake_complete(); },
                                   kLimits))
            << "seed " << seed << ": " << (client.record().failure ? client.record().failure->to_string() : "")
            << " / libssl: " << server.peer().error();
        link.options().loss_a_to_b = link.options().loss_b_to_a = link.options().duplicate = 0;
        ASSERT_TRUE(client.send(bytes_of("from dtls"), link.now()));
        ASSERT_TRUE(server.send(bytes_of("from libssl"), link.now()));
        link.run_for(std::chrono::seconds(1));
        ASSERT_FALSE(server.received().empty()) << "seed " << seed;
        ASSERT_FALSE(client.received().empty()) << "seed " << seed;
        EXPECT_EQ(text(server.received()[0]), "from dtls");
        EXPECT_EQ(text(client.received()[0]), "from libssl");
    }
}

TEST(LibsslImpaired, LibsslClientAgainstOurServer) {
    for (int seed = 1; seed <= 100; ++seed) {
        const Instant start = Instant{} + std::chrono::hours(1);
        OpenSslPeerOptions o;
        o.role = PeerRole::client;
        o.ca_pem = ca().cert_pem();
        o.verify_peer = true;
        o.expected_host_name = "server.test";
        o.mtu = kMtu;
        OpenSslEndpoint client(o, start);
        Config config;
        config.credential = std::make_shared<Credential>(credential_of(server_cert()));
        config.mtu = kMtu;
        config.max_retransmits = 20;
        config.handshake_timeout = std::chrono::hours(1);
        ServerEndpoint server(config, start);
        Link link(client, server, impaired(seed), start);
        ASSERT_TRUE(link.run_until([&] { return client.peer().handshake_complete() && server.record().handshake_complete; },
                                   kLimits))
            << "seed " << seed << ": " << (server.record().failure ? server.record().failure->to_string() : "")
            << " / libssl: " << client.peer().error();
        link.options().loss_a_to_b = link.options().loss_b_to_a = link.options().duplicate = 0;
        ASSERT_TRUE(client.send(bytes_of("from libssl"), link.now()));
        ASSERT_TRUE(server.send(bytes_of("from dtls"), link.now()));
        link.run_for(std::chrono::seconds(1));
        ASSERT_FALSE(server.received().empty()) << "seed " << seed;
        ASSERT_FALSE(client.received().empty()) << "seed " << seed;
        EXPECT_EQ(text(server.received()[0]), "from libssl");
        EXPECT_EQ(text(client.received()[0]), "from dtls");
    }
}

}  // namespace
}  // namespace dtls::test
