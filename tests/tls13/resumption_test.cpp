// DTLS 1.3 session resumption between our client and our server (RFC 8446
// 2.2, psk_dhe_ke): tickets sent after the handshake and kept in the client's
// cache, a second connection resumed without certificates, and every reason
// a ticket must not resume (another server, expired, another hash, a wrong
// binder). The wolfSSL interop test (tests/interop/) shows the same against
// another implementation.
#include <gtest/gtest.h>

#include <algorithm>

#include "dtls/session.hpp"
#include "resumption/session_data.hpp"
#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

// A cache that hands out whatever it holds, expired or not and for any
// name, so that the server's own checks are what a test sees.
class KeepEverythingCache final : public SessionCache {
public:
    void store(Session session) override { sessions.push_back(std::move(session)); }
    std::optional<Session> take(std::string_view, Instant) override {
        if (sessions.empty()) return std::nullopt;
        Session s = sessions.back();
        sessions.pop_back();
        return s;
    }
    std::vector<Session> sessions;
};

Pair resumption_pair(bool cookies = true) {
    Pair p = make_dtls13_pair();
    enable_dtls13(p.client_config, false);
    p.server_config.session_tickets = 1;
    p.server_config.cookies = cookies;
    p.client_config.session_cache = SessionCache::in_memory();
    return p;
}

// A second client connection to the same server (its ticket keys and
// cookie secret), `changes` applied to the client's configuration.
Pair reconnect(const Pair& first, const std::function<void(Config&)>& changes = {}) {
    Pair p;
    p.client_config = first.client_config;
    p.server_config = first.server_config;
    if (changes) changes(p.client_config);
    p.now = first.now;
    p.client_address = {127, 0, 0, 1, 0x30, 0x3a};
    p.server.emplace(*first.server);
    auto c = Connection::client(p.client_config, p.now);
    EXPECT_TRUE(c) << c.error().to_string();
    if (c) p.client.emplace(std::move(*c));
    return p;
}

bool established(const Pair& p) {
    return p.client && p.client->state() == State::established && p.server_conn &&
           p.server_conn->state() == State::established;
}

class ResumptionRoundTrip : public ::testing::TestWithParam<bool> {};

TEST_P(ResumptionRoundTrip, ATicketFromTheFirstHandshakeResumesTheSecondWithoutCertificates) {
    Pair first = resumption_pair(GetParam());
    ASSERT_TRUE(first.handshake()) << first.describe();
    EXPECT_FALSE(first.client->negotiated().resumed);
    EXPECT_FALSE(first.server_conn->negotiated().resumed);
    expect_data_both_ways(first);

    Pair second = reconnect(first);
    second.pump();
    ASSERT_TRUE(established(second)) << second.describe();
    EXPECT_TRUE(second.client->negotiated().resumed);
    EXPECT_TRUE(second.server_conn->negotiated().resumed);
    EXPECT_EQ(second.client->negotiated().cipher_suite, first.client->negotiated().cipher_suite);
    // The resumed client still reports whom it talks to.
    EXPECT_EQ(second.client->negotiated().peer_chain, first.client->negotiated().peer_chain);
    expect_data_both_ways(second, " again");
    auto ours = second.client->export_keying_material("EXPORTER-test", {}, false, 32);
    auto theirs = second.server_conn->export_keying_material("EXPORTER-test", {}, false, 32);
    ASSERT_TRUE(ours && theirs);
    EXPECT_EQ(*ours, *theirs);
    auto before = first.client->export_keying_material("EXPORTER-test", {}, false, 32);
    EXPECT_NE(*ours, *before) << "a resumed session has keys of its own (psk_dhe_ke)";
    // No Certificate and CertificateVerify: the server's flight shrinks by
    // at least the certificate.
    EXPECT_LT(second.bytes_to_client + first.server_config.credential->chain().front().size(),
              first.bytes_to_client);

    // The resumed connection brought a ticket of its own: a third one resumes too.
    Pair third = reconnect(second);
    third.pump();
    ASSERT_TRUE(established(third)) << third.describe();
    EXPECT_TRUE(third.client->negotiated().resumed);
}

INSTANTIATE_TEST_SUITE_P(WithAndWithoutCookies, ResumptionRoundTrip, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "cookies" : "no_cookies"; });

TEST(Resumption, ATicketIsOfferedOnce) {
    Pair first = resumption_pair();
    first.server_config.session_tickets = 1;
    ASSERT_TRUE(first.handshake()) << first.describe();
    Pair second = reconnect(first);
    // The second connection took the one ticket; before its own arrives, a
    // third connection has none to offer.
    Pair third = reconnect(first);
    third.pump();
    ASSERT_TRUE(established(third)) << third.describe();
    EXPECT_FALSE(third.client->negotiated().resumed);
    second.pump();
    ASSERT_TRUE(established(second)) << second.describe();
    EXPECT_TRUE(second.client->negotiated().resumed);
}

// A DTLS 1.3 session kept as bytes (Session::serialize) and restored in a
// new cache resumes, its ticket age still counted from its arrival.
TEST(Resumption, ASerializedSessionResumes) {
    Pair first = resumption_pair();
    ASSERT_TRUE(first.handshake()) << first.describe();
    first.pump();  // the ticket
    const Instant later = first.now + std::chrono::seconds(5);
    std::optional<Session> session = first.client_config.session_cache->take("server.test", later);
    ASSERT_TRUE(session);
    const Bytes bytes = session->serialize(later);
    auto restored = Session::deserialize(bytes, later);
    ASSERT_TRUE(restored) << restored.error().to_string();
    EXPECT_EQ(restored->version(), ProtocolVersion::dtls1_3);
    EXPECT_EQ(restored->data().received, session->data().received);
    EXPECT_EQ(restored->data().age_add, session->data().age_add);
    EXPECT_EQ(restored->expires(), session->expires());
    auto cache = SessionCache::in_memory();
    cache->store(std::move(*restored));
    Pair second = reconnect(first, [&](Config& c) { c.session_cache = cache; });
    second.now = later;
    second.pump();
    ASSERT_TRUE(established(second)) << second.describe();
    EXPECT_TRUE(second.client->negotiated().resumed);
    EXPECT_TRUE(second.server_conn->negotiated().resumed);
}

// conformance: RFC8446-4.2.11-5 RFC9325-3.4-1
TEST(Resumption, AServerThatCannotOpenTheTicketMakesAFullHandshake) {
    Pair first = resumption_pair();
    ASSERT_TRUE(first.handshake()) << first.describe();
    // Another server (its own ticket keys), same certificate and name.
    Pair other = make_dtls13_pair();
    other.server_config = first.server_config;
    other.client_config = first.client_config;
    ASSERT_TRUE(other.handshake()) << other.describe();
    EXPECT_FALSE(other.client->negotiated().resumed);
    EXPECT_FALSE(other.server_conn->negotiated().resumed);
    expect_data_both_ways(other);
}

TEST(Resumption, AServerWithoutTicketsIgnoresTheOneOffered) {
    Pair first = resumption_pair();
    ASSERT_TRUE(first.handshake()) << first.describe();
    Pair other = make_dtls13_pair();
    other.server_config = first.server_config;
    other.server_config.session_tickets = 0;
    other.client_config = first.client_config;
    ASSERT_TRUE(other.handshake()) << other.describe();
    EXPECT_FALSE(other.client->negotiated().resumed);
}

// conformance: RFC9325-3.4-5 RFC9325-3.4-6
TEST(Resumption, TheServerRefusesAnExpiredTicket) {
    Pair first = resumption_pair();
    first.server_config.session_ticket_lifetime = std::chrono::seconds(10);
    auto cache = std::make_shared<KeepEverythingCache>();
    first.client_config.session_cache = cache;
    ASSERT_TRUE(first.handshake()) << first.describe();
    ASSERT_EQ(cache->sessions.size(), 1u);
    EXPECT_EQ(cache->sessions.front().expires(), first.now + std::chrono::seconds(10));

    Pair late = reconnect(first);
    late.now += std::chrono::seconds(11);
    late.pump();
    ASSERT_TRUE(established(late)) << late.describe();
    EXPECT_FALSE(late.server_conn->negotiated().resumed);
}

// conformance: RFC8446-4.2.11.1-1
TEST(Resumption, TheMemoryCacheDropsExpiredSessions) {
    auto cache = SessionCache::in_memory();
    Pair first = resumption_pair();
    first.server_config.session_ticket_lifetime = std::chrono::seconds(10);
    first.client_config.session_cache = cache;
    ASSERT_TRUE(first.handshake()) << first.describe();
    EXPECT_FALSE(cache->take("server.test", first.now + std::chrono::seconds(10)));
}

// conformance: RFC8446-4.2.11-4 RFC8446-4.6.1-2
TEST(Resumption, TheMemoryCacheIsBoundedAndKeyedByName) {
    Pair first = resumption_pair();
    auto cache = SessionCache::in_memory(2);
    first.server_config.session_tickets = 3;
    first.client_config.session_cache = cache;
    ASSERT_TRUE(first.handshake()) << first.describe();
    EXPECT_FALSE(cache->take("other.test", first.now));
    EXPECT_TRUE(cache->take("server.test", first.now));
    EXPECT_TRUE(cache->take("server.test", first.now));
    EXPECT_FALSE(cache->take("server.test", first.now)) << "three tickets came; the cache holds two";
}

// conformance: RFC8446-4.6.1-1
TEST(Resumption, ASessionIsNotOfferedWhenNoConfiguredSuiteHasItsHash) {
    Pair first = resumption_pair();
    first.client_config.cipher_suites = {CipherSuite::aes128_gcm_sha256};
    ASSERT_TRUE(first.handshake()) << first.describe();
    Pair second = reconnect(first, [](Config& c) { c.cipher_suites = {CipherSuite::aes256_gcm_sha384}; });
    second.pump();
    ASSERT_TRUE(established(second)) << second.describe();
    EXPECT_FALSE(second.client->negotiated().resumed);
    EXPECT_EQ(second.client->negotiated().cipher_suite, CipherSuite::aes256_gcm_sha384);
}

// conformance: RFC8446-4.2.11-8 RFC8446-4.2.11-9
TEST(Resumption, AWrongBinderEndsTheHandshakeWithDecryptError) {
    Pair first = resumption_pair(false);
    ASSERT_TRUE(first.handshake()) << first.describe();
    Pair second = reconnect(first);
    std::vector<uint8_t> hello, reply;
    ASSERT_TRUE(second.client->poll_datagram(hello));
    // One unfragmented ClientHello whose body ends with the binder.
    hello.back() ^= 0x01;
    auto answer = second.server->handle_datagram(second.client_address, hello, second.now, reply);
    ASSERT_EQ(answer.outcome, Server::Outcome::accepted);
    Connection& server = *answer.connection;
    ASSERT_EQ(server.state(), State::failed);
    ASSERT_TRUE(server.error());
    EXPECT_EQ(server.error()->fault, Fault::finished_invalid);
    EXPECT_EQ(server.error()->alert, Alert::decrypt_error);
}

TEST(Resumption, AClientThatFallsBackToDtls12AfterOfferingATicketCompletes) {
    Pair first = resumption_pair();
    first.client_config.min_version = ProtocolVersion::dtls1_2;
    ASSERT_TRUE(first.handshake()) << first.describe();
    Pair old = make_dtls13_pair();
    old.server_config = first.server_config;
    old.server_config.max_version = ProtocolVersion::dtls1_2;
    old.server_config.session_tickets = 0;
    old.client_config = first.client_config;
    ASSERT_TRUE(old.handshake()) << old.describe();
    EXPECT_EQ(old.client->negotiated().version, ProtocolVersion::dtls1_2);
    expect_data_both_ways(old);
}

// conformance: RFC8446-4.6.1-4
TEST(Resumption, ConfigurationsThatCannotWorkAreRefused) {
    Pair p = resumption_pair();
    p.server_config.client_auth = ClientAuth::require;
    p.server_config.ca_pem = dtls13_test_ca().cert_pem();
    auto refused = Server::create(p.server_config, p.now);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error().reason.find("client_auth"), std::string::npos) << refused.error().reason;

    Pair q = resumption_pair();
    q.server_config.session_ticket_lifetime = std::chrono::hours(24 * 7 + 1);
    EXPECT_FALSE(Server::create(q.server_config, q.now));
}

}  // namespace
}  // namespace dtls::test
