// The libssl peer on its own: configuration errors, and its retransmission
// timer running in virtual time with libssl really sending again.
#include <gtest/gtest.h>

#include "support/openssl_peer.hpp"
#include "support_selftest/throwaway_cert.hpp"

namespace dtls::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const Instant start = Instant{} + seconds(1000);

std::vector<std::vector<uint8_t>> drain(OpenSslPeer& peer) {
    std::vector<std::vector<uint8_t>> out;
    std::vector<uint8_t> datagram;
    while (peer.poll_datagram(datagram)) out.push_back(datagram);
    return out;
}

// DTLS record header: content type 22 (handshake), then the first handshake
// message's type at offset 13.
bool is_client_hello(const std::vector<uint8_t>& datagram) {
    return datagram.size() > 13 && datagram[0] == 22 && datagram[13] == 1;
}

TEST(OpenSslPeer, ClientSendsClientHelloAtOnceAndArmsTimerInVirtualTime) {
    OpenSslPeer client({}, start);
    ASSERT_FALSE(client.failed()) << client.error();
    auto flight = drain(client);
    ASSERT_EQ(flight.size(), 1u);
    EXPECT_TRUE(is_client_hello(flight[0]));
    ASSERT_TRUE(client.next_timeout().has_value());
    EXPECT_EQ(*client.next_timeout(), start + seconds(1));
}

TEST(OpenSslPeer, RetransmitsOnlyWhenTheVirtualDeadlinePasses) {
    OpenSslPeer client({}, start);
    std::vector<uint8_t> first = drain(client).at(0);

    client.handle_timeout(start + milliseconds(999));
    EXPECT_TRUE(drain(client).empty());
    EXPECT_EQ(client.retransmissions(), 0u);

    client.handle_timeout(start + seconds(1));
    auto again = drain(client);
    ASSERT_EQ(again.size(), 1u);
    EXPECT_TRUE(is_client_hello(again[0]));
    // A retransmission is a new record (new sequence number) with the same body.
    EXPECT_NE(again[0], first);
    EXPECT_EQ(std::vector<uint8_t>(again[0].begin() + 13, again[0].end()),
              std::vector<uint8_t>(first.begin() + 13, first.end()));
    EXPECT_EQ(client.retransmissions(), 1u);
    EXPECT_EQ(*client.next_timeout(), start + seconds(1) + seconds(2));
}

TEST(OpenSslPeer, TimerDoublesUpToTheCapThenLibsslGivesUp) {
    OpenSslPeerOptions options;
    options.initial_retransmit_timeout = milliseconds(500);
    options.max_retransmit_timeout = seconds(4);
    OpenSslPeer client(options, start);
    drain(client);

    std::vector<Duration> gaps;
    Instant previous = start;
    for (int i = 0; i < 20 && !client.failed(); ++i) {
        std::optional<Instant> deadline = client.next_timeout();
        ASSERT_TRUE(deadline.has_value());
        gaps.push_back(*deadline - previous);
        previous = *deadline;
        client.handle_timeout(*deadline);
        if (!client.failed()) {
            EXPECT_EQ(drain(client).size(), 1u) << "expiry " << i;
        }
    }
    ASSERT_GE(gaps.size(), 6u);
    EXPECT_EQ(gaps[0], milliseconds(500));
    EXPECT_EQ(gaps[1], seconds(1));
    EXPECT_EQ(gaps[2], seconds(2));
    EXPECT_EQ(gaps[3], seconds(4));
    EXPECT_EQ(gaps[4], seconds(4));
    // libssl's own budget: twelve expiries are retransmitted, the next fails.
    EXPECT_TRUE(client.failed());
    EXPECT_EQ(client.retransmissions(), 13u);
    EXPECT_FALSE(client.next_timeout().has_value());
}

TEST(OpenSslPeer, BadOptionsFailWithAReason) {
    OpenSslPeerOptions options;
    options.cipher_list = "NO-SUCH-CIPHER";
    OpenSslPeer bad_ciphers(options, start);
    EXPECT_TRUE(bad_ciphers.failed());
    EXPECT_NE(bad_ciphers.error().find("cipher list"), std::string::npos) << bad_ciphers.error();

    OpenSslPeerOptions tiny;
    tiny.mtu = 100;
    OpenSslPeer too_small(tiny, start);
    EXPECT_TRUE(too_small.failed());

    OpenSslPeerOptions server;
    server.role = PeerRole::server;
    OpenSslPeer no_cert(server, start);
    EXPECT_TRUE(no_cert.failed());
}

TEST(OpenSslPeer, ServerAnswersClientHelloWithCookieStatelessly) {
    ThrowawayCert cert = make_throwaway_cert("server.test");
    ASSERT_FALSE(cert.cert_pem.empty());
    OpenSslPeerOptions server_options;
    server_options.role = PeerRole::server;
    server_options.cert_chain_pem = cert.cert_pem;
    server_options.key_pem = cert.key_pem;
    OpenSslPeer server(server_options, start);
    OpenSslPeer client({}, start);
    ASSERT_FALSE(server.failed()) << server.error();

    server.receive(drain(client).at(0));
    auto reply = drain(server);
    ASSERT_EQ(reply.size(), 1u);
    EXPECT_EQ(reply[0][13], 3);  // HelloVerifyRequest
    EXPECT_EQ(server.cookies_sent(), 1u);
    EXPECT_FALSE(server.next_timeout().has_value());  // no timer for a stateless answer
}

}  // namespace
}  // namespace dtls::test
