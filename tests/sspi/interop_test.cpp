// The SSPI facade against the C++ API over the simulated link: both
// directions, an MTU sweep, and an impaired link (loss, duplication,
// reordering) through the SSPI calls.
#include <gtest/gtest.h>

#include "sspi/sspi_peer.hpp"
#include "support/endpoints.hpp"

namespace dtls::test {
namespace {

const Instant kStart = Instant{} + std::chrono::hours(1);

struct Peers {
    VirtualClock clock;
    TestCa ca = TestCa::create();
    Issued leaf = ca.issue(KeyKind::ecdsa_p256, "localhost");
    SspiCredential server_cred, client_cred;

    Peers() {
        EXPECT_EQ(server_credential(leaf, server_cred), SEC_E_OK);
        EXPECT_EQ(client_credential(ca.cert_pem(), client_cred), SEC_E_OK);
    }
    Config cpp_client(size_t mtu) const {
        Config c;
        c.ca_pem = ca.cert_pem();
        c.server_name = "localhost";
        c.mtu = mtu;
        return c;
    }
    Config cpp_server(size_t mtu) const {
        Config c;
        auto credential = Credential::from_pem(leaf.chain_pem, leaf.key_pem);
        c.credential = std::make_shared<const Credential>(*credential);
        c.mtu = mtu;
        return c;
    }
};

std::string text(const Bytes& b) { return std::string(b.begin(), b.end()); }

TEST(SspiInterop, SspiClientWithCppServer) {
    Peers s;
    SspiPeer client(Role::client, s.client_cred.get(), {}, kStart);
    ServerEndpoint server(s.cpp_server(1096), kStart);
    Link link(client, server, {}, kStart);
    ASSERT_TRUE(link.run_until_done());
    ASSERT_TRUE(client.established());
    ASSERT_TRUE(server.connection() && server.connection()->state() == State::established);
    ASSERT_EQ(client.send("from sspi"), SEC_E_OK);
    ASSERT_TRUE(link.run_until([&] { return !server.received().empty(); }));
    EXPECT_EQ(text(server.received()[0]), "from sspi");
    ASSERT_TRUE(server.send(Bytes{'o', 'k'}, link.now()));
    ASSERT_TRUE(link.run_until([&] { return !client.received().empty(); }));
    EXPECT_EQ(client.received()[0], "ok");
}

TEST(SspiInterop, CppClientWithSspiServer) {
    Peers s;
    SspiPeer server(Role::server, s.server_cred.get(), {}, kStart);
    ClientEndpoint client(s.cpp_client(1096), kStart);
    Link link(client, server, {}, kStart);
    ASSERT_TRUE(link.run_until_done());
    ASSERT_TRUE(server.established());
    ASSERT_TRUE(client.record().handshake_complete);
    ASSERT_TRUE(client.send(Bytes{'h', 'i'}, link.now()));
    ASSERT_TRUE(link.run_until([&] { return !server.received().empty(); }));
    EXPECT_EQ(server.received()[0], "hi");
}

// Every MTU from 200 to 1500 (in steps) through the SSPI path on both
// sides: the handshake completes and no datagram exceeds the MTU.
TEST(SspiInterop, MtuSweep) {
    Peers s;
    for (ULONG mtu = 200; mtu <= 1500; mtu += mtu < 300 ? 10 : 100) {
        SspiPeerOptions options;
        options.mtu = mtu;
        SspiPeer server(Role::server, s.server_cred.get(), options, kStart);
        SspiPeer client(Role::client, s.client_cred.get(), options, kStart);
        LinkOptions link_options;
        link_options.mtu = mtu;  // larger datagrams would be dropped
        Link link(client, server, link_options, kStart);
        ASSERT_TRUE(link.run_until_done()) << "MTU " << mtu;
        ASSERT_TRUE(client.established() && server.established()) << "MTU " << mtu;
        EXPECT_LE(client.largest_datagram(), mtu);
        EXPECT_LE(server.largest_datagram(), mtu);
        EXPECT_EQ(link.stats().a_to_b.oversize_dropped + link.stats().b_to_a.oversize_dropped, 0u) << mtu;
        SecPkgContext_DatagramSizes sizes{};
        ASSERT_EQ(QueryContextAttributesA(client.context(), SECPKG_ATTR_DATAGRAM_SIZES, &sizes), SEC_E_OK);
        EXPECT_EQ(sizes.cbHeader + sizes.cbMaximumMessage + sizes.cbTrailer, mtu);
        ASSERT_EQ(client.send(std::string(sizes.cbMaximumMessage, 'x')), SEC_E_OK);
        ASSERT_TRUE(link.run_until([&] { return !server.received().empty(); })) << mtu;
        EXPECT_EQ(server.received()[0].size(), sizes.cbMaximumMessage);
    }
}

// Loss, duplication and reordering in both directions, with an SSPI peer on
// each side and against the C++ API; several seeds so each replays exactly.
TEST(SspiInterop, ImpairedLink) {
    Peers s;
    for (uint64_t seed = 1; seed <= 6; ++seed) {
        LinkOptions impaired;
        impaired.seed = seed;
        impaired.loss_a_to_b = impaired.loss_b_to_a = 0.2;
        impaired.duplicate = 0.2;
        impaired.reorder = 0.3;
        impaired.mtu = 400;
        SspiPeerOptions options;
        options.mtu = 400;
        options.zero_length_token = seed % 2 == 0;
        {
            SspiPeer server(Role::server, s.server_cred.get(), options, kStart);
            SspiPeer client(Role::client, s.client_cred.get(), options, kStart);
            Link link(client, server, impaired, kStart);
            ASSERT_TRUE(link.run_until_done()) << "seed " << seed;
            EXPECT_TRUE(client.established() && server.established()) << "seed " << seed;
        }
        {
            SspiPeer server(Role::server, s.server_cred.get(), options, kStart);
            ClientEndpoint client(s.cpp_client(400), kStart);
            Link link(client, server, impaired, kStart);
            ASSERT_TRUE(link.run_until_done()) << "seed " << seed;
            EXPECT_TRUE(server.established() && client.record().handshake_complete) << "seed " << seed;
            // A client whose last flight is answered late resends it; the
            // SSPI server then sees SEC_E_UNFINISHED_CONTEXT_DELETED and
            // answers through AcceptSecurityContext.
            ASSERT_TRUE(client.send(Bytes{'x'}, link.now()));
            link.options().loss_a_to_b = link.options().loss_b_to_a = 0;
            ASSERT_TRUE(link.run_until([&] { return !server.received().empty(); })) << "seed " << seed;
        }
        {
            SspiPeer client(Role::client, s.client_cred.get(), options, kStart);
            ServerEndpoint server(s.cpp_server(400), kStart);
            Link link(client, server, impaired, kStart);
            ASSERT_TRUE(link.run_until_done()) << "seed " << seed;
            EXPECT_TRUE(client.established()) << "seed " << seed;
        }
    }
}

}  // namespace
}  // namespace dtls::test
