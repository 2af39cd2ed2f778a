// DTLS 1.2 session resumption against OpenSSL's libssl in the same process,
// both roles, by session ticket (RFC 5077) and by session ID alone: the
// second connection must be an abbreviated handshake on both sides, with
// keys that agree.
#include <gtest/gtest.h>

#include "dtls/session.hpp"
#include "interop/libssl_pump.hpp"
#include "support/certs.hpp"

namespace dtls::test {
namespace {

Instant start_time() { return Instant{} + std::chrono::hours(1); }

struct Mode {
    const char* name;
    bool tickets;
};

class LibsslResumption : public ::testing::TestWithParam<Mode> {};

void expect_same_keys(const Connection& ours, const OpenSslPeer& peer) {
    auto exported = ours.export_keying_material("EXPORTER-test", bytes_of("ctx"), true, 32);
    ASSERT_TRUE(exported) << exported.error().to_string();
    EXPECT_EQ(*exported, peer.export_keying_material("EXPORTER-test", bytes_of("ctx"), 32));
}

TEST_P(LibsslResumption, OurClientResumesWithLibsslServer) {
    Issued cert = shared_server_cert(KeyKind::ecdsa_p256);
    OpenSslPeerOptions o;
    o.role = PeerRole::server;
    o.cert_chain_pem = cert.chain_pem;
    o.key_pem = cert.key_pem;
    o.no_ticket = !GetParam().tickets;
    OpenSslPeer first_peer(o, start_time());
    ASSERT_FALSE(first_peer.failed()) << first_peer.error();

    Config config;
    config.max_version = ProtocolVersion::dtls1_2;
    config.ca_pem = shared_ca().cert_pem();
    config.server_name = "server.test";
    config.session_cache = SessionCache::in_memory();

    auto client = Connection::client(config, start_time());
    ASSERT_TRUE(client) << client.error().to_string();
    ClientVsLibssl first{std::move(*client), first_peer, start_time(), {}};
    first.pump();
    ASSERT_EQ(first.client.state(), State::established)
        << (first.client.error() ? first.client.error()->to_string() : "") << " / libssl: " << first_peer.error();
    EXPECT_FALSE(first.client.negotiated().resumed);
    EXPECT_FALSE(first_peer.session_reused());

    OpenSslPeer second_peer(o, start_time() + std::chrono::seconds(1), first_peer);
    ASSERT_FALSE(second_peer.failed()) << second_peer.error();
    auto again = Connection::client(config, start_time() + std::chrono::seconds(1));
    ASSERT_TRUE(again) << again.error().to_string();
    ClientVsLibssl second{std::move(*again), second_peer, start_time() + std::chrono::seconds(1), {}};
    second.pump();
    ASSERT_EQ(second.client.state(), State::established)
        << (second.client.error() ? second.client.error()->to_string() : "") << " / libssl: " << second_peer.error();
    EXPECT_TRUE(second.client.negotiated().resumed);
    EXPECT_TRUE(second_peer.session_reused());
    EXPECT_TRUE(second_peer.handshake_complete());
    EXPECT_EQ(second.client.negotiated().peer_chain, first.client.negotiated().peer_chain);
    expect_same_keys(second.client, second_peer);

    ASSERT_TRUE(second.client.send(bytes_of("resumed hello"), second.now));
    second.pump();
    EXPECT_EQ(strings_of(second_peer.take_received()), std::vector<std::string>{"resumed hello"});
}

TEST_P(LibsslResumption, LibsslClientResumesWithOurServer) {
    Config config;
    config.credential = std::make_shared<Credential>(credential_of(shared_server_cert(KeyKind::ecdsa_p256)));
    // One way to resume at a time, so that the test shows that one works.
    config.session_cache_capacity = GetParam().tickets ? 0 : 16;
    config.session_tickets = GetParam().tickets ? 1 : 0;
    auto server = Server::create(config, start_time());
    ASSERT_TRUE(server) << server.error().to_string();

    OpenSslPeerOptions o;
    o.role = PeerRole::client;
    o.ca_pem = shared_ca().cert_pem();
    o.verify_peer = true;
    o.expected_host_name = "server.test";
    o.sni_host_name = "server.test";
    o.no_ticket = !GetParam().tickets;
    OpenSslPeer first_peer(o, start_time());
    ASSERT_FALSE(first_peer.failed()) << first_peer.error();
    LibsslVsServer first{*server, first_peer, start_time(), {}, {}};
    first.pump();
    ASSERT_TRUE(first.conn);
    ASSERT_EQ(first.conn->state(), State::established)
        << (first.conn->error() ? first.conn->error()->to_string() : "") << " / libssl: " << first_peer.error();
    ASSERT_TRUE(first_peer.handshake_complete());
    EXPECT_FALSE(first.conn->negotiated().resumed);

    o.resume_session = first_peer.session_der();
    ASSERT_FALSE(o.resume_session.empty());
    OpenSslPeer second_peer(o, start_time() + std::chrono::seconds(1));
    ASSERT_FALSE(second_peer.failed()) << second_peer.error();
    LibsslVsServer second{*server, second_peer, start_time() + std::chrono::seconds(1), {}, {}};
    second.address = {127, 0, 0, 1, 0x56, 0x78};  // a new port, as a new socket would have
    second.pump();
    ASSERT_TRUE(second.conn);
    ASSERT_EQ(second.conn->state(), State::established)
        << (second.conn->error() ? second.conn->error()->to_string() : "") << " / libssl: " << second_peer.error();
    ASSERT_TRUE(second_peer.handshake_complete());
    EXPECT_TRUE(second_peer.session_reused());
    EXPECT_TRUE(second.conn->negotiated().resumed);
    EXPECT_EQ(second.conn->negotiated().cipher_suite, first.conn->negotiated().cipher_suite);
    expect_same_keys(*second.conn, second_peer);
}

INSTANTIATE_TEST_SUITE_P(Dtls12, LibsslResumption,
                         ::testing::Values(Mode{"tickets", true}, Mode{"session_ids", false}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace dtls::test
