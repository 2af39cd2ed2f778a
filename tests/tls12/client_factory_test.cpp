// dtls::Client: many connections from one checked configuration whose trust
// anchors are loaded once. Each connection must still be a complete,
// independent association, and a broken configuration must fail at create().
#include <gtest/gtest.h>

#include <memory>

#include "support/certs.hpp"
#include "tls12/pair.hpp"

namespace dtls::test {
namespace {

Config client_config() {
    Config c;
    c.ca_pem = shared_ca().cert_pem();
    c.server_name = "server.test";
    return c;
}

// A pair whose server holds `server_cert` and whose client connection comes
// from `client`, both started (the ClientHello is waiting to be pumped).
Pair started_pair(const Client& client, const Issued& server_cert = shared_server_cert()) {
    Pair p;
    p.server_config.credential = std::make_shared<Credential>(credential_of(server_cert));
    auto server = Server::create(p.server_config, p.now);
    EXPECT_TRUE(server.ok()) << server.error().to_string();
    if (server) p.server.emplace(std::move(*server));
    auto connection = client.connect(p.now);
    EXPECT_TRUE(connection.ok()) << connection.error().to_string();
    if (connection) p.client.emplace(std::move(*connection));
    return p;
}

// Hands a datagram the test polled from the client to the pair's server
// front door, as pump() would have.
void deliver(Pair& p, const std::vector<uint8_t>& datagram) {
    std::vector<uint8_t> reply;
    Server::Answer answer = p.server->handle_datagram(p.client_address, datagram, p.now, reply);
    if (answer.outcome == Server::Outcome::reply) p.client->handle_datagram(reply, p.now);
    if (answer.outcome == Server::Outcome::accepted) p.server_conn.emplace(std::move(*answer.connection));
}

bool established(const Pair& p) {
    return p.client && p.client->state() == State::established && p.server_conn &&
           p.server_conn->state() == State::established;
}

TEST(ClientFactory, EveryConnectionFromOneClientCompletesAHandshake) {
    auto client = Client::create(client_config());
    ASSERT_TRUE(client.ok()) << client.error().to_string();
    for (int i = 0; i < 3; ++i) {
        SCOPED_TRACE(i);
        Pair p = started_pair(*client);
        ASSERT_TRUE(p.client && p.server);
        p.pump();
        ASSERT_TRUE(established(p)) << p.describe();
        EXPECT_EQ(p.client->negotiated().server_name, "server.test");
        ASSERT_TRUE(p.client->send(bytes_of("ping"), p.now));
        p.pump();
        EXPECT_EQ(Pair::data_of(p.server_events), std::vector<std::string>{"ping"});
    }
}

TEST(ClientFactory, ConnectionsAreIndependentAssociations) {
    auto client = Client::create(client_config());
    ASSERT_TRUE(client.ok()) << client.error().to_string();
    Pair a = started_pair(*client);
    Pair b = started_pair(*client);
    ASSERT_TRUE(a.client && b.client);

    // Each ClientHello carries its own random (the only field that differs).
    std::vector<uint8_t> hello_a, hello_b;
    ASSERT_TRUE(a.client->poll_datagram(hello_a));
    ASSERT_TRUE(b.client->poll_datagram(hello_b));
    EXPECT_NE(hello_a, hello_b);
    deliver(a, hello_a);
    deliver(b, hello_b);
    a.pump();
    b.pump();
    ASSERT_TRUE(established(a)) << a.describe();
    ASSERT_TRUE(established(b)) << b.describe();

    // Separate key schedules: the exporters of the two associations differ.
    auto key_a = a.client->export_keying_material("EXPORTER-test", {}, false, 32);
    auto key_b = b.client->export_keying_material("EXPORTER-test", {}, false, 32);
    ASSERT_TRUE(key_a && key_b);
    EXPECT_NE(*key_a, *key_b);
}

TEST(ClientFactory, OneConnectionFailingLeavesTheOthersWorking) {
    auto client = Client::create(client_config());
    ASSERT_TRUE(client.ok()) << client.error().to_string();
    IssueOptions wrong_name;
    wrong_name.dns_names = {"other.test"};
    const Issued impostor = shared_ca().issue(KeyKind::ecdsa_p256, "other.test", wrong_name);

    // Both connections are open at once; the one reaching the wrong server
    // fails its name check, the other completes afterwards.
    Pair bad = started_pair(*client, impostor);
    Pair good = started_pair(*client);
    bad.pump();
    ASSERT_EQ(bad.client->state(), State::failed);
    ASSERT_TRUE(bad.client->error());
    EXPECT_EQ(bad.client->error()->alert, Alert::bad_certificate);
    EXPECT_NE(bad.client->error()->reason.find("hostname mismatch"), std::string::npos)
        << bad.client->error()->reason;

    good.pump();
    EXPECT_TRUE(established(good)) << good.describe();
    Pair later = started_pair(*client);
    later.pump();
    EXPECT_TRUE(established(later)) << later.describe();
}

TEST(ClientFactory, KeepsItsOwnCopyOfTheConfig) {
    auto config = std::make_unique<Config>(client_config());
    auto client = Client::create(*config);
    ASSERT_TRUE(client.ok()) << client.error().to_string();
    // Changes to the caller's Config, and its destruction, do not reach the
    // Client: it still names and trusts what it was created with.
    config->server_name = "elsewhere.test";
    config->ca_pem.clear();
    config.reset();

    EXPECT_EQ(client->config().server_name, "server.test");
    Pair p = started_pair(*client);
    p.pump();
    EXPECT_TRUE(established(p)) << p.describe();
}

TEST(ClientFactory, ABadConfigFailsAtCreate) {
    Config missing_ca = client_config();
    missing_ca.ca_pem.clear();
    missing_ca.ca_file = "/nonexistent/dtls/client-roots.pem";
    auto a = Client::create(missing_ca);
    ASSERT_FALSE(a.ok());
    EXPECT_EQ(a.error().code, ErrorCode::credential);
    EXPECT_NE(a.error().reason.find(missing_ca.ca_file), std::string::npos) << a.error().reason;

    Config unreadable_pem = client_config();
    unreadable_pem.ca_pem = "not a certificate";
    auto b = Client::create(unreadable_pem);
    ASSERT_FALSE(b.ok());
    EXPECT_EQ(b.error().code, ErrorCode::credential);

    Config no_anchors;
    no_anchors.server_name = "server.test";  // verify_peer is on by default
    auto c = Client::create(no_anchors);
    ASSERT_FALSE(c.ok());
    EXPECT_EQ(c.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(c.error().reason.find("verify_peer"), std::string::npos) << c.error().reason;

    // Connection::client goes through the same checks.
    EXPECT_FALSE(Connection::client(missing_ca, Instant{}).ok());
}

}  // namespace
}  // namespace dtls::test
