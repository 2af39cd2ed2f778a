// RFC 9853's return routability check in the endpoint: a path_challenge to
// an address a connection moved to, and the confirmation its answer brings
// (the anti-amplification limit lifted); what an attacker who moved the
// connection with a replayed record cannot do; the challenge's bounded
// retransmission; a wrong cookie; the application's own confirmation when
// rrc is off; and the same check for a DTLS 1.3 connection.
#include <gtest/gtest.h>

#include <vector>

#include "endpoint/endpoint_harness.hpp"
#include "engine/connection.hpp"
#include "engine/path_challenge.hpp"
#include "messages/return_routability_check.hpp"
#include "record/datagram_reader.hpp"

namespace dtls::test {
namespace {

using messages::RrcCookie;
using messages::RrcType;

constexpr size_t kCidLength = 5;
constexpr uint8_t kRrcContentType = 27;

Bytes rrc_body(RrcType type, const RrcCookie& cookie) {
    const auto body = messages::encode_rrc({type, cookie});
    return Bytes(body.begin(), body.end());
}

std::vector<record::FramedRecord> records_of(Bytes& datagram, size_t cid_length) {
    std::vector<record::FramedRecord> out;
    record::DatagramReader reader(datagram, cid_length);
    record::FramedRecord framed;
    for (;;) {
        const auto next = reader.next(framed);
        if (next == record::DatagramReader::Next::end) break;
        if (next == record::DatagramReader::Next::record) out.push_back(framed);
    }
    return out;
}

Config rrc_server_config() {
    Config config = endpoint_server_config();
    config.connection_id_length = kCidLength;
    return config;
}

Config rrc_client_config() {
    Config config = endpoint_client_config();
    config.max_version = ProtocolVersion::dtls1_2;
    config.connection_id_length = 0;  // the server's records carry no CID: RRC's plain record form
    return config;
}

struct RrcNet {
    EndpointNet net;
    Client client_factory;

    static RrcNet make(Config server = rrc_server_config(), Config client = rrc_client_config()) {
        auto e = Endpoint::create(server, Instant{} + std::chrono::hours(1));
        EXPECT_TRUE(e.ok()) << e.error().to_string();
        auto c = Client::create(client);
        EXPECT_TRUE(c.ok()) << c.error().to_string();
        return RrcNet{EndpointNet(std::move(*e)), std::move(*c)};
    }

    Connection& connect(const Bytes& address) {
        Connection& client = net.add_client(address, &client_factory);
        net.pump();
        EXPECT_EQ(client.state(), State::established);
        return client;
    }

    ConnectionHandle only_connection() {
        auto accepted = net.events_of<endpoint_event::Accepted>();
        EXPECT_EQ(accepted.size(), 1u);
        return accepted.empty() ? ConnectionHandle{} : accepted.front().connection;
    }

    // The client behind a NAT that rebinds: its datagrams now come from `to`.
    void rebind(const Bytes& to) { net.clients.front().first = to; }

    Bytes peer_address(ConnectionHandle h) const {
        auto a = net.endpoint.peer_address(h);
        return Bytes(a.begin(), a.end());
    }

    const Stats& server_stats(ConnectionHandle h) const { return net.endpoint.connection(h)->stats(); }

    // Sends `count` datagrams of `size` bytes of application data from the
    // server and returns the bytes that got out.
    size_t push(ConnectionHandle h, size_t size, int count) {
        size_t out_bytes = 0;
        Bytes out, to;
        for (int i = 0; i < count; ++i) {
            EXPECT_TRUE(net.endpoint.send(h, Bytes(size, 'p'), net.now));
            while (net.endpoint.poll_datagram(out, to)) out_bytes += out.size();
        }
        return out_bytes;
    }
};

TEST(RrcEndpoint, ANatRebindingIsConfirmedByThePathResponse) {
    RrcNet n = RrcNet::make();
    const Bytes home = address_of(1), away = address_of(2);
    Connection& client = n.connect(home);
    const ConnectionHandle h = n.only_connection();
    ASSERT_TRUE(n.net.endpoint.connection(h)->negotiated().return_routability_check);

    n.rebind(away);
    ASSERT_TRUE(client.send(bytes_of("after the rebinding"), n.net.now));
    n.net.pump();
    ASSERT_EQ(n.net.events_of<endpoint_event::AddressChanged>().size(), 1u);
    EXPECT_EQ(n.peer_address(h), away);
    // The challenge went to the new address, the client answered from there.
    EXPECT_EQ(n.server_stats(h).path_challenges_sent, 1u);
    EXPECT_EQ(client.stats().path_responses_sent, 1u);
    EXPECT_EQ(n.net.endpoint.stats().addresses_validated, 1u);
    EXPECT_FALSE(n.net.endpoint.confirm_address(h)) << "already confirmed";
    // The limit is lifted: far more than three times what came from there.
    const uint64_t limited = n.net.endpoint.stats().amplification_limited;
    EXPECT_GT(n.push(h, 800, 10), 8000u);
    EXPECT_EQ(n.net.endpoint.stats().amplification_limited, limited);
    EXPECT_FALSE(n.net.endpoint.connection(h)->next_timeout()) << "no challenge left to resend";
}

// An attacker replays a captured record from a third address: the
// connection moves there, but the challenge sent there is one the attacker
// cannot answer, so the limit stays; the challenge is resent a bounded
// number of times; the genuine client's next record brings it home, where
// the check succeeds.
TEST(RrcEndpoint, AForgedMoveGetsAChallengeTheAttackerCannotAnswer) {
    RrcNet n = RrcNet::make();
    const Bytes home = address_of(1), attacker = address_of(66);
    Connection& client = n.connect(home);
    const ConnectionHandle h = n.only_connection();

    ASSERT_TRUE(client.send(Bytes(200, 'c'), n.net.now));  // large enough for three challenges' budget
    Bytes captured;
    ASSERT_TRUE(client.poll_datagram(captured));
    n.net.endpoint.handle_datagram(attacker, captured, n.net.now);
    ASSERT_EQ(n.peer_address(h), attacker);

    Bytes out, to;
    std::vector<Bytes> to_attacker;
    while (n.net.endpoint.poll_datagram(out, to)) {
        EXPECT_EQ(to, attacker);
        to_attacker.push_back(out);
    }
    ASSERT_EQ(to_attacker.size(), 1u);
    // The client issued no CID: the challenge is a protected record of
    // RFC 6347's form with content type 27.
    std::vector<record::FramedRecord> records = records_of(to_attacker[0], 0);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(static_cast<uint8_t>(records[0].type), kRrcContentType);
    EXPECT_GT(records[0].epoch, 0u);
    // Sending it back does not answer it (it is sealed for the client).
    n.net.endpoint.handle_datagram(attacker, to_attacker[0], n.net.now);
    EXPECT_EQ(n.net.endpoint.stats().addresses_validated, 0u);

    // Resent on the timer, each with a fresh cookie, then given up.
    for (int i = 0; i < 10 && n.net.endpoint.next_timeout(); ++i) {
        n.net.now = *n.net.endpoint.next_timeout();
        n.net.endpoint.handle_timeout(n.net.now);
        while (n.net.endpoint.poll_datagram(out, to)) {
            EXPECT_EQ(to, attacker);
            to_attacker.push_back(out);
        }
    }
    EXPECT_FALSE(n.net.endpoint.next_timeout()) << "the challenge is not resent forever";
    EXPECT_EQ(n.server_stats(h).path_challenges_sent, engine::PathChallenge::kMaxChallenges);
    EXPECT_EQ(n.server_stats(h).path_validations_failed, 1u);
    EXPECT_LE(to_attacker.size(), engine::PathChallenge::kMaxChallenges);
    EXPECT_NE(to_attacker[0], to_attacker.back());
    EXPECT_EQ(n.net.endpoint.stats().addresses_validated, 0u);
    EXPECT_EQ(n.peer_address(h), attacker) << "unconfirmed, but where the newest record came from";

    // The limit stays: what went there is at most three times what came
    // from there (the captured record and the challenge played back).
    size_t sent = n.push(h, 400, 10);
    for (const Bytes& challenge : to_attacker) sent += challenge.size();
    EXPECT_LE(sent, 3 * (captured.size() + to_attacker[0].size()));
    EXPECT_GT(n.net.endpoint.stats().amplification_limited, 0u);

    // The genuine client speaks again from home: the connection moves back
    // and the check there succeeds.
    ASSERT_TRUE(client.send(bytes_of("still here"), n.net.now));
    n.net.pump();
    EXPECT_EQ(n.peer_address(h), home);
    EXPECT_EQ(n.net.endpoint.stats().addresses_validated, 1u);
    EXPECT_FALSE(n.net.endpoint.confirm_address(h));
}

TEST(RrcEndpoint, AnAnswerWithTheWrongCookieConfirmsNothing) {
    RrcNet n = RrcNet::make();
    const Bytes home = address_of(1), away = address_of(2);
    Connection& client = n.connect(home);
    const ConnectionHandle h = n.only_connection();
    n.rebind(away);
    ASSERT_TRUE(client.send(bytes_of("moved"), n.net.now));
    Bytes d, out, to;
    ASSERT_TRUE(client.poll_datagram(d));
    n.net.endpoint.handle_datagram(away, d, n.net.now);
    ASSERT_TRUE(n.net.endpoint.poll_datagram(out, to));  // the challenge, held back
    ASSERT_EQ(to, away);

    ASSERT_TRUE(client.engine().send_rrc(rrc_body(RrcType::path_response, RrcCookie{1, 2, 3})));
    ASSERT_TRUE(client.poll_datagram(d));
    n.net.endpoint.handle_datagram(away, d, n.net.now);
    EXPECT_EQ(n.net.endpoint.stats().addresses_validated, 0u);
    EXPECT_EQ(n.server_stats(h).rrc_messages_ignored, 1u);

    client.handle_datagram(out, n.net.now);  // now the real challenge
    ASSERT_TRUE(client.poll_datagram(d));
    n.net.endpoint.handle_datagram(away, d, n.net.now);
    EXPECT_EQ(n.net.endpoint.stats().addresses_validated, 1u);
}

TEST(RrcEndpoint, WithoutRrcTheApplicationConfirms) {
    Config client = rrc_client_config();
    client.return_routability_check = false;
    RrcNet n = RrcNet::make(rrc_server_config(), client);
    const Bytes away = address_of(2);
    Connection& c = n.connect(address_of(1));
    const ConnectionHandle h = n.only_connection();
    n.rebind(away);
    ASSERT_TRUE(c.send(bytes_of("moved"), n.net.now));
    n.net.pump();
    EXPECT_EQ(n.peer_address(h), away);
    EXPECT_EQ(n.server_stats(h).path_challenges_sent, 0u);
    EXPECT_EQ(n.net.endpoint.stats().addresses_validated, 0u);
    EXPECT_TRUE(n.net.endpoint.confirm_address(h));
}

// --- DTLS 1.3 (RFC 9853 10.2): the same check, the records' type hidden -------

Config rrc13_client_config() {
    Config config = rrc_client_config();
    config.min_version = config.max_version = ProtocolVersion::dtls1_3;
    return config;
}

TEST(RrcEndpoint, Dtls13ANatRebindingIsConfirmedByThePathResponse) {
    RrcNet n = RrcNet::make(rrc_server_config(), rrc13_client_config());
    const Bytes home = address_of(1), away = address_of(2);
    Connection& client = n.connect(home);
    const ConnectionHandle h = n.only_connection();
    ASSERT_EQ(client.negotiated().version, ProtocolVersion::dtls1_3);
    ASSERT_TRUE(n.net.endpoint.connection(h)->negotiated().return_routability_check);

    n.rebind(away);
    ASSERT_TRUE(client.send(bytes_of("after the rebinding"), n.net.now));
    n.net.pump();
    ASSERT_EQ(n.net.events_of<endpoint_event::AddressChanged>().size(), 1u);
    EXPECT_EQ(n.peer_address(h), away);
    EXPECT_EQ(n.server_stats(h).path_challenges_sent, 1u);
    EXPECT_EQ(client.stats().path_responses_sent, 1u);
    EXPECT_EQ(n.net.endpoint.stats().addresses_validated, 1u);
    EXPECT_FALSE(n.net.endpoint.confirm_address(h)) << "already confirmed";
    const uint64_t limited = n.net.endpoint.stats().amplification_limited;
    EXPECT_GT(n.push(h, 800, 10), 8000u);
    EXPECT_EQ(n.net.endpoint.stats().amplification_limited, limited);
    EXPECT_FALSE(n.net.endpoint.connection(h)->next_timeout()) << "no challenge left to resend";
}

TEST(RrcEndpoint, Dtls13AForgedMoveGetsAChallengeTheAttackerCannotAnswer) {
    RrcNet n = RrcNet::make(rrc_server_config(), rrc13_client_config());
    const Bytes home = address_of(1), attacker = address_of(66);
    Connection& client = n.connect(home);
    const ConnectionHandle h = n.only_connection();

    ASSERT_TRUE(client.send(Bytes(200, 'c'), n.net.now));
    Bytes captured;
    ASSERT_TRUE(client.poll_datagram(captured));
    n.net.endpoint.handle_datagram(attacker, captured, n.net.now);
    ASSERT_EQ(n.peer_address(h), attacker);
    Bytes out, to;
    std::vector<Bytes> to_attacker;
    while (n.net.endpoint.poll_datagram(out, to)) {
        EXPECT_EQ(to, attacker);
        to_attacker.push_back(out);
    }
    ASSERT_EQ(to_attacker.size(), 1u);
    // A DTLS 1.3 record: the unified header hides content type 27.
    std::vector<record::FramedRecord> records = records_of(to_attacker[0], 0);
    ASSERT_EQ(records.size(), 1u);
    EXPECT_EQ(records[0].format, record::HeaderFormat::unified);
    EXPECT_EQ(n.server_stats(h).path_challenges_sent, 1u);
    n.net.endpoint.handle_datagram(attacker, to_attacker[0], n.net.now);
    EXPECT_EQ(n.net.endpoint.stats().addresses_validated, 0u);
    for (int i = 0; i < 10 && n.net.endpoint.next_timeout(); ++i) {
        n.net.now = *n.net.endpoint.next_timeout();
        n.net.endpoint.handle_timeout(n.net.now);
        while (n.net.endpoint.poll_datagram(out, to)) EXPECT_EQ(to, attacker);
    }
    EXPECT_FALSE(n.net.endpoint.next_timeout()) << "the challenge is not resent forever";
    EXPECT_EQ(n.server_stats(h).path_validations_failed, 1u);
    EXPECT_EQ(n.net.endpoint.stats().addresses_validated, 0u);

    // The genuine client speaks again from home: the check there succeeds.
    ASSERT_TRUE(client.send(bytes_of("still here"), n.net.now));
    n.net.pump();
    EXPECT_EQ(n.peer_address(h), home);
    EXPECT_EQ(n.net.endpoint.stats().addresses_validated, 1u);
    EXPECT_FALSE(n.net.endpoint.confirm_address(h));
}

}  // namespace
}  // namespace dtls::test
