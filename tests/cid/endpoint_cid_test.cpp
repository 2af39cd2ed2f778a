// The endpoint with connection IDs (RFC 9146): records are routed by the
// CID the connection issued, a connection follows its client to a new
// address only for a record that authenticates and is newer than any before
// (RFC 9146 6), the application hears of it, an unconfirmed address gets at
// most three times the bytes that came from it (RFC 9853's
// anti-amplification limit), unknown CIDs are dropped without state, and a
// generator that repeats itself cannot give two connections one CID.
#include <gtest/gtest.h>

#include <memory>

#include "endpoint/endpoint_harness.hpp"

namespace dtls::test {
namespace {

constexpr size_t kCidLength = 5;

Config cid_server_config() {
    Config config = endpoint_server_config();
    config.connection_id_length = kCidLength;
    return config;
}

Config cid_client_config(ProtocolVersion version = ProtocolVersion::dtls1_2) {
    Config config = endpoint_client_config();
    config.min_version = config.max_version = version;
    config.connection_id_length = 0;  // the client asks for no CID in the server's records
    return config;
}

struct CidNet {
    EndpointNet net;
    Client client_factory;

    static CidNet make(Config server = cid_server_config(), ProtocolVersion version = ProtocolVersion::dtls1_2) {
        auto e = Endpoint::create(server, Instant{} + std::chrono::hours(1));
        EXPECT_TRUE(e.ok()) << e.error().to_string();
        auto c = Client::create(cid_client_config(version));
        EXPECT_TRUE(c.ok()) << c.error().to_string();
        return CidNet{EndpointNet(std::move(*e)), std::move(*c)};
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

    // One application record from `client`, as a datagram not yet delivered.
    static Bytes record_from(Connection& client, const std::string& text, Instant now) {
        EXPECT_TRUE(client.send(bytes_of(text), now));
        Bytes d;
        EXPECT_TRUE(client.poll_datagram(d));
        return d;
    }

    std::vector<std::string> received() const {
        std::vector<std::string> out;
        for (const EndpointEvent& e : net.events) {
            if (auto* ev = std::get_if<Event>(&e.what)) {
                if (auto* d = std::get_if<event::ApplicationData>(ev)) out.emplace_back(d->data.begin(), d->data.end());
            }
        }
        return out;
    }

    void drain_events() {
        while (auto e = net.endpoint.poll_event()) net.events.push_back(std::move(*e));
    }

    Bytes peer_address(ConnectionHandle h) const {
        auto a = net.endpoint.peer_address(h);
        return Bytes(a.begin(), a.end());
    }
};

TEST(CidEndpoint, RecordsAreRoutedByCidAndTheConnectionFollowsANewAddress) {
    CidNet n = CidNet::make();
    const Bytes home = address_of(1), away = address_of(2);
    Connection& client = n.connect(home);
    const ConnectionHandle h = n.only_connection();
    const Connection* server_side = n.net.endpoint.connection(h);
    ASSERT_NE(server_side, nullptr);
    EXPECT_EQ(server_side->negotiated().our_connection_id.size(), kCidLength);
    EXPECT_EQ(client.negotiated().peer_connection_id, server_side->negotiated().our_connection_id);

    // The client's NAT rebinds: its next record comes from another port.
    const Bytes d = CidNet::record_from(client, "from afar", n.net.now);
    const Endpoint::Routed routed = n.net.endpoint.handle_datagram(away, d, n.net.now);
    EXPECT_EQ(routed.route, Endpoint::Route::connection);
    EXPECT_EQ(routed.connection, h);
    n.drain_events();
    auto moved = n.net.events_of<endpoint_event::AddressChanged>();
    ASSERT_EQ(moved.size(), 1u);
    EXPECT_EQ(moved[0].connection, h);
    const auto& change = std::get<endpoint_event::AddressChanged>(moved[0].what);
    EXPECT_EQ(change.was_at, home);
    EXPECT_EQ(change.now_at, away);
    EXPECT_EQ(n.peer_address(h), away);
    EXPECT_EQ(n.net.endpoint.stats().address_changes, 1u);
    EXPECT_EQ(n.received(), std::vector<std::string>{"from afar"});

    // Answers go to the new address (after RFC 9853's path_challenge:
    // rrc_endpoint_test.cpp).
    ASSERT_TRUE(n.net.endpoint.send(h, bytes_of("found you"), n.net.now));
    Bytes out, to;
    size_t datagrams = 0;
    while (n.net.endpoint.poll_datagram(out, to)) {
        EXPECT_EQ(to, away);
        client.handle_datagram(out, n.net.now);
        ++datagrams;
    }
    EXPECT_EQ(datagrams, 2u);
    auto event = client.poll_event();
    ASSERT_TRUE(event && std::holds_alternative<event::ApplicationData>(*event));
}

// conformance: RFC9146-6-1
TEST(CidEndpoint, AReplayedOrOlderRecordFromElsewhereDoesNotMoveTheAddress) {
    CidNet n = CidNet::make();
    const Bytes home = address_of(1), attacker = address_of(66);
    Connection& client = n.connect(home);
    const ConnectionHandle h = n.only_connection();

    const Bytes first = CidNet::record_from(client, "one", n.net.now);
    const Bytes second = CidNet::record_from(client, "two", n.net.now);
    n.net.endpoint.handle_datagram(home, second, n.net.now);
    // Reordered: older than the newest, though it authenticates and is new
    // to the replay window. Delivered, but no move.
    n.net.endpoint.handle_datagram(attacker, first, n.net.now);
    // Replayed: dropped by the replay window.
    n.net.endpoint.handle_datagram(attacker, second, n.net.now);
    n.drain_events();
    EXPECT_TRUE(n.net.events_of<endpoint_event::AddressChanged>().empty());
    EXPECT_EQ(n.peer_address(h), home);
    EXPECT_EQ(n.received(), (std::vector<std::string>{"two", "one"}));
    EXPECT_EQ(n.net.endpoint.stats().address_changes, 0u);
}

// conformance: RFC9146-6-1
TEST(CidEndpoint, AForgedRecordFromElsewhereDoesNotMoveTheAddress) {
    CidNet n = CidNet::make();
    const Bytes home = address_of(1), attacker = address_of(66);
    Connection& client = n.connect(home);
    const ConnectionHandle h = n.only_connection();
    Bytes d = CidNet::record_from(client, "genuine", n.net.now);
    d.back() ^= 1;  // the tag no longer authenticates
    EXPECT_EQ(n.net.endpoint.handle_datagram(attacker, d, n.net.now).route, Endpoint::Route::connection);
    n.drain_events();
    EXPECT_TRUE(n.net.events_of<endpoint_event::AddressChanged>().empty());
    EXPECT_EQ(n.peer_address(h), home);
    EXPECT_TRUE(n.received().empty());
}

// An on-path attacker that sends a genuine record, captured before it
// arrived, from its own address moves the connection there; what the
// server then sends there stays within three times what came from there,
// until the application confirms the address.
TEST(CidEndpoint, AnUnconfirmedAddressGetsAtMostThreeTimesWhatItSent) {
    CidNet n = CidNet::make();
    const Bytes home = address_of(1), victim = address_of(77);
    Connection& client = n.connect(home);
    const ConnectionHandle h = n.only_connection();
    const Bytes captured = CidNet::record_from(client, "x", n.net.now);
    n.net.endpoint.handle_datagram(victim, captured, n.net.now);
    n.drain_events();
    ASSERT_EQ(n.net.events_of<endpoint_event::AddressChanged>().size(), 1u);
    ASSERT_EQ(n.peer_address(h), victim);

    // The application sends far more than the attacker's one datagram.
    const std::string big(400, 'b');
    size_t sent_to_victim = 0;
    Bytes out, to;
    for (int i = 0; i < 20; ++i) {
        ASSERT_TRUE(n.net.endpoint.send(h, bytes_of(big), n.net.now));
        while (n.net.endpoint.poll_datagram(out, to)) {
            EXPECT_EQ(to, victim);
            sent_to_victim += out.size();
        }
    }
    EXPECT_LE(sent_to_victim, 3 * captured.size());
    EXPECT_GT(n.net.endpoint.stats().amplification_limited, 0u);

    // More from the address raises the budget; confirming lifts it.
    const Bytes more = CidNet::record_from(client, std::string(300, 'm'), n.net.now);
    n.net.endpoint.handle_datagram(victim, more, n.net.now);
    ASSERT_TRUE(n.net.endpoint.send(h, bytes_of(big), n.net.now));
    size_t after_more = 0;
    while (n.net.endpoint.poll_datagram(out, to)) after_more += out.size();
    EXPECT_GT(after_more, 0u);
    EXPECT_LE(sent_to_victim + after_more, 3 * (captured.size() + more.size()));

    EXPECT_TRUE(n.net.endpoint.confirm_address(h));
    EXPECT_FALSE(n.net.endpoint.confirm_address(h)) << "nothing left to confirm";
    const uint64_t limited = n.net.endpoint.stats().amplification_limited;
    size_t confirmed = 0;
    for (int i = 0; i < 5; ++i) {
        ASSERT_TRUE(n.net.endpoint.send(h, bytes_of(big), n.net.now));
        while (n.net.endpoint.poll_datagram(out, to)) confirmed += out.size();
    }
    EXPECT_GT(confirmed, 5 * big.size());
    EXPECT_EQ(n.net.endpoint.stats().amplification_limited, limited);
}

// Bad input at the endpoint: no state is made for it.
TEST(CidEndpoint, ACidNoConnectionIssuedIsDroppedAndCounted) {
    CidNet n = CidNet::make();
    Connection& client = n.connect(address_of(1));
    (void)client;
    const size_t connections = n.net.endpoint.size();
    Bytes forged = CidNet::record_from(client, "x", n.net.now);
    forged[11] ^= 0xff;  // the first byte of the CID
    const Endpoint::Routed routed = n.net.endpoint.handle_datagram(address_of(9), forged, n.net.now);
    EXPECT_EQ(routed.route, Endpoint::Route::dropped);
    EXPECT_FALSE(routed.connection);
    // Too short to hold a CID at all.
    const Bytes stub = {25, 0xfe, 0xfd, 0, 1};
    EXPECT_EQ(n.net.endpoint.handle_datagram(address_of(9), stub, n.net.now).route, Endpoint::Route::dropped);
    EXPECT_EQ(n.net.endpoint.stats().unknown_connection_id, 2u);
    EXPECT_EQ(n.net.endpoint.size(), connections);
    Bytes out, to;
    EXPECT_FALSE(n.net.endpoint.poll_datagram(out, to)) << "nothing is sent to a stranger";
    n.drain_events();
    EXPECT_TRUE(n.received().empty());
}

TEST(CidEndpoint, ARepeatedCidFromTheGeneratorIsNotGivenToASecondConnection) {
    Config server = cid_server_config();
    auto calls = std::make_shared<int>(0);
    // The first two CIDs are the same, then they differ.
    server.connection_id_generator = [calls] {
        const int n = (*calls)++;
        return Bytes{1, 2, 3, 4, static_cast<uint8_t>(n < 2 ? 0 : n)};
    };
    CidNet n = CidNet::make(server);
    Connection& first = n.connect(address_of(1));
    ASSERT_EQ(first.state(), State::established);
    Connection& second = n.net.add_client(address_of(2), &n.client_factory);
    n.net.pump();
    EXPECT_EQ(second.state(), State::handshaking);
    EXPECT_EQ(n.net.endpoint.stats().connection_id_collisions, 1u);
    auto removed = n.net.events_of<endpoint_event::Removed>();
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(std::get<endpoint_event::Removed>(removed[0].what).reason,
              endpoint_event::Removed::Reason::connection_id_in_use);
    // The client's retransmitted ClientHello starts afresh, with a new CID.
    for (int i = 0; i < 5 && second.state() == State::handshaking; ++i) {
        n.net.now += std::chrono::seconds(2);
        second.handle_timeout(n.net.now);
        n.net.pump();
    }
    EXPECT_EQ(second.state(), State::established);
    EXPECT_NE(second.negotiated().peer_connection_id, first.negotiated().peer_connection_id);
    EXPECT_EQ(n.net.endpoint.size(), 2u);
}

// DTLS 1.3 (RFC 9147 9): records with the C bit are routed by the CID right
// after the unified header's first byte, under the same RFC 9146 6 rules
// and anti-amplification limit as DTLS 1.2's.
TEST(CidEndpoint, Dtls13RecordsAreRoutedByCidAndTheConnectionFollowsANewAddress) {
    CidNet n = CidNet::make(cid_server_config(), ProtocolVersion::dtls1_3);
    const Bytes home = address_of(1), away = address_of(2), attacker = address_of(66);
    Connection& client = n.connect(home);
    ASSERT_EQ(client.negotiated().version, ProtocolVersion::dtls1_3);
    const ConnectionHandle h = n.only_connection();
    const Connection* server_side = n.net.endpoint.connection(h);
    ASSERT_NE(server_side, nullptr);
    EXPECT_EQ(server_side->negotiated().our_connection_id.size(), kCidLength);
    EXPECT_EQ(client.negotiated().peer_connection_id, server_side->negotiated().our_connection_id);

    const Bytes first = CidNet::record_from(client, "from afar", n.net.now);
    ASSERT_EQ(first[0] & 0xF0, 0x30) << "a unified header with the C bit";
    const Endpoint::Routed routed = n.net.endpoint.handle_datagram(away, first, n.net.now);
    EXPECT_EQ(routed.route, Endpoint::Route::connection);
    EXPECT_EQ(routed.connection, h);
    n.drain_events();
    auto moved = n.net.events_of<endpoint_event::AddressChanged>();
    ASSERT_EQ(moved.size(), 1u);
    const auto& change = std::get<endpoint_event::AddressChanged>(moved[0].what);
    EXPECT_EQ(change.was_at, home);
    EXPECT_EQ(change.now_at, away);
    EXPECT_EQ(n.peer_address(h), away);
    EXPECT_EQ(n.received(), std::vector<std::string>{"from afar"});

    // A replay from a third address is dropped by the replay window and
    // moves nothing.
    n.net.endpoint.handle_datagram(attacker, first, n.net.now);
    EXPECT_EQ(n.peer_address(h), away);
    EXPECT_EQ(n.net.endpoint.stats().address_changes, 1u);

    // The new address is unconfirmed: at most three times what came from it.
    const std::string big(1000, 'b');
    size_t sent = 0;
    for (int i = 0; i < 10; ++i) {
        ASSERT_TRUE(n.net.endpoint.send(h, bytes_of(big), n.net.now));
        Bytes out, to;
        while (n.net.endpoint.poll_datagram(out, to)) {
            EXPECT_EQ(to, away);
            sent += out.size();
        }
    }
    EXPECT_LE(sent, 3 * first.size());
    EXPECT_GT(n.net.endpoint.stats().amplification_limited, 0u);
    EXPECT_TRUE(n.net.endpoint.confirm_address(h));
}

TEST(CidEndpoint, Dtls13RecordsWithAnUnknownCidAreDroppedAndCounted) {
    CidNet n = CidNet::make(cid_server_config(), ProtocolVersion::dtls1_3);
    Connection& client = n.connect(address_of(1));
    const size_t connections = n.net.endpoint.size();
    Bytes forged = CidNet::record_from(client, "x", n.net.now);
    forged[1] ^= 0xff;  // the CID's first byte
    EXPECT_EQ(n.net.endpoint.handle_datagram(address_of(9), forged, n.net.now).route, Endpoint::Route::dropped);
    // The C bit, and too short to hold a CID.
    const Bytes stub = {0x3c, 1, 2};
    EXPECT_EQ(n.net.endpoint.handle_datagram(address_of(9), stub, n.net.now).route, Endpoint::Route::dropped);
    EXPECT_EQ(n.net.endpoint.stats().unknown_connection_id, 2u);
    EXPECT_EQ(n.net.endpoint.size(), connections);
    Bytes out, to;
    EXPECT_FALSE(n.net.endpoint.poll_datagram(out, to)) << "nothing is sent to a stranger";
    n.drain_events();
    EXPECT_TRUE(n.received().empty());
}

}  // namespace
}  // namespace dtls::test
