// max_fragment_length (RFC 6066 4) from OpenSSL's libssl as a client, in the
// same process, against our server. libssl 3.0 has no record_size_limit
// (RFC 8449); it does enforce a negotiated max_fragment_length on every
// record it receives after the ServerHello, so a handshake that completes
// shows our records kept to it.
#include <gtest/gtest.h>

#include <string>

#include "interop/libssl_pump.hpp"
#include "support/certs.hpp"

namespace dtls::test {
namespace {

Instant start_time() { return Instant{} + std::chrono::hours(1); }

TEST(LibsslMaxFragmentLength, OurServerHonoursIt) {
    // 1..4 are 2^9..2^12 bytes.
    for (uint8_t code = 1; code <= 4; ++code) {
        SCOPED_TRACE("max_fragment_length code " + std::to_string(code));
        const size_t length = size_t{1} << (8 + code);
        Config config;
        config.credential = std::make_shared<Credential>(credential_of(shared_server_cert(KeyKind::rsa2048)));
        config.mtu = 1400;  // larger than 2^9 and 2^10: the limit, not the MTU, must cut the records
        auto server = Server::create(config, start_time());
        ASSERT_TRUE(server) << server.error().to_string();

        OpenSslPeerOptions o;
        o.role = PeerRole::client;
        o.mtu = 1400;
        o.max_fragment_length = code;
        OpenSslPeer peer(o, start_time());
        ASSERT_FALSE(peer.failed()) << peer.error();

        LibsslVsServer run{std::move(*server), peer, start_time(), {}, {}};
        run.pump();
        ASSERT_TRUE(run.conn);
        ASSERT_EQ(run.conn->state(), State::established)
            << (run.conn->error() ? run.conn->error()->to_string() : "") << " / libssl: " << peer.error();
        ASSERT_TRUE(peer.handshake_complete()) << peer.error();
        const Negotiated& n = run.conn->negotiated();
        EXPECT_TRUE(n.max_fragment_length);
        EXPECT_EQ(n.peer_record_size_limit, length);
        EXPECT_EQ(n.record_size_limit, length);
        EXPECT_EQ(run.conn->max_payload(), std::min<size_t>(length, 1400 - 13 - 8 - 16));

        // As much as one record may carry, both ways.
        const std::string down(run.conn->max_payload(), 'd');
        ASSERT_TRUE(run.conn->send(bytes_of(down), run.now));
        run.pump();
        EXPECT_FALSE(peer.failed()) << peer.error();
        const std::vector<std::string> got = strings_of(peer.take_received());
        ASSERT_FALSE(got.empty());
        EXPECT_EQ(got.back(), down);
        const std::string up(std::min<size_t>(length, 1000), 'u');
        ASSERT_EQ(peer.send(bytes_of(up)), static_cast<int>(up.size())) << peer.error();
        run.pump();
        ASSERT_FALSE(received_strings(run.events).empty());
        EXPECT_EQ(received_strings(run.events).back(), up);
    }
}

}  // namespace
}  // namespace dtls::test
