// The handshake deadline: a peer that sends part of a flight and goes quiet
// stops our retransmission timer, so only the deadline ends the handshake.
#include <gtest/gtest.h>

#include "support/certs.hpp"
#include "tls12/pair.hpp"

namespace dtls::test {
namespace {

TEST(HandshakeDeadline, PartialFlightThenSilenceFailsAtTheDeadline) {
    Pair p;
    TestCa ca = TestCa::create();
    p.server_config.credential = std::make_shared<Credential>(credential_of(ca.issue(KeyKind::rsa2048, "server.test")));
    p.server_config.cookies = false;
    p.server_config.mtu = 300;  // the server's flight spans several datagrams
    p.client_config.ca_pem = ca.cert_pem();
    p.client_config.server_name = "server.test";
    p.client_config.handshake_timeout = std::chrono::seconds(30);
    ASSERT_TRUE(p.start());

    std::vector<uint8_t> d, reply;
    ASSERT_TRUE(p.client->poll_datagram(d));
    auto answer = p.server->handle_datagram(p.client_address, d, p.now, reply);
    ASSERT_EQ(answer.outcome, Server::Outcome::accepted);
    Connection server = std::move(*answer.connection);
    ASSERT_TRUE(server.poll_datagram(d));  // only the first datagram: ServerHello and a part of Certificate
    p.client->handle_datagram(d, p.now);

    // The ServerHello stopped the client's retransmission timer; what is left
    // is the deadline, 30 s after the client started.
    ASSERT_TRUE(p.client->next_timeout());
    EXPECT_EQ(*p.client->next_timeout(), p.now + std::chrono::seconds(30));
    p.client->handle_timeout(p.now + std::chrono::seconds(29));
    EXPECT_EQ(p.client->state(), State::handshaking);
    p.client->handle_timeout(p.now + std::chrono::seconds(30));
    EXPECT_EQ(p.client->state(), State::failed);
    ASSERT_TRUE(p.client->error());
    EXPECT_EQ(p.client->error()->code, ErrorCode::timeout);
    EXPECT_NE(p.client->error()->reason.find("did not complete within"), std::string::npos);
}

TEST(HandshakeDeadline, NonPositiveDeadlineIsRefused) {
    Config c;
    c.verify_peer = false;
    c.handshake_timeout = Duration::zero();
    auto client = Connection::client(c, Instant{});
    ASSERT_FALSE(client);
    EXPECT_EQ(client.error().code, ErrorCode::invalid_argument);
}

}  // namespace
}  // namespace dtls::test
