// The server endpoint: new clients get a stateless cookie and become
// connections only when it comes back; known clients are routed to their
// connection; a client that restarts on the same address is let in and
// replaces its old connection, a forged restart changes nothing; a flood
// from many addresses leaves no state; limits, idle timeouts and closing.
#include <gtest/gtest.h>

#include "endpoint_harness.hpp"

namespace dtls::test {
namespace {

using Route = Endpoint::Route;
using Reason = endpoint_event::Removed::Reason;

TEST(Endpoint, ANewClientGetsACookieThenAConnectionAndTalks) {
    EndpointNet net = EndpointNet::make();
    const Bytes address = address_of(1);
    Connection& client = net.add_client(address);

    Bytes hello, reply, to;
    ASSERT_TRUE(client.poll_datagram(hello));
    const Endpoint::Routed first = net.endpoint.handle_datagram(address, hello, net.now);
    EXPECT_EQ(first.route, Route::stateless_reply);
    EXPECT_FALSE(first.connection);
    EXPECT_EQ(net.endpoint.size(), 0u) << "no state before the cookie";
    ASSERT_TRUE(net.endpoint.poll_datagram(reply, to));
    EXPECT_EQ(to, address);
    EXPECT_LE(reply.size(), hello.size());
    client.handle_datagram(reply, net.now);

    ASSERT_TRUE(client.poll_datagram(hello));
    const Endpoint::Routed second = net.endpoint.handle_datagram(address, hello, net.now);
    ASSERT_EQ(second.route, Route::accepted);
    ASSERT_TRUE(second.connection);
    EXPECT_EQ(net.endpoint.size(), 1u);
    EXPECT_EQ(std::vector<uint8_t>(net.endpoint.peer_address(*second.connection).begin(),
                                   net.endpoint.peer_address(*second.connection).end()),
              address);

    net.pump();
    ASSERT_EQ(client.state(), State::established);
    const Connection* server_side = net.endpoint.connection(*second.connection);
    ASSERT_NE(server_side, nullptr);
    EXPECT_EQ(server_side->state(), State::established);
    EXPECT_EQ(net.events_of<endpoint_event::Accepted>().size(), 1u);
    EXPECT_EQ(net.connection_events<event::HandshakeComplete>(), 1u);

    ASSERT_TRUE(client.send(bytes_of("ping"), net.now));
    ASSERT_TRUE(client.poll_datagram(hello));
    const Endpoint::Routed data = net.endpoint.handle_datagram(address, hello, net.now);
    EXPECT_EQ(data.route, Route::connection);
    EXPECT_EQ(data.connection, second.connection);
    net.pump();
    ASSERT_EQ(net.connection_events<event::ApplicationData>(), 1u);

    ASSERT_TRUE(net.endpoint.send(*second.connection, bytes_of("pong"), net.now));
    net.pump();
    ASSERT_EQ(net.client_events.size(), 2u);  // HandshakeComplete, then the data
    auto* pong = std::get_if<event::ApplicationData>(&net.client_events.back());
    ASSERT_NE(pong, nullptr);
    EXPECT_EQ(std::string(pong->data.begin(), pong->data.end()), "pong");
}

TEST(Endpoint, ClientsAreRoutedByAddress) {
    EndpointNet net = EndpointNet::make();
    for (uint32_t n = 1; n <= 5; ++n) net.add_client(address_of(n));
    net.pump();
    EXPECT_EQ(net.endpoint.size(), 5u);
    EXPECT_EQ(net.connection_events<event::HandshakeComplete>(), 5u);
    for (auto& [address, client] : net.clients) {
        ASSERT_EQ(client.state(), State::established);
        ASSERT_TRUE(client.send(address, net.now));  // each says its own address
    }
    net.pump();
    for (const EndpointEvent& e : net.events) {
        auto* ev = std::get_if<Event>(&e.what);
        if (!ev) continue;
        if (auto* data = std::get_if<event::ApplicationData>(ev)) {
            const auto address = net.endpoint.peer_address(e.connection);
            EXPECT_EQ(data->data, Bytes(address.begin(), address.end()));
        }
    }
    EXPECT_EQ(net.connection_events<event::ApplicationData>(), 5u);
}

// conformance: RFC9147-5.11-2
TEST(Endpoint, ARestartedClientReplacesItsOldConnection) {
    EndpointNet net = EndpointNet::make();
    const Bytes address = address_of(7);
    net.add_client(address);
    net.pump();
    ASSERT_EQ(net.events_of<endpoint_event::Accepted>().size(), 1u);
    const ConnectionHandle old = net.events_of<endpoint_event::Accepted>()[0].connection;

    // The same address and port, a new ClientHello: the old connection
    // reports it, and the endpoint hands it to the front door itself.
    net.events.clear();
    net.add_client(address);
    net.pump();
    ASSERT_EQ(net.client_at(address)->state(), State::established);
    const auto accepted = net.events_of<endpoint_event::Accepted>();
    ASSERT_EQ(accepted.size(), 1u);
    EXPECT_NE(accepted[0].connection, old);
    EXPECT_EQ(accepted[0].what.index(), 1u);
    EXPECT_EQ(std::get<endpoint_event::Accepted>(accepted[0].what).replaced, old);
    const auto removed = net.events_of<endpoint_event::Removed>();
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(removed[0].connection, old);
    EXPECT_EQ(std::get<endpoint_event::Removed>(removed[0].what).reason, Reason::replaced);
    EXPECT_EQ(net.endpoint.connection(old), nullptr);
    EXPECT_EQ(net.endpoint.size(), 1u);
}

// conformance: RFC9147-5.11-1
TEST(Endpoint, AForgedRestartChangesNothing) {
    EndpointNet net = EndpointNet::make();
    const Bytes address = address_of(8);
    Connection& client = net.add_client(address);
    net.pump();
    ASSERT_EQ(client.state(), State::established);
    const ConnectionHandle handle = net.events_of<endpoint_event::Accepted>()[0].connection;

    // Someone else's ClientHello sent from the client's address: it gets a
    // cookie (which goes to the real client, who ignores it), never a new
    // connection, and the association goes on.
    auto forger = Connection::client(endpoint_client_config(), net.now);
    ASSERT_TRUE(forger.ok());
    Bytes forged;
    ASSERT_TRUE(forger->poll_datagram(forged));
    for (int i = 0; i < 3; ++i) {
        EXPECT_EQ(net.endpoint.handle_datagram(address, forged, net.now).route, Route::connection);
        net.pump();
    }
    EXPECT_EQ(net.endpoint.size(), 1u);
    EXPECT_EQ(net.events_of<endpoint_event::Accepted>().size(), 1u);
    EXPECT_TRUE(net.events_of<endpoint_event::Removed>().empty());
    ASSERT_NE(net.endpoint.connection(handle), nullptr);
    EXPECT_EQ(net.endpoint.connection(handle)->state(), State::established);
    ASSERT_TRUE(client.send(bytes_of("still here"), net.now));
    net.pump();
    EXPECT_EQ(net.connection_events<event::ApplicationData>(), 1u);
}

TEST(Endpoint, AFloodFromManyAddressesLeavesNoState) {
    EndpointNet net = EndpointNet::make();
    auto sender = Connection::client(endpoint_client_config(), net.now);
    ASSERT_TRUE(sender.ok());
    Bytes hello, reply, to;
    ASSERT_TRUE(sender->poll_datagram(hello));
    size_t replies = 0, reply_bytes = 0;
    for (uint32_t n = 0; n < 10000; ++n) {
        EXPECT_EQ(net.endpoint.handle_datagram(address_of(n), hello, net.now).route, Route::stateless_reply);
        while (net.endpoint.poll_datagram(reply, to)) {
            ++replies;
            reply_bytes += reply.size();
            EXPECT_EQ(to, address_of(n));
        }
    }
    EXPECT_EQ(net.endpoint.size(), 0u);
    EXPECT_FALSE(net.endpoint.next_timeout());
    EXPECT_FALSE(net.endpoint.poll_event());
    EXPECT_EQ(replies, 10000u);
    EXPECT_LE(reply_bytes, 10000 * hello.size());
}

// conformance: RFC8446-4.2.2-3
TEST(Endpoint, DatagramsThatAreNotAClientHelloAreDropped) {
    EndpointNet net = EndpointNet::make();
    const Bytes junk = {23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 1, 0, 2, 1, 2};
    EXPECT_EQ(net.endpoint.handle_datagram(address_of(1), junk, net.now).route, Route::dropped);
    Bytes out, to;
    EXPECT_FALSE(net.endpoint.poll_datagram(out, to));
}

TEST(Endpoint, NewClientsAreRefusedAtMaxConnections) {
    EndpointLimits limits;
    limits.max_connections = 1;
    EndpointNet net = EndpointNet::make(limits);
    net.add_client(address_of(1));
    net.pump();
    ASSERT_EQ(net.endpoint.size(), 1u);
    Connection& second = net.add_client(address_of(2));
    Bytes hello, out, to;
    ASSERT_TRUE(second.poll_datagram(hello));
    EXPECT_EQ(net.endpoint.handle_datagram(address_of(2), hello, net.now).route, Route::refused);
    EXPECT_FALSE(net.endpoint.poll_datagram(out, to)) << "refused without an answer";
    EXPECT_EQ(net.endpoint.size(), 1u);
}

TEST(Endpoint, AnIdleConnectionIsClosedWithACloseNotify) {
    EndpointLimits limits;
    limits.idle_timeout = std::chrono::seconds(30);
    EndpointNet net = EndpointNet::make(limits);
    Connection& client = net.add_client(address_of(3));
    net.pump();
    ASSERT_EQ(client.state(), State::established);
    const ConnectionHandle handle = net.events_of<endpoint_event::Accepted>()[0].connection;
    ASSERT_TRUE(net.endpoint.next_timeout());
    EXPECT_EQ(*net.endpoint.next_timeout(), net.now + std::chrono::seconds(30));

    net.now += std::chrono::seconds(29);
    net.endpoint.handle_timeout(net.now);
    net.pump();
    EXPECT_NE(net.endpoint.connection(handle), nullptr) << "not idle yet";

    net.now += std::chrono::seconds(1);
    net.endpoint.handle_timeout(net.now);
    net.pump();
    EXPECT_EQ(net.endpoint.connection(handle), nullptr);
    const auto removed = net.events_of<endpoint_event::Removed>();
    ASSERT_EQ(removed.size(), 1u);
    EXPECT_EQ(std::get<endpoint_event::Removed>(removed[0].what).reason, Reason::idle_timeout);
    EXPECT_EQ(client.state(), State::closed) << "the client got the close_notify";
}

TEST(Endpoint, AClientThatVanishesFailsByRetransmissionLimitAndIsRemoved) {
    EndpointNet net = EndpointNet::make();
    Connection& client = net.add_client(address_of(4));
    Bytes hello, reply, to;
    ASSERT_TRUE(client.poll_datagram(hello));
    net.endpoint.handle_datagram(address_of(4), hello, net.now);
    ASSERT_TRUE(net.endpoint.poll_datagram(reply, to));
    client.handle_datagram(reply, net.now);
    ASSERT_TRUE(client.poll_datagram(hello));
    ASSERT_EQ(net.endpoint.handle_datagram(address_of(4), hello, net.now).route, Route::accepted);
    while (net.endpoint.poll_datagram(reply, to)) {
    }
    // The client is gone: only the endpoint's timers run from here.
    for (int i = 0; i < 100 && net.endpoint.size() > 0; ++i) {
        auto t = net.endpoint.next_timeout();
        ASSERT_TRUE(t);
        net.now = *t;
        net.endpoint.handle_timeout(net.now);
        while (net.endpoint.poll_datagram(reply, to)) {
        }
    }
    EXPECT_EQ(net.endpoint.size(), 0u);
    std::vector<EndpointEvent> events;
    while (auto e = net.endpoint.poll_event()) events.push_back(std::move(*e));
    ASSERT_FALSE(events.empty());
    auto* removed = std::get_if<endpoint_event::Removed>(&events.back().what);
    ASSERT_NE(removed, nullptr);
    EXPECT_EQ(removed->reason, Reason::failed);
}

TEST(Endpoint, CloseAndCloseAllSendCloseNotify) {
    EndpointNet net = EndpointNet::make();
    for (uint32_t n = 1; n <= 3; ++n) net.add_client(address_of(n));
    net.pump();
    ASSERT_EQ(net.endpoint.size(), 3u);
    const ConnectionHandle first = net.events_of<endpoint_event::Accepted>()[0].connection;
    net.endpoint.close(first, net.now);
    net.pump();
    EXPECT_EQ(net.endpoint.size(), 2u);
    net.endpoint.close_all(net.now);
    net.pump();
    EXPECT_EQ(net.endpoint.size(), 0u);
    for (auto& [address, client] : net.clients) EXPECT_EQ(client.state(), State::closed);
    for (const EndpointEvent& e : net.events_of<endpoint_event::Removed>()) {
        EXPECT_EQ(std::get<endpoint_event::Removed>(e.what).reason, Reason::closed);
    }
}

TEST(Endpoint, UnknownHandlesAreRefused) {
    EndpointNet net = EndpointNet::make();
    const ConnectionHandle nobody{42};
    EXPECT_EQ(net.endpoint.send(nobody, bytes_of("x"), net.now).error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(net.endpoint.set_mtu(nobody, 500).error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(net.endpoint.connection(nobody), nullptr);
    EXPECT_TRUE(net.endpoint.peer_address(nobody).empty());
    net.endpoint.close(nobody, net.now);  // nothing happens
}

TEST(Endpoint, EndpointsFromOneServerAcceptEachOthersCookies) {
    auto server = Server::create(endpoint_server_config(), Instant{} + std::chrono::hours(1));
    ASSERT_TRUE(server.ok());
    Endpoint a(*server), b(*server);
    const Instant now = Instant{} + std::chrono::hours(1);
    auto client = Connection::client(endpoint_client_config(), now);
    ASSERT_TRUE(client.ok());
    const Bytes address = address_of(9);
    Bytes datagram, to;
    ASSERT_TRUE(client->poll_datagram(datagram));
    ASSERT_EQ(a.handle_datagram(address, datagram, now).route, Route::stateless_reply);
    ASSERT_TRUE(a.poll_datagram(datagram, to));
    client->handle_datagram(datagram, now);
    ASSERT_TRUE(client->poll_datagram(datagram));
    EXPECT_EQ(b.handle_datagram(address, datagram, now).route, Route::accepted);
    EXPECT_EQ(b.size(), 1u);
    EXPECT_EQ(a.size(), 0u);
}

}  // namespace
}  // namespace dtls::test
