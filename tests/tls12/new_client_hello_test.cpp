// A ClientHello from a connection's address that is not the connection's own
// (RFC 6347 4.2.8): a client that restarted on the same address and port, or
// a forgery. The connection reports it (event::NewClientHello) and is
// otherwise untouched; the application's front door decides, and only a
// valid cookie lets a new connection replace the old one.
#include <gtest/gtest.h>

#include "tls12/mitm.hpp"

namespace dtls::test {
namespace {

size_t count_new_hellos(const std::vector<Event>& events) {
    size_t n = 0;
    for (const Event& e : events) n += std::holds_alternative<event::NewClientHello>(e);
    return n;
}

std::vector<Event> drain_events(Connection& c) {
    std::vector<Event> out;
    while (auto e = c.poll_event()) out.push_back(std::move(*e));
    return out;
}

bool carries_data(Connection& a, Connection& b, Instant now, const std::string& text) {
    if (!a.send(span_of(text), now)) return false;
    for (const Bytes& d : drain_datagrams(a)) b.handle_datagram(d, now);
    for (const Event& e : drain_events(b)) {
        if (auto* data = std::get_if<event::ApplicationData>(&e)) {
            return std::string(data->data.begin(), data->data.end()) == text;
        }
    }
    return false;
}

// What an application does with a datagram from an address it already has
// a connection for, as tools/dtls/server.cpp does it: the connection first,
// and the front door when the connection reports a new ClientHello.
struct Application {
    Mitm& m;
    std::vector<Event> old_events;
    size_t replies = 0;
    std::optional<Connection> replacement;

    // Returns what goes back to the sender.
    std::vector<Bytes> receive(const Bytes& datagram) {
        Connection& current = replacement ? *replacement : *m.server_conn;
        current.handle_datagram(datagram, m.now);
        std::vector<Event> events = drain_events(current);
        std::vector<Bytes> back = drain_datagrams(current);
        if (!replacement) old_events.insert(old_events.end(), events.begin(), events.end());
        if (count_new_hellos(events) == 0) return back;
        std::vector<uint8_t> reply;
        Server::Answer answer = m.server->handle_datagram(m.client_address, datagram, m.now, reply);
        if (answer.outcome == Server::Outcome::reply) {
            ++replies;
            back.push_back(reply);
        } else if (answer.outcome == Server::Outcome::accepted) {
            replacement.emplace(std::move(*answer.connection));
            for (Bytes& d : drain_datagrams(*replacement)) back.push_back(std::move(d));
        }
        return back;
    }
};

// conformance: RFC6347-4.2.8-1 RFC6347-4.2.8-2
TEST(NewClientHello, RestartedClientIsLetBackInThroughTheFrontDoor) {
    Mitm m;
    ASSERT_TRUE(m.start());
    m.run();
    ASSERT_TRUE(m.established()) << m.describe();
    m.server_events.clear();

    // The client restarts: a new connection from the same address and port.
    auto restarted = Connection::client(m.client_config, m.now);
    ASSERT_TRUE(restarted.ok());
    Application app{m, {}, 0, std::nullopt};
    for (int round = 0; round < 10 && restarted->state() == State::handshaking; ++round) {
        for (const Bytes& d : drain_datagrams(*restarted)) {
            for (const Bytes& answer : app.receive(d)) restarted->handle_datagram(answer, m.now);
        }
        // Until the cookie came back, the old association was kept and answered nothing.
        if (!app.replacement) {
            EXPECT_EQ(m.server_conn->state(), State::established);
        }
    }
    ASSERT_EQ(restarted->state(), State::established);
    ASSERT_TRUE(app.replacement.has_value());
    EXPECT_EQ(app.replies, 1u) << "one HelloVerifyRequest, then the cookie was accepted";
    EXPECT_EQ(count_new_hellos(app.old_events), 2u) << "the hello without and with the cookie";
    EXPECT_EQ(app.old_events.size(), 2u) << "nothing else happened to the old connection";
    EXPECT_EQ(app.replacement->state(), State::established);
    drain_events(*restarted);
    drain_events(*app.replacement);
    EXPECT_TRUE(carries_data(*restarted, *app.replacement, m.now, "back again"));
    EXPECT_TRUE(carries_data(*app.replacement, *restarted, m.now, "welcome back"));
}

TEST(NewClientHello, TheConnectionsOwnHellosAreNotNew) {
    Mitm m;
    ASSERT_TRUE(m.start());
    m.run();
    ASSERT_TRUE(m.established()) << m.describe();
    m.server_events.clear();
    // Late copies of the two hellos this association was made from.
    ASSERT_GE(m.from_client.size(), 2u);
    m.deliver_to_server(m.from_client[0]);
    m.deliver_to_server(m.from_client[1]);
    EXPECT_EQ(count_new_hellos(m.server_events), 0u);
    EXPECT_EQ(m.server_conn->state(), State::established);
    EXPECT_TRUE(carries_data(*m.client, *m.server_conn, m.now, "still here"));
}

// conformance: RFC6347-4.2.8-1
TEST(NewClientHello, AForgedHelloChangesNothingWithoutACookie) {
    Mitm m;
    ASSERT_TRUE(m.start());
    m.run();
    ASSERT_TRUE(m.established()) << m.describe();
    m.server_events.clear();
    // Someone else's first ClientHello, sent from the client's address by an
    // attacker who cannot receive what goes back there.
    auto other = Connection::client(m.client_config, m.now);
    ASSERT_TRUE(other.ok());
    std::vector<Bytes> forged = drain_datagrams(*other);
    ASSERT_EQ(forged.size(), 1u);
    for (int i = 0; i < 3; ++i) {
        m.server_conn->handle_datagram(forged[0], m.now);
        std::vector<Event> events = drain_events(*m.server_conn);
        ASSERT_EQ(events.size(), 1u);
        EXPECT_TRUE(std::holds_alternative<event::NewClientHello>(events[0]));
        EXPECT_TRUE(drain_datagrams(*m.server_conn).empty()) << "the connection answered a forged hello";
        std::vector<uint8_t> reply;
        EXPECT_EQ(m.server->handle_datagram(m.client_address, forged[0], m.now, reply).outcome,
                  Server::Outcome::reply)
            << "without the cookie the front door only answers";
    }
    EXPECT_EQ(m.server_conn->state(), State::established);
    EXPECT_TRUE(carries_data(*m.client, *m.server_conn, m.now, "unharmed"));
    EXPECT_TRUE(carries_data(*m.server_conn, *m.client, m.now, "unharmed too"));
}

TEST(NewClientHello, AnotherHelloDuringTheHandshakeDoesNotStopIt) {
    Mitm m;
    m.server_config.cookies = false;
    ASSERT_TRUE(m.until_server_accepted());
    auto other = Connection::client(m.client_config, m.now);
    ASSERT_TRUE(other.ok());
    std::vector<Bytes> hello = drain_datagrams(*other);
    ASSERT_EQ(hello.size(), 1u);
    const size_t sent_before = drain_datagrams(*m.server_conn).size();
    EXPECT_GT(sent_before, 0u) << "the server's first flight";
    m.server_conn->handle_datagram(hello[0], m.now);
    std::vector<Event> events = drain_events(*m.server_conn);
    ASSERT_EQ(events.size(), 1u);
    EXPECT_TRUE(std::holds_alternative<event::NewClientHello>(events[0]));
    EXPECT_TRUE(drain_datagrams(*m.server_conn).empty()) << "a new hello is not a retransmission to answer";
    EXPECT_EQ(m.server_conn->state(), State::handshaking);
    // The genuine client's flights, resent on its timer, still complete it.
    m.run();
    EXPECT_TRUE(m.established()) << m.describe();
}

}  // namespace
}  // namespace dtls::test
