// Our DTLS 1.3 client against our DTLS 1.3 server, lossless: every suite and
// certificate key, the HelloRetryRequest from the stateless front door and
// from a server that keeps state, client certificates, ACKs of the client's
// final flight, and version negotiation with DTLS 1.2 on either side.
// Interop with other implementations (tests/interop_matrix) is what shows
// these agree with the RFC and not only with each other.
#include <gtest/gtest.h>

#include <algorithm>
#include <iostream>
#include <tuple>

#include "messages/messages.hpp"
#include "tls12/mitm.hpp"
#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

void expect_dtls13_agreement(Pair& p) {
    const Negotiated& c = p.client->negotiated();
    const Negotiated& s = p.server_conn->negotiated();
    EXPECT_EQ(c.version, ProtocolVersion::dtls1_3);
    EXPECT_EQ(s.version, ProtocolVersion::dtls1_3);
    EXPECT_EQ(c.cipher_suite, s.cipher_suite);
    EXPECT_EQ(c.group, s.group);
    EXPECT_EQ(c.alpn, s.alpn);
    auto ours = p.client->export_keying_material("EXPORTER-test", bytes_of("ctx"), true, 32);
    auto theirs = p.server_conn->export_keying_material("EXPORTER-test", bytes_of("ctx"), true, 32);
    ASSERT_TRUE(ours);
    ASSERT_TRUE(theirs);
    EXPECT_EQ(*ours, *theirs);
    auto other_label = p.client->export_keying_material("EXPORTER-other", bytes_of("ctx"), true, 32);
    ASSERT_TRUE(other_label);
    EXPECT_NE(*ours, *other_label);
}

// The cookie exchange by hand: starts the pair, takes the client's first
// hello to the front door and its HelloRetryRequest back to the client.
// Returns the client's second hello; `hrr` receives the HelloRetryRequest.
std::vector<uint8_t> second_hello(Pair& p, std::vector<uint8_t>* hrr = nullptr) {
    std::vector<uint8_t> hello, reply, hello2;
    if (!p.start() || !p.client->poll_datagram(hello)) {
        ADD_FAILURE() << "no first ClientHello";
        return {};
    }
    EXPECT_EQ(p.server->handle_datagram(p.client_address, hello, p.now, reply).outcome, Server::Outcome::reply);
    p.client->handle_datagram(reply, p.now);
    if (hrr) *hrr = reply;
    EXPECT_TRUE(p.client->poll_datagram(hello2));
    return hello2;
}

// The handshake by hand until the client completes: the server connection
// exists, and nothing the client sent after its second hello has arrived.
void run_until_client_established(Pair& p) {
    const std::vector<uint8_t> hello2 = second_hello(p);
    std::vector<uint8_t> reply, d;
    auto answer = p.server->handle_datagram(p.client_address, hello2, p.now, reply);
    ASSERT_EQ(answer.outcome, Server::Outcome::accepted);
    p.server_conn.emplace(std::move(*answer.connection));
    while (p.server_conn->poll_datagram(d)) p.client->handle_datagram(d, p.now);
    ASSERT_EQ(p.client->state(), State::established);
}

class Dtls13Suites : public ::testing::TestWithParam<CipherSuite> {};

// conformance: RFC8446-9.1-1
TEST_P(Dtls13Suites, HandshakeAgreesAndCarriesData) {
    Pair p = make_dtls13_pair();
    enable_dtls13(p.client_config, false);  // a DTLS 1.3 suite alone: DTLS 1.2 would have none
    p.client_config.cipher_suites = {GetParam()};
    p.server_config.cipher_suites = {GetParam(), CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256};
    // Needed by CCM_8 (RFC 9147 4.5.3), ignored by the others.
    p.client_config.dtls13_ccm8_failure_limit = p.server_config.dtls13_ccm8_failure_limit = 128;
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().cipher_suite, GetParam());
    EXPECT_EQ(p.client->negotiated().peer_chain.size(), 1u);
    expect_dtls13_agreement(p);
    expect_data_both_ways(p);
}

INSTANTIATE_TEST_SUITE_P(All, Dtls13Suites,
                         ::testing::Values(CipherSuite::aes128_gcm_sha256, CipherSuite::aes256_gcm_sha384,
                                           CipherSuite::chacha20_poly1305_sha256, CipherSuite::aes128_ccm_sha256,
                                           CipherSuite::aes128_ccm8_sha256));

struct KeyCase {
    KeyKind key;
    SignatureScheme expected;
};

class Dtls13Keys : public ::testing::TestWithParam<KeyCase> {};

// conformance: RFC8446-4.4.3-7 RFC8446-4.4.2.2-2
TEST_P(Dtls13Keys, ServerSignsWithATls13Scheme) {
    Pair p = make_dtls13_pair(GetParam().key);
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().peer_signature_scheme, GetParam().expected);
    expect_dtls13_agreement(p);
}

INSTANTIATE_TEST_SUITE_P(All, Dtls13Keys,
                         ::testing::Values(KeyCase{KeyKind::ecdsa_p256, SignatureScheme::ecdsa_secp256r1_sha256},
                                           KeyCase{KeyKind::ecdsa_p384, SignatureScheme::ecdsa_secp384r1_sha384},
                                           KeyCase{KeyKind::rsa2048, SignatureScheme::rsa_pss_rsae_sha256},
                                           KeyCase{KeyKind::ed25519, SignatureScheme::ed25519}));

// conformance: RFC9147-5.1-1 RFC9147-5.1-4 RFC9147-5.1-5 RFC9147-5.1-7 RFC9147-5.2-3 RFC9147-11-1 RFC9147-11-2 RFC8446-4.2.2-1
TEST(Dtls13, DefaultSuiteAndGroupAndTheCookieExchange) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.start());
    // The first hello gets a stateless HelloRetryRequest with a cookie, no
    // larger than the hello.
    std::vector<uint8_t> hello, reply;
    ASSERT_TRUE(p.client->poll_datagram(hello));
    auto answer = p.server->handle_datagram(p.client_address, hello, p.now, reply);
    ASSERT_EQ(answer.outcome, Server::Outcome::reply);
    EXPECT_TRUE(is_hello_retry_request(reply));
    EXPECT_LE(reply.size(), hello.size());
    p.client->handle_datagram(reply, p.now);
    p.pump();
    ASSERT_TRUE(p.client->state() == State::established && p.server_conn &&
                p.server_conn->state() == State::established)
        << p.describe();
    EXPECT_EQ(p.client->negotiated().cipher_suite, CipherSuite::aes128_gcm_sha256);
    EXPECT_EQ(p.client->negotiated().group, NamedGroup::x25519);
    expect_dtls13_agreement(p);
    expect_data_both_ways(p);
}

// conformance: RFC9147-11-3
TEST(Dtls13, CookieIsBoundToTheClientAddress) {
    Pair p = make_dtls13_pair();
    std::vector<uint8_t> reply;
    std::vector<uint8_t> hello2;
    ASSERT_NO_FATAL_FAILURE(hello2 = second_hello(p));
    // The second hello from another address: dropped, nothing kept.
    std::vector<uint8_t> elsewhere{127, 0, 0, 2, 0x30, 0x39};
    EXPECT_EQ(p.server->handle_datagram(elsewhere, hello2, p.now, reply).outcome, Server::Outcome::dropped);
    // From the right address: a connection.
    EXPECT_EQ(p.server->handle_datagram(p.client_address, hello2, p.now, reply).outcome, Server::Outcome::accepted);
}

TEST(Dtls13, CookieExpires) {
    Pair p = make_dtls13_pair();
    p.server_config.cookie_secret_lifetime = std::chrono::seconds(30);
    std::vector<uint8_t> reply;
    std::vector<uint8_t> hello2;
    ASSERT_NO_FATAL_FAILURE(hello2 = second_hello(p));
    // Two lifetimes later both keys have rotated: the cookie is stale.
    EXPECT_EQ(p.server->handle_datagram(p.client_address, hello2, p.now + std::chrono::seconds(61), reply).outcome,
              Server::Outcome::dropped);
}

// One rotation later the cookie's secret is the previous one, which is still
// accepted: a client slow to answer the HelloRetryRequest is not refused.
TEST(Dtls13, CookieSurvivesOneRotation) {
    Pair p = make_dtls13_pair();
    p.server_config.cookie_secret_lifetime = std::chrono::seconds(30);
    std::vector<uint8_t> reply;
    std::vector<uint8_t> hello2;
    ASSERT_NO_FATAL_FAILURE(hello2 = second_hello(p));
    EXPECT_EQ(p.server->handle_datagram(p.client_address, hello2, p.now + std::chrono::seconds(31), reply).outcome,
              Server::Outcome::accepted);
}

// conformance: RFC9147-11-4
TEST(Dtls13, AlteredCookieIsDropped) {
    Pair p = make_dtls13_pair();
    std::vector<uint8_t> reply, retry_request;
    std::vector<uint8_t> hello2;
    ASSERT_NO_FATAL_FAILURE(hello2 = second_hello(p, &retry_request));
    // Flip each byte of the cookie in turn, where it sits in the second hello.
    constexpr size_t kHeaders = 13 + 12;
    auto hrr = messages::decode_server_hello(std::span<const uint8_t>(retry_request).subspan(kHeaders));
    ASSERT_TRUE(hrr);
    ASSERT_TRUE(hrr->extensions.cookie);
    const Bytes& cookie = *hrr->extensions.cookie;
    auto at = std::search(hello2.begin(), hello2.end(), cookie.begin(), cookie.end());
    ASSERT_NE(at, hello2.end());
    const size_t offset = static_cast<size_t>(at - hello2.begin());
    for (size_t i = 0; i < cookie.size(); ++i) {
        std::vector<uint8_t> forged = hello2;
        forged[offset + i] ^= 0x01;
        EXPECT_EQ(p.server->handle_datagram(p.client_address, forged, p.now, reply).outcome,
                  Server::Outcome::dropped)
            << "cookie byte " << i;
    }
    EXPECT_EQ(p.server->handle_datagram(p.client_address, hello2, p.now, reply).outcome, Server::Outcome::accepted);
}

// conformance: RFC9147-5.1-3 RFC8446-4.1.1-3 RFC8446-4.1.2-2 RFC8446-4.1.4-7 RFC8446-4.2.8-7
TEST(Dtls13, RetryForAGroupTheClientSentNoShareFor) {
    for (bool cookies : {true, false}) {
        Pair p = make_dtls13_pair();
        p.server_config.cookies = cookies;
        p.client_config.groups = {NamedGroup::x25519, NamedGroup::secp384r1};
        p.server_config.groups = {NamedGroup::secp384r1};
        ASSERT_TRUE(p.handshake()) << p.describe() << " cookies " << cookies;
        EXPECT_EQ(p.client->negotiated().group, NamedGroup::secp384r1);
        EXPECT_EQ(p.server_conn->negotiated().group, NamedGroup::secp384r1);
        expect_dtls13_agreement(p);
        expect_data_both_ways(p);
    }
}

TEST(Dtls13, NoCookiesNoRetryWhenTheShareIsUsable) {
    Pair p = make_dtls13_pair();
    p.server_config.cookies = false;
    ASSERT_TRUE(p.start());
    std::vector<uint8_t> hello, reply;
    ASSERT_TRUE(p.client->poll_datagram(hello));
    auto answer = p.server->handle_datagram(p.client_address, hello, p.now, reply);
    ASSERT_EQ(answer.outcome, Server::Outcome::accepted);
    p.server_conn.emplace(std::move(*answer.connection));
    std::vector<uint8_t> first;
    ASSERT_TRUE(p.server_conn->poll_datagram(first));
    EXPECT_FALSE(is_hello_retry_request(first));
    p.client->handle_datagram(first, p.now);
    p.pump();
    ASSERT_EQ(p.client->state(), State::established) << p.describe();
    expect_dtls13_agreement(p);
}

// conformance: RFC8446-4.4.2-2 RFC8446-4.4.3-2
TEST(Dtls13, ClientCertificateRequiredAndGiven) {
    Pair p = make_dtls13_pair();
    p.server_config.client_auth = ClientAuth::require;
    p.server_config.ca_pem = dtls13_test_ca().cert_pem();
    p.client_config.credential = std::make_shared<Credential>(credential_of(issue_from_test_ca(KeyKind::ecdsa_p384, "client")));
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.server_conn->negotiated().peer_chain.size(), 1u);
    EXPECT_EQ(p.server_conn->negotiated().peer_signature_scheme, SignatureScheme::ecdsa_secp384r1_sha384);
    expect_dtls13_agreement(p);
    expect_data_both_ways(p);
}

TEST(Dtls13, ClientCertificateRequiredButMissing) {
    Pair p = make_dtls13_pair();
    p.server_config.client_auth = ClientAuth::require;
    p.server_config.ca_pem = dtls13_test_ca().cert_pem();
    ASSERT_FALSE(p.handshake());
    ASSERT_TRUE(p.server_conn);
    ASSERT_TRUE(p.server_conn->error());
    EXPECT_EQ(p.server_conn->error()->fault, Fault::certificate_required);
    // The client hears of it, although it had moved on to epoch 3.
    ASSERT_EQ(p.client->state(), State::failed) << p.describe();
    EXPECT_EQ(p.client->error()->alert, Alert::certificate_required);
}

// conformance: RFC8446-4.4.2-3 RFC8446-4.4.2-4
TEST(Dtls13, ClientCertificateRequestedAndNotGiven) {
    Pair p = make_dtls13_pair();
    p.server_config.client_auth = ClientAuth::request;
    p.server_config.ca_pem = dtls13_test_ca().cert_pem();
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_TRUE(p.server_conn->negotiated().peer_chain.empty());
    expect_data_both_ways(p);
}

// conformance: RFC8446-4.4.2.2-8
TEST(Dtls13, UntrustedServerIsRefused) {
    Pair p = make_dtls13_pair();
    TestCa other = TestCa::create(KeyKind::ecdsa_p256);
    p.client_config.ca_pem = other.cert_pem();
    ASSERT_FALSE(p.handshake());
    ASSERT_TRUE(p.client->error());
    EXPECT_EQ(p.client->error()->fault, Fault::certificate_unknown_issuer);
    ASSERT_TRUE(p.server_conn);
    EXPECT_EQ(p.server_conn->state(), State::failed);
}

// conformance: RFC8446-4.4.2.2-4 RFC8446-9.2-13
TEST(Dtls13, AlpnAndServerName) {
    Pair p = make_dtls13_pair();
    p.client_config.alpn = {"coap", "h2"};
    p.server_config.alpn = {"h2"};
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().alpn, "h2");
    EXPECT_EQ(p.server_conn->negotiated().server_name, "server.test");
    expect_dtls13_agreement(p);
}

// The server acknowledges the client's last flight; until it does, the
// client keeps a timer after completing and resends that flight.
// conformance: RFC9147-7.1-2 RFC9147-7.1-4 RFC9147-7.2-3 RFC9147-7.2-5
TEST(Dtls13, ClientFinishedIsAcknowledged) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_FALSE(p.client->next_timeout()) << "the ACK arrived: nothing left to resend";
    EXPECT_FALSE(p.server_conn->next_timeout());
}

// conformance: RFC9147-5.8.1-2
TEST(Dtls13, LostAckMakesTheClientResendItsFinishedAndTheServerAcknowledgeAgain) {
    Pair p = make_dtls13_pair();
    // Run the handshake by hand so the server's ACK can be lost.
    ASSERT_NO_FATAL_FAILURE(run_until_client_established(p));
    std::vector<uint8_t> d;
    while (p.client->poll_datagram(d)) p.server_conn->handle_datagram(d, p.now);
    ASSERT_EQ(p.server_conn->state(), State::established);
    std::vector<uint8_t> ack;
    ASSERT_TRUE(p.server_conn->poll_datagram(ack));  // lost
    EXPECT_FALSE(p.server_conn->poll_datagram(d));

    auto timer = p.client->next_timeout();
    ASSERT_TRUE(timer) << "the client waits for the ACK";
    p.now = *timer;
    p.client->handle_timeout(p.now);
    size_t resent = 0;
    while (p.client->poll_datagram(d)) {
        ++resent;
        p.server_conn->handle_datagram(d, p.now);
    }
    EXPECT_GE(resent, 1u);
    EXPECT_EQ(p.client->stats().retransmissions, 1u);
    ASSERT_TRUE(p.server_conn->poll_datagram(ack)) << "the server acknowledges again";
    p.client->handle_datagram(ack, p.now);
    EXPECT_FALSE(p.client->next_timeout());
    expect_data_both_ways(p);
}

// RFC 9147 7.1: a gap in the peer's flight is acknowledged a quarter of a
// timer period after it is seen (once per flight), and the peer resends what
// the ACK leaves out at once: with one datagram of the server's flight lost,
// the handshake completes 250 ms later, before the server's 1 s timer.
// conformance: RFC9147-7.1-1 RFC9147-5.8.1-1
TEST(Dtls13, AGapInTheServerFlightIsAcknowledgedAndFilledBeforeItsTimer) {
    using namespace std::chrono_literals;
    // The ACK timer is a quarter of the client's retransmission timer: of
    // the initial second, or of the 100 ms floor once the HelloRetryRequest
    // came back at once (a zero round trip on this virtual clock).
    for (const auto& [lose, from_round_trip, gap_timer] :
         {std::tuple{false, false, 0ms}, std::tuple{true, false, 250ms}, std::tuple{true, true, 25ms}}) {
        Mitm m;
        m.client_config.retransmit_timeout_from_round_trip = from_round_trip;
        enable_dtls13(m.client_config);
        enable_dtls13(m.server_config);
        m.server_config.credential =
            std::make_shared<Credential>(credential_of(issue_from_test_ca(KeyKind::ecdsa_p256, "server.test")));
        m.client_config.ca_pem = dtls13_test_ca().cert_pem();
        m.client_config.server_name = "server.test";
        m.client_config.mtu = m.server_config.mtu = Config::min_mtu;  // a flight of several datagrams
        size_t server_datagrams = 0;
        m.filter = [&](Direction direction, Bytes d) -> std::vector<Bytes> {
            // The server's third datagram after the HelloRetryRequest: within
            // its protected flight, after the ServerHello.
            if (direction == Direction::to_client && ++server_datagrams == 3 && lose) return {};
            return {d};
        };
        ASSERT_TRUE(m.start());
        const Instant start = m.now;
        m.pump();
        if (lose) {
            ASSERT_EQ(m.client->state(), State::handshaking);
            ASSERT_EQ(m.client->next_timeout(), start + gap_timer) << "the gap ACK's timer comes first";
            ASSERT_TRUE(m.fire_next_timer());
            m.pump();
        }
        EXPECT_EQ(m.client->state(), State::established) << "lose " << lose;
        EXPECT_EQ(m.now - start, Duration(gap_timer));
        EXPECT_EQ(m.client->stats().retransmissions, 0u);
        EXPECT_EQ(m.server_conn ? m.server_conn->stats().retransmissions : 99u, lose ? 1u : 0u)
            << "one resend, of what the ACK left out";
    }
}

TEST(Dtls13, ClientGivesUpResendingQuietlyWhenNoAckComes) {
    Pair p = make_dtls13_pair();
    ASSERT_NO_FATAL_FAILURE(run_until_client_established(p));
    std::vector<uint8_t> d;
    // Nothing the client sends arrives: the timer runs out, bounded.
    for (int i = 0; i < 64 && p.client->next_timeout(); ++i) {
        p.now = *p.client->next_timeout();
        p.client->handle_timeout(p.now);
        while (p.client->poll_datagram(d)) {
        }
    }
    EXPECT_FALSE(p.client->next_timeout());
    EXPECT_EQ(p.client->state(), State::established);
}

// A first ClientHello in several datagrams (as browsers send theirs) is
// collected whole by the front door before it decides anything.
TEST(Dtls13, FragmentedHellosAreAssembledByTheFrontDoor) {
    for (bool also_dtls12 : {false, true}) {
        Pair p = make_dtls13_pair();
        enable_dtls13(p.client_config, also_dtls12);
        p.client_config.mtu = Config::min_mtu;
        p.client_config.alpn = {std::string(60, 'a'), std::string(60, 'b')};  // a hello well over 200 bytes
        ASSERT_TRUE(p.start());
        std::vector<uint8_t> d, reply;
        size_t fragments = 0;
        Server::Answer answer;
        while (p.client->poll_datagram(d)) {
            ++fragments;
            answer = p.server->handle_datagram(p.client_address, d, p.now, reply);
        }
        ASSERT_GE(fragments, 2u);
        ASSERT_EQ(answer.outcome, Server::Outcome::reply) << "the HelloRetryRequest once the hello is whole";
        EXPECT_TRUE(is_hello_retry_request(reply));
        p.client->handle_datagram(reply, p.now);
        p.pump();
        ASSERT_TRUE(p.client->state() == State::established && p.server_conn &&
                    p.server_conn->state() == State::established)
            << p.describe() << " also_dtls12 " << also_dtls12;
        expect_dtls13_agreement(p);
        expect_data_both_ways(p);
    }
}

TEST(Dtls13, FragmentedDtls12HelloToADualServer) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = ProtocolVersion::dtls1_2;
    p.client_config.mtu = Config::min_mtu;
    p.client_config.alpn = {std::string(60, 'a'), std::string(60, 'b')};
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.server_conn->negotiated().version, ProtocolVersion::dtls1_2);
    expect_data_both_ways(p);
}

// The compact header forms (RFC 9147 4): 8-bit sequence numbers and no
// length in a record that ends its datagram; each side reads both forms
// whatever it sends.
// conformance: RFC9147-4-4
TEST(Dtls13, ShortSequenceNumbersAndOmittedLengths) {
    auto record_size = [](bool compact_client, bool compact_server) {
        Pair p = make_dtls13_pair();
        p.client_config.dtls13_short_sequence_numbers = compact_client;
        p.client_config.dtls13_omit_length = compact_client;
        p.server_config.dtls13_short_sequence_numbers = compact_server;
        p.server_config.dtls13_omit_length = compact_server;
        EXPECT_TRUE(p.handshake()) << p.describe();
        if (!p.client || p.client->state() != State::established) return size_t{0};
        // Enough records to wrap the 8-bit sequence number twice.
        for (int i = 0; i < 600; ++i) {
            EXPECT_TRUE(p.client->send(bytes_of("ping " + std::to_string(i)), p.now));
            EXPECT_TRUE(p.server_conn->send(bytes_of("pong " + std::to_string(i)), p.now));
        }
        p.pump();
        EXPECT_EQ(Pair::data_of(p.server_events).size(), 600u);
        EXPECT_EQ(Pair::data_of(p.client_events).size(), 600u);
        EXPECT_EQ(Pair::data_of(p.client_events).back(), "pong 599");
        EXPECT_TRUE(p.client->send(bytes_of("0123456789"), p.now));
        std::vector<uint8_t> d;
        EXPECT_TRUE(p.client->poll_datagram(d));
        return d.size();
    };
    const size_t normal = record_size(false, false);
    EXPECT_EQ(record_size(true, false), normal - 3) << "one byte of sequence number and two of length fewer";
    EXPECT_EQ(record_size(false, true), normal);
    EXPECT_EQ(record_size(true, true), normal - 3);
}

TEST(Dtls13, FullEcdsaP256HandshakeSizeAtDefaultMtu) {
    for (bool cookies : {true, false}) {
        Pair p = make_dtls13_pair(KeyKind::ecdsa_p256);
        p.server_config.cookies = cookies;
        ASSERT_TRUE(p.handshake()) << p.describe();
        // ClientHello [HelloRetryRequest, ClientHello again], then the server's
        // flight in one datagram, the client's Finished and the server's ACK.
        EXPECT_EQ(p.datagrams_to_server, cookies ? 3u : 2u);
        EXPECT_EQ(p.datagrams_to_client, cookies ? 3u : 2u);
        std::cout << "[ figures  ] DTLS 1.3 ECDSA P-256 handshake at MTU 1200, "
                  << (cookies ? "with" : "without") << " the cookie: client->server " << p.datagrams_to_server
                  << " datagrams, " << p.bytes_to_server << " bytes; server->client " << p.datagrams_to_client
                  << " datagrams, " << p.bytes_to_client << " bytes\n";
    }
}

// --- Versions ---------------------------------------------------------------

// conformance: RFC9325-3.1.2-3 RFC8446-4.2.1-5
TEST(Dtls13Versions, TheDefaultConfigurationSpeaksDtls13AndDtls12) {
    const Config defaults;
    EXPECT_TRUE(defaults.enables(ProtocolVersion::dtls1_3));
    EXPECT_TRUE(defaults.enables(ProtocolVersion::dtls1_2));
    // Two default sides choose DTLS 1.3.
    Pair p;
    p.client_config = Config{};
    p.server_config = Config{};
    p.server_config.credential =
        std::make_shared<Credential>(credential_of(issue_from_test_ca(KeyKind::ecdsa_p256, "server.test")));
    p.client_config.ca_pem = dtls13_test_ca().cert_pem();
    p.client_config.server_name = "server.test";
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().version, ProtocolVersion::dtls1_3);
    EXPECT_EQ(p.client->negotiated().cipher_suite, CipherSuite::aes128_gcm_sha256);
}

TEST(Dtls13Versions, AVersionWithoutAConfiguredSuiteIsNotSpoken) {
    // DTLS 1.2 suites alone keep a default range to DTLS 1.2, on either side.
    for (bool server_side : {false, true}) {
        Pair p = make_dtls13_pair();
        Config& limited = server_side ? p.server_config : p.client_config;
        limited.cipher_suites = {CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256};
        EXPECT_FALSE(limited.enables(ProtocolVersion::dtls1_3));
        ASSERT_TRUE(p.handshake()) << p.describe();
        EXPECT_EQ(p.client->negotiated().version, ProtocolVersion::dtls1_2) << "server side " << server_side;
        expect_data_both_ways(p);
    }
    // A range left without a version to speak is refused.
    Config config = make_dtls13_pair().client_config;
    config.min_version = ProtocolVersion::dtls1_3;
    config.cipher_suites = {CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256};
    auto refused = Connection::client(config, Instant{});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
    EXPECT_EQ(refused.error().reason, "no cipher suite of a version between min_version and max_version is configured");
}

// conformance: RFC9147-5.2-4 RFC8446-4.2.1-10 RFC8446-4.2.1-11
TEST(Dtls13Versions, DualClientAndDtls12ServerSettleOnDtls12) {
    Pair p = make_dtls13_pair();
    p.server_config.max_version = ProtocolVersion::dtls1_2;
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().version, ProtocolVersion::dtls1_2);
    EXPECT_EQ(p.server_conn->negotiated().version, ProtocolVersion::dtls1_2);
    EXPECT_TRUE(p.client->negotiated().extended_master_secret);
    expect_data_both_ways(p);
}

TEST(Dtls13Versions, DualClientAndDtls12ServerWithoutCookies) {
    Pair p = make_dtls13_pair();
    p.server_config.max_version = ProtocolVersion::dtls1_2;
    p.server_config.cookies = false;
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().version, ProtocolVersion::dtls1_2);
    expect_data_both_ways(p);
}

// conformance: RFC8446-4.2.1-2
TEST(Dtls13Versions, Dtls12ClientAndDualServerSettleOnDtls12) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = ProtocolVersion::dtls1_2;
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().version, ProtocolVersion::dtls1_2);
    EXPECT_EQ(p.server_conn->negotiated().version, ProtocolVersion::dtls1_2);
    expect_data_both_ways(p);
}

TEST(Dtls13Versions, Dtls13OnlyClientRefusesADtls12Server) {
    Pair p = make_dtls13_pair();
    p.client_config.min_version = ProtocolVersion::dtls1_3;
    p.server_config.max_version = ProtocolVersion::dtls1_2;
    ASSERT_FALSE(p.handshake());
    ASSERT_TRUE(p.client->error()) << p.describe();
    EXPECT_EQ(p.client->error()->alert, Alert::protocol_version);
}

TEST(Dtls13Versions, Dtls13OnlyServerRefusesADtls12Client) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = ProtocolVersion::dtls1_2;
    p.server_config.min_version = ProtocolVersion::dtls1_3;
    ASSERT_FALSE(p.handshake());
    ASSERT_TRUE(p.server_conn) << p.describe();
    ASSERT_TRUE(p.server_conn->error());
    EXPECT_EQ(p.server_conn->error()->alert, Alert::protocol_version);
    EXPECT_EQ(p.client->state(), State::failed);
}

}  // namespace
}  // namespace dtls::test
