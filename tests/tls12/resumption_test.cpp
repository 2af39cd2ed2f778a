// DTLS 1.2 session resumption, our client against our server: session IDs
// and tickets (RFC 5246 7.3, RFC 5077), what falls back to a full handshake
// (an expired or foreign ticket, an unknown ID), the last flight of an
// abbreviated handshake lost and sent again, and the server's rules on
// suites and the extended master secret (RFC 7627 5.3).
#include <gtest/gtest.h>

#include <atomic>
#include <deque>
#include <iostream>
#include <thread>

#include "resumption/session_data.hpp"
#include "support/certs.hpp"
#include "tls12/pair.hpp"
#include "tls12/resumption.hpp"

namespace dtls::test {
namespace {

const TestCa& ca() {
    static TestCa c = TestCa::create(KeyKind::ecdsa_p256);
    return c;
}

Config server_config() {
    IssueOptions names;
    names.dns_names = {"server.test"};
    Config config = dtls12_config();
    config.credential = std::make_shared<Credential>(credential_of(ca().issue(KeyKind::ecdsa_p256, "server.test", names)));
    return config;
}

Config client_config(std::shared_ptr<SessionCache> cache) {
    Config config = dtls12_config();
    config.ca_pem = ca().cert_pem();
    config.server_name = "server.test";
    config.session_cache = std::move(cache);
    return config;
}

// One connection of `client` to a server that may have served others.
struct Attempt {
    Pair pair;
    bool established = false;
};

Attempt connect(const Server& server, const Config& client, Instant now) {
    Attempt run;
    run.pair.client_config = client;
    run.pair.now = now;
    run.pair.server.emplace(server);
    auto c = Connection::client(client, now);
    if (!c) {
        ADD_FAILURE() << "client: " << c.error().to_string();
        return run;
    }
    run.pair.client.emplace(std::move(*c));
    run.pair.pump();
    run.established = run.pair.client->state() == State::established && run.pair.server_conn &&
                      run.pair.server_conn->state() == State::established;
    return run;
}

// An alert, fatal or not, would leave an error on one side.
bool any_alert(const Attempt& run) { return run.pair.client->error() || run.pair.server_conn->error(); }

Server make_server(const Config& config, Instant now) {
    auto server = Server::create(config, now);
    EXPECT_TRUE(server) << server.error().to_string();
    return std::move(*server);
}

const Instant kStart = Instant{} + std::chrono::hours(1);

struct Kind {
    const char* name;
    size_t id_capacity;
    unsigned tickets;
};

class Resumes : public ::testing::TestWithParam<Kind> {};

// The second and third connections resume the first's session: both sides
// say so, no certificate is sent, the client still reports the server's
// chain, and the keys agree.
TEST_P(Resumes, AbbreviatedHandshakeAfterAFullOne) {
    Config sc = server_config();
    sc.session_cache_capacity = GetParam().id_capacity;
    sc.session_tickets = GetParam().tickets;
    Server server = make_server(sc, kStart);
    auto cache = SessionCache::in_memory();
    const Config cc = client_config(cache);

    Attempt first = connect(server, cc, kStart);
    ASSERT_TRUE(first.established) << first.pair.describe();
    EXPECT_FALSE(first.pair.client->negotiated().resumed);
    EXPECT_FALSE(first.pair.server_conn->negotiated().resumed);

    for (int i = 0; i < 2; ++i) {
        Attempt again = connect(server, cc, kStart + std::chrono::minutes(1 + i));
        ASSERT_TRUE(again.established) << again.pair.describe();
        const Negotiated& c = again.pair.client->negotiated();
        const Negotiated& s = again.pair.server_conn->negotiated();
        EXPECT_TRUE(c.resumed) << "connection " << i + 2;
        EXPECT_TRUE(s.resumed) << "connection " << i + 2;
        EXPECT_EQ(c.cipher_suite, first.pair.client->negotiated().cipher_suite);
        EXPECT_TRUE(c.extended_master_secret);
        EXPECT_EQ(c.peer_chain, first.pair.client->negotiated().peer_chain);
        EXPECT_FALSE(c.peer_chain.empty());
        // No certificate, so far fewer bytes than the full handshake.
        EXPECT_LT(again.pair.bytes_to_client, first.pair.bytes_to_client / 2);
        auto ours = again.pair.client->export_keying_material("EXPORTER-test", {}, false, 32);
        auto theirs = again.pair.server_conn->export_keying_material("EXPORTER-test", {}, false, 32);
        ASSERT_TRUE(ours && theirs);
        EXPECT_EQ(*ours, *theirs);
        auto before = first.pair.client->export_keying_material("EXPORTER-test", {}, false, 32);
        EXPECT_NE(*ours, *before) << "a resumed connection has keys of its own (fresh randoms)";
        expect_data_both_ways(again.pair, std::to_string(i));
    }
}

INSTANTIATE_TEST_SUITE_P(Dtls12, Resumes,
                         ::testing::Values(Kind{"session_ids", 16, 0}, Kind{"tickets", 0, 1},
                                           Kind{"ids_and_tickets", 16, 1}),
                         [](const auto& info) { return std::string(info.param.name); });

// The size of an abbreviated handshake at MTU 1200, with the cookie
// exchange (the default): ClientHello, HelloVerifyRequest, ClientHello;
// ServerHello..Finished in one datagram; ChangeCipherSpec, Finished in one.
// The figures are printed for the record; the datagram counts are asserted.
TEST(Dtls12Resumption, AbbreviatedHandshakeSizeAtMtu1200) {
    for (const Kind& kind : {Kind{"session ID", 16, 0}, Kind{"ticket, renewed", 0, 1}}) {
        Config sc = server_config();
        sc.mtu = 1200;
        sc.session_cache_capacity = kind.id_capacity;
        sc.session_tickets = kind.tickets;
        Server server = make_server(sc, kStart);
        Config cc = client_config(SessionCache::in_memory());
        cc.mtu = 1200;
        Attempt full = connect(server, cc, kStart);
        ASSERT_TRUE(full.established);
        Attempt resumed = connect(server, cc, kStart + std::chrono::seconds(1));
        ASSERT_TRUE(resumed.established);
        ASSERT_TRUE(resumed.pair.client->negotiated().resumed);
        const Pair& f = full.pair;
        const Pair& r = resumed.pair;
        std::cout << "[ measured ] DTLS 1.2 by " << kind.name << ", MTU 1200, cookies: full handshake "
                  << f.datagrams_to_server << " datagrams / " << f.bytes_to_server << " bytes to the server, "
                  << f.datagrams_to_client << " / " << f.bytes_to_client << " to the client; abbreviated "
                  << r.datagrams_to_server << " / " << r.bytes_to_server << " to the server, " << r.datagrams_to_client
                  << " / " << r.bytes_to_client << " to the client\n";
        EXPECT_EQ(r.datagrams_to_server, 3u) << kind.name;
        EXPECT_EQ(r.datagrams_to_client, 2u) << kind.name;
        // No certificate and no key exchange from the server; the client's
        // hellos carry the session ID or the ticket instead of being smaller.
        EXPECT_LT(r.bytes_to_client, f.bytes_to_client / 2) << kind.name;
    }
}

// A cache the application owns may keep what the in-memory one would drop:
// this one never forgets, so the server's own limits are what is tested.
class KeepEverything final : public SessionCache {
public:
    void store(Session session) override { sessions.push_back(std::move(session)); }
    std::optional<Session> take(std::string_view, Instant) override {
        if (sessions.empty()) return std::nullopt;
        Session s = sessions.back();
        sessions.pop_back();
        return s;
    }
    std::deque<Session> sessions;
};

TEST(Dtls12Resumption, ClientKeepsTheSessionWithItsVersionIdAndTicket) {
    Config sc = server_config();
    sc.session_cache_capacity = 4;
    sc.session_tickets = 1;
    sc.session_ticket_lifetime = std::chrono::minutes(10);
    Server server = make_server(sc, kStart);
    auto cache = std::make_shared<KeepEverything>();
    ASSERT_TRUE(connect(server, client_config(cache), kStart).established);
    ASSERT_EQ(cache->sessions.size(), 1u);
    const Session& session = cache->sessions.front();
    EXPECT_EQ(session.version(), ProtocolVersion::dtls1_2);
    EXPECT_EQ(session.server_name(), "server.test");
    EXPECT_EQ(session.data().session_id.size(), 32u);
    EXPECT_FALSE(session.data().ticket.empty());
    EXPECT_EQ(session.expires(), kStart + std::chrono::minutes(10)) << "the ticket's lifetime hint";
}

// A resumption without a new ticket puts the same session back, expiry and
// all; with a new ticket the session carries it and its lifetime.
TEST(Dtls12Resumption, ResumedSessionGoesBackToTheCache) {
    for (unsigned tickets : {0u, 1u}) {
        Config sc = server_config();
        sc.session_cache_capacity = 4;
        sc.session_tickets = tickets;
        sc.session_ticket_lifetime = std::chrono::hours(3);
        Server server = make_server(sc, kStart);
        auto cache = std::make_shared<KeepEverything>();
        ASSERT_TRUE(connect(server, client_config(cache), kStart).established);
        ASSERT_EQ(cache->sessions.size(), 1u);
        const Bytes first_ticket = cache->sessions.front().data().ticket;
        const Instant later = kStart + std::chrono::minutes(30);
        Attempt again = connect(server, client_config(cache), later);
        ASSERT_TRUE(again.established);
        EXPECT_TRUE(again.pair.client->negotiated().resumed);
        ASSERT_EQ(cache->sessions.size(), 1u);
        const Session& kept = cache->sessions.front();
        if (tickets == 0) {
            EXPECT_EQ(kept.expires(), kStart + tls12::kDefaultClientSessionLifetime);
            EXPECT_TRUE(kept.data().ticket.empty());
        } else {
            EXPECT_EQ(kept.expires(), later + std::chrono::hours(3));
            EXPECT_FALSE(kept.data().ticket.empty());
            EXPECT_NE(kept.data().ticket, first_ticket) << "the renewed ticket";
        }
    }
}

// A session kept as bytes (an application's cache across restarts) resumes
// like the original, with the same expiry, server chain and secret.
TEST(Dtls12Resumption, SerializedSessionResumes) {
    Config sc = server_config();
    sc.session_cache_capacity = 4;
    sc.session_tickets = 1;
    Server server = make_server(sc, kStart);
    auto before = SessionCache::in_memory();
    ASSERT_TRUE(connect(server, client_config(before), kStart).established);
    const Instant saved_at = kStart + std::chrono::minutes(1);
    std::optional<Session> original = before->take("server.test", saved_at);
    ASSERT_TRUE(original);
    const Bytes bytes = original->serialize(saved_at);
    ASSERT_FALSE(bytes.empty());

    auto restored = Session::deserialize(bytes, saved_at);
    ASSERT_TRUE(restored) << restored.error().to_string();
    EXPECT_EQ(restored->version(), ProtocolVersion::dtls1_2);
    EXPECT_EQ(restored->server_name(), "server.test");
    EXPECT_EQ(restored->cipher_suite(), original->cipher_suite());
    EXPECT_EQ(restored->expires(), original->expires());
    EXPECT_EQ(restored->data().ticket, original->data().ticket);
    EXPECT_EQ(restored->data().session_id, original->data().session_id);
    EXPECT_EQ(restored->data().peer_chain, original->data().peer_chain);
    EXPECT_TRUE(restored->data().extended_master_secret);
    EXPECT_EQ(restored->serialize(saved_at), bytes);

    auto after = SessionCache::in_memory();
    after->store(std::move(*restored));
    Attempt again = connect(server, client_config(after), saved_at);
    ASSERT_TRUE(again.established) << again.pair.describe();
    EXPECT_TRUE(again.pair.client->negotiated().resumed);
    EXPECT_TRUE(again.pair.server_conn->negotiated().resumed);
}

TEST(Dtls12Resumption, DeserializeRefusesWhatIsNotASession) {
    Config sc = server_config();
    sc.session_tickets = 1;
    Server server = make_server(sc, kStart);
    auto cache = SessionCache::in_memory();
    ASSERT_TRUE(connect(server, client_config(cache), kStart).established);
    std::optional<Session> session = cache->take("server.test", kStart);
    ASSERT_TRUE(session);
    const Bytes bytes = session->serialize(kStart);
    for (size_t n = 0; n < bytes.size(); ++n) {
        auto cut = Session::deserialize(std::span(bytes).first(n), kStart);
        ASSERT_FALSE(cut) << "a prefix of " << n << " bytes";
        EXPECT_EQ(cut.error().code, ErrorCode::invalid_argument);
    }
    Bytes trailing = bytes;
    trailing.push_back(0);
    EXPECT_FALSE(Session::deserialize(trailing, kStart));
    Bytes other_format = bytes;
    other_format[0] ^= 0xFF;
    EXPECT_FALSE(Session::deserialize(other_format, kStart));
    Bytes other_version = bytes;
    other_version[1] = 0x03;  // TLS, not DTLS
    EXPECT_FALSE(Session::deserialize(other_version, kStart));
}

TEST(Dtls12Resumption, ExpiredTicketGivesAFullHandshakeWithoutAlert) {
    Config sc = server_config();
    sc.session_tickets = 1;
    sc.session_ticket_lifetime = std::chrono::seconds(60);
    Server server = make_server(sc, kStart);
    auto cache = std::make_shared<KeepEverything>();
    ASSERT_TRUE(connect(server, client_config(cache), kStart).established);
    Attempt late = connect(server, client_config(cache), kStart + std::chrono::seconds(61));
    ASSERT_TRUE(late.established) << late.pair.describe();
    EXPECT_FALSE(late.pair.client->negotiated().resumed);
    EXPECT_FALSE(late.pair.server_conn->negotiated().resumed);
    EXPECT_FALSE(any_alert(late));
}

TEST(Dtls12Resumption, ExpiredSessionIdGivesAFullHandshake) {
    Config sc = server_config();
    sc.session_cache_capacity = 4;
    sc.session_ticket_lifetime = std::chrono::seconds(60);
    Server server = make_server(sc, kStart);
    auto cache = std::make_shared<KeepEverything>();
    ASSERT_TRUE(connect(server, client_config(cache), kStart).established);
    Attempt late = connect(server, client_config(cache), kStart + std::chrono::seconds(61));
    ASSERT_TRUE(late.established) << late.pair.describe();
    EXPECT_FALSE(late.pair.server_conn->negotiated().resumed);
    EXPECT_FALSE(any_alert(late));
}

// Another server's ticket (sealed with keys this one never had) does not
// open: a full handshake, no alert. The same for a session ID it never gave.
TEST(Dtls12Resumption, ForeignTicketOrIdGivesAFullHandshakeWithoutAlert) {
    Config sc = server_config();
    sc.session_cache_capacity = 4;
    sc.session_tickets = 1;
    Server issuer = make_server(sc, kStart);
    Server other = make_server(sc, kStart);
    auto cache = SessionCache::in_memory();
    ASSERT_TRUE(connect(issuer, client_config(cache), kStart).established);
    Attempt run = connect(other, client_config(cache), kStart + std::chrono::seconds(1));
    ASSERT_TRUE(run.established) << run.pair.describe();
    EXPECT_FALSE(run.pair.client->negotiated().resumed);
    EXPECT_FALSE(run.pair.server_conn->negotiated().resumed);
    EXPECT_FALSE(any_alert(run));
    // The full handshake gave a session of `other` that resumes there.
    Attempt again = connect(other, client_config(cache), kStart + std::chrono::seconds(2));
    ASSERT_TRUE(again.established);
    EXPECT_TRUE(again.pair.server_conn->negotiated().resumed);
}

TEST(Dtls12Resumption, IdCacheEvictsTheOldestSession) {
    Config sc = server_config();
    sc.session_cache_capacity = 1;
    Server server = make_server(sc, kStart);
    auto first_cache = SessionCache::in_memory();
    auto second_cache = SessionCache::in_memory();
    ASSERT_TRUE(connect(server, client_config(first_cache), kStart).established);
    ASSERT_TRUE(connect(server, client_config(second_cache), kStart + std::chrono::seconds(1)).established);
    // The second session is kept (a resumption stores nothing new)...
    Attempt kept = connect(server, client_config(second_cache), kStart + std::chrono::seconds(2));
    ASSERT_TRUE(kept.established);
    EXPECT_TRUE(kept.pair.server_conn->negotiated().resumed);
    // ...and the first was evicted to make room for it.
    Attempt evicted = connect(server, client_config(first_cache), kStart + std::chrono::seconds(3));
    ASSERT_TRUE(evicted.established);
    EXPECT_FALSE(evicted.pair.server_conn->negotiated().resumed);
}

TEST(Dtls12Resumption, ServerWithoutResumptionIgnoresTheOffer) {
    Config sc = server_config();
    sc.session_tickets = 1;
    Server issuer = make_server(sc, kStart);
    Server plain = make_server(server_config(), kStart);
    auto cache = SessionCache::in_memory();
    ASSERT_TRUE(connect(issuer, client_config(cache), kStart).established);
    Attempt run = connect(plain, client_config(cache), kStart + std::chrono::seconds(1));
    ASSERT_TRUE(run.established) << run.pair.describe();
    EXPECT_FALSE(run.pair.client->negotiated().resumed);
}

// A client that offers DTLS 1.3 as well resumes DTLS 1.3 sessions only; the
// DTLS 1.2 session stays in the cache for a DTLS 1.2 client.
TEST(Dtls12Resumption, Dtls13ClientLeavesTheDtls12SessionInTheCache) {
    Config sc = server_config();
    sc.session_tickets = 1;
    Server server = make_server(sc, kStart);
    auto cache = SessionCache::in_memory();
    ASSERT_TRUE(connect(server, client_config(cache), kStart).established);
    Config both = client_config(cache);
    both.max_version = ProtocolVersion::dtls1_3;
    Attempt run = connect(server, both, kStart + std::chrono::seconds(1));
    ASSERT_TRUE(run.established) << run.pair.describe();
    EXPECT_FALSE(run.pair.client->negotiated().resumed);
    std::optional<Session> left = cache->take("server.test", kStart + std::chrono::seconds(2));
    ASSERT_TRUE(left);
    EXPECT_EQ(left->version(), ProtocolVersion::dtls1_2);
}

// In the abbreviated handshake the client's CCS+Finished is the last
// flight: lost, the server's timer sends its flight again, and the client,
// already established, answers with its last flight again (RFC 6347 4.2.4).
TEST(Dtls12Resumption, LostFinalFlightIsSentAgain) {
    Config sc = server_config();
    sc.session_cache_capacity = 4;
    Server server = make_server(sc, kStart);
    auto cache = SessionCache::in_memory();
    ASSERT_TRUE(connect(server, client_config(cache), kStart).established);

    Pair p;
    p.now = kStart + std::chrono::seconds(1);
    p.server.emplace(server);
    auto c = Connection::client(client_config(cache), p.now);
    ASSERT_TRUE(c);
    p.client.emplace(std::move(*c));
    std::vector<uint8_t> d, reply;
    int dropped = 0;
    for (int round = 0; round < 50; ++round) {
        bool moved = false;
        while (p.client->poll_datagram(d)) {
            moved = true;
            if (p.client->state() == State::established && dropped == 0) {
                ++dropped;  // the final flight, lost once
                continue;
            }
            if (p.server_conn) {
                p.server_conn->handle_datagram(d, p.now);
            } else {
                auto answer = p.server->handle_datagram(p.client_address, d, p.now, reply);
                if (answer.outcome == Server::Outcome::reply) p.client->handle_datagram(reply, p.now);
                if (answer.outcome == Server::Outcome::accepted) p.server_conn.emplace(std::move(*answer.connection));
            }
        }
        while (p.server_conn && p.server_conn->poll_datagram(d)) {
            moved = true;
            p.client->handle_datagram(d, p.now);
        }
        if (moved) continue;
        if (!p.server_conn || p.server_conn->state() == State::established) break;
        std::optional<Instant> due = p.server_conn->next_timeout();
        ASSERT_TRUE(due);
        p.now = *due;
        p.server_conn->handle_timeout(p.now);
    }
    ASSERT_EQ(dropped, 1);
    ASSERT_EQ(p.client->state(), State::established);
    ASSERT_EQ(p.server_conn->state(), State::established) << p.describe();
    EXPECT_TRUE(p.server_conn->negotiated().resumed);
    EXPECT_EQ(p.server_conn->stats().retransmissions, 1u);
    EXPECT_EQ(p.client->stats().retransmissions, 1u);
    p.drain_events();
    expect_data_both_ways(p);
}

// One Server is shared by connections on several threads (as Endpoints
// share it): its session-ID cache and ticket keys take concurrent full and
// abbreviated handshakes.
TEST(Dtls12Resumption, ServerSharedByThreads) {
    Config sc = server_config();
    sc.session_cache_capacity = 8;  // smaller than the sessions made: eviction under contention too
    sc.session_tickets = 1;
    const Server server = make_server(sc, kStart);
    constexpr int kThreads = 4, kConnections = 6;
    std::atomic<int> established{0}, resumed{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            auto cache = SessionCache::in_memory();
            for (int i = 0; i < kConnections; ++i) {
                Attempt a = connect(server, client_config(cache), kStart + std::chrono::seconds(t * 100 + i));
                established += a.established;
                resumed += a.established && a.pair.server_conn->negotiated().resumed;
            }
        });
    }
    for (std::thread& thread : threads) thread.join();
    EXPECT_EQ(established.load(), kThreads * kConnections);
    // Each client's first connection is full; its later ones resume by ticket.
    EXPECT_EQ(resumed.load(), kThreads * (kConnections - 1));
}

TEST(Dtls12Resumption, SessionIdsWithClientAuthAreRefused) {
    Config sc = server_config();
    sc.session_cache_capacity = 4;
    sc.client_auth = ClientAuth::require;
    sc.ca_pem = ca().cert_pem();
    auto server = Server::create(sc, kStart);
    ASSERT_FALSE(server);
    EXPECT_EQ(server.error().code, ErrorCode::invalid_argument);
}

// --- The server's choice, on hand-made hellos (tls12/resumption.hpp) --------

struct ServerRules : ::testing::Test {
    Config config = server_config();
    tls12::ServerSessions sessions{nullptr, std::make_shared<resumption::SessionIdCache>(4, std::chrono::hours(1))};
    const Bytes id = Bytes(32, 7);
    const uint16_t suite = static_cast<uint16_t>(CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256);

    void keep(bool extended_master_secret) {
        sessions.ids->store(id, resumption::CachedSession{suite, crypto::SecretBytes(Bytes(48, 1)),
                                                          extended_master_secret, "server.test", kStart, ""});
    }
    messages::ClientHello hello(bool extended_master_secret) const {
        messages::ClientHello ch;
        ch.session_id = id;
        ch.cipher_suites = {suite};
        ch.extensions.server_name = "server.test";
        ch.extensions.extended_master_secret = extended_master_secret;
        return ch;
    }
    Result<std::optional<resumption::CachedSession>> choose(const messages::ClientHello& ch) {
        return tls12::session_to_resume(sessions, config, ch, kStart + std::chrono::seconds(1));
    }
};

TEST_F(ServerRules, ResumesAMatchingHello) {
    keep(true);
    auto chosen = choose(hello(true));
    ASSERT_TRUE(chosen);
    ASSERT_TRUE(*chosen);
    EXPECT_EQ((*chosen)->cipher_suite, suite);
}

TEST_F(ServerRules, SuiteNotOfferedGivesAFullHandshake) {
    keep(true);
    messages::ClientHello ch = hello(true);
    ch.cipher_suites = {static_cast<uint16_t>(CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384)};
    auto chosen = choose(ch);
    ASSERT_TRUE(chosen);
    EXPECT_FALSE(*chosen);
}

TEST_F(ServerRules, SuiteNoLongerConfiguredGivesAFullHandshake) {
    keep(true);
    config.cipher_suites = {CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384};
    auto chosen = choose(hello(true));
    ASSERT_TRUE(chosen);
    EXPECT_FALSE(*chosen);
}

TEST_F(ServerRules, OtherServerNameGivesAFullHandshake) {
    keep(true);
    messages::ClientHello ch = hello(true);
    ch.extensions.server_name = "other.test";
    auto chosen = choose(ch);
    ASSERT_TRUE(chosen);
    EXPECT_FALSE(*chosen);
}

// RFC 7627 5.3: a session with the extended master secret resumed by a
// hello without it aborts the handshake...
// conformance: RFC7627-5.3-6
TEST_F(ServerRules, HelloWithoutExtendedMasterSecretForASessionWithItIsRefused) {
    keep(true);
    auto chosen = choose(hello(false));
    ASSERT_FALSE(chosen);
    EXPECT_EQ(chosen.error().fault, Fault::extended_master_secret_missing);
}

// ...a session without it asked for by a hello with it gets a full handshake...
// conformance: RFC7627-5.3-4 RFC7627-5.3-5
TEST_F(ServerRules, SessionWithoutExtendedMasterSecretIsNotResumedByAHelloWithIt) {
    keep(false);
    auto chosen = choose(hello(true));
    ASSERT_TRUE(chosen);
    EXPECT_FALSE(*chosen);
}

// ...and without it on either side, only a server that does not require it
// resumes.
TEST_F(ServerRules, NeitherWithExtendedMasterSecretResumesOnlyWhenNotRequired) {
    keep(false);
    config.require_extended_master_secret = false;
    auto allowed = choose(hello(false));
    ASSERT_TRUE(allowed);
    EXPECT_TRUE(*allowed);
    config.require_extended_master_secret = true;
    auto refused = choose(hello(false));
    ASSERT_TRUE(refused);
    EXPECT_FALSE(*refused);
}

}  // namespace
}  // namespace dtls::test
