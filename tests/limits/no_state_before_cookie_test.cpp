// The front door keeps no state before a valid cookie, never amplifies, and
// a peer cannot make a connection resend its flight without bound. The
// flood runs once with DTLS 1.2 hellos (answered by HelloVerifyRequests) and
// once with DTLS 1.3 ones (answered by HelloRetryRequests).
#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

#include "transport/fragment.hpp"
#include "heap_counter.hpp"
#include "live_connection.hpp"
#include "record/dtls12_header.hpp"
#include "support/dtls12_config.hpp"
#include "tls13/dtls13_pair.hpp"
#ifdef DTLS_TESTING_HOOKS
#include "crypto/random_testing.hpp"
#endif

namespace dtls::test {
namespace {

// True if `reply` is exactly one plaintext record holding one whole
// HelloVerifyRequest.
bool is_hello_verify_request(std::span<const uint8_t> reply) {
    wire::Reader r(reply);
    record::Dtls12Header rh;
    std::span<const uint8_t> body;
    if (!record::read_dtls12_record(r, rh, body) || !r.empty() || rh.type != record::ContentType::handshake || rh.epoch != 0) {
        return false;
    }
    wire::Reader hr(body);
    transport::FragmentHeader fh;
    std::span<const uint8_t> fragment;
    return transport::read_fragment(hr, fh, fragment) && hr.empty() &&
           fh.type == messages::HandshakeType::hello_verify_request && fh.fragment_length == fh.length;
}

// Ten different real ClientHellos (different randoms, one with a long
// session-free extension list), as first datagrams of our client offering
// versions up to `max_version`.
std::vector<Bytes> client_hellos(Instant now, ProtocolVersion max_version) {
    std::vector<Bytes> hellos;
    for (int i = 0; i < 10; ++i) {
        Config config;
        config.max_version = max_version;
        config.verify_peer = false;
        if (i % 2 == 1) config.alpn = {"h2", "webrtc", "coap"};
        if (i % 3 == 2) config.server_name = "name" + std::to_string(i) + ".example";
        auto c = Connection::client(config, now);
        Bytes d;
        if (c && c->poll_datagram(d)) hellos.push_back(d);
    }
    return hellos;
}

struct Flood {
    const char* name;
    ProtocolVersion version;  // the newest version client and server speak
    bool (*is_answer)(std::span<const uint8_t>);
    // The most the heap grows while one hello is answered. A DTLS 1.3 hello
    // is parsed whole (key shares, supported_versions) before the stateless
    // HelloRetryRequest is built.
    size_t peak_bytes;
};

class NoStateBeforeCookieFlood : public ::testing::TestWithParam<Flood> {};

// conformance: RFC6347-4.2.1-10
TEST_P(NoStateBeforeCookieFlood, HundredThousandHellosFromTenThousandAddresses) {
    const Instant now = Instant{} + std::chrono::hours(3);
    Config config;
    config.max_version = GetParam().version;
    config.credential = std::make_shared<const Credential>(credential_of(self_signed(KeyKind::ecdsa_p256, "door.test")));
    auto server = Server::create(config, now);
    ASSERT_TRUE(server);
    const std::vector<Bytes> hellos = client_hellos(now, GetParam().version);
    ASSERT_EQ(hellos.size(), 10u);

    std::vector<uint8_t> address{203, 0, 113, 0, 0, 0};
    Bytes reply;
    reply.reserve(256);
    (void)server->handle_datagram(address, hellos[0], now, reply);  // warm up
#ifdef DTLS_TESTING_HOOKS
    // Every connection draws randomness (server random, key share) at once;
    // the front door draws none between cookie secret rotations.
    size_t random_draws = 0;
    crypto::testing::set_random_source([&](std::span<uint8_t> out) {
        ++random_draws;
        std::fill(out.begin(), out.end(), 0x5a);
    });
#endif
    const size_t live_before = heap::live_bytes();
    heap::reset_peak();
    size_t answered = 0, connections = 0, amplified = 0, other_answers = 0;
    const auto started = std::chrono::steady_clock::now();
    for (uint32_t a = 0; a < 10000; ++a) {
        address[3] = static_cast<uint8_t>(a >> 8);
        address[4] = static_cast<uint8_t>(a);
        address[5] = static_cast<uint8_t>(a * 7);
        for (const Bytes& hello : hellos) {
            const Instant at = now + std::chrono::microseconds(a);
            Server::Answer answer = server->handle_datagram(address, hello, at, reply);
            if (answer.outcome == Server::Outcome::reply) ++answered;
            if (answer.outcome == Server::Outcome::accepted || answer.connection) ++connections;
            if (reply.size() > hello.size()) ++amplified;
            if (!GetParam().is_answer(reply)) ++other_answers;
        }
    }
    const auto elapsed = std::chrono::steady_clock::now() - started;
#ifdef DTLS_TESTING_HOOKS
    crypto::testing::set_random_source(nullptr);
    EXPECT_EQ(random_draws, 0u) << "the front door started handshakes (random values drawn)";
#endif
    EXPECT_EQ(answered, 100000u);
    EXPECT_EQ(connections, 0u);
    EXPECT_EQ(amplified, 0u);
    EXPECT_EQ(other_answers, 0u);
    // Nothing is kept: the heap is exactly as before, and no single answer
    // ever held more than a few kilobytes at once.
    EXPECT_EQ(heap::live_bytes(), live_before);
    EXPECT_LE(heap::peak_bytes() - live_before, GetParam().peak_bytes);
    // Bounded time: MAC-only answers (a few seconds for 100,000 even in a
    // Debug sanitizer build); with the hooks on, the zero random draws above
    // show no handshake (key share, signature) was started.
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count();
    RecordProperty("milliseconds_for_100000_hellos", std::to_string(ms));
    EXPECT_LT(ms, 60000);
}

bool is_hrr(std::span<const uint8_t> reply) { return is_hello_retry_request(reply); }

INSTANTIATE_TEST_SUITE_P(Versions, NoStateBeforeCookieFlood,
                         ::testing::Values(Flood{"dtls12", ProtocolVersion::dtls1_2, is_hello_verify_request, 4096},
                                           Flood{"dtls13", ProtocolVersion::dtls1_3, is_hrr, 8192}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(NoStateBeforeCookie, SmallestClientHelloIsNotAmplified) {
    const Instant now = Instant{} + std::chrono::hours(3);
    Config config;
    config.credential = std::make_shared<const Credential>(credential_of(self_signed(KeyKind::ecdsa_p256, "door.test")));
    config.require_extended_master_secret = false;
    auto server = Server::create(config, now);
    ASSERT_TRUE(server);
    // The smallest ClientHello that parses: one suite, null compression, no
    // session id, no cookie, no extensions.
    Bytes body{0xFE, 0xFD};
    body.resize(2 + 32, 0x11);
    body.insert(body.end(), {0, 0, 0, 2, 0xC0, 0x2B, 1, 0});
    Bytes payload;
    wire::Writer pw(payload);
    transport::write_fragment_header({messages::HandshakeType::client_hello, static_cast<uint32_t>(body.size()), 0, 0,
                                      static_cast<uint32_t>(body.size())},
                                     pw);
    pw.bytes(body);
    Bytes hello;
    wire::Writer w(hello);
    record::write_dtls12_header({record::ContentType::handshake, record::kVersionDtls10, 0, 0,
                                 static_cast<uint16_t>(payload.size())},
                                w);
    w.bytes(payload);

    Bytes reply;
    const std::vector<uint8_t> address{1, 2, 3, 4};
    Server::Answer answer = server->handle_datagram(address, hello, now, reply);
    RecordProperty("request_bytes", std::to_string(hello.size()));
    RecordProperty("reply_bytes", std::to_string(reply.size()));
    EXPECT_EQ(answer.outcome, Server::Outcome::reply);
    EXPECT_TRUE(is_hello_verify_request(reply));
    EXPECT_LE(reply.size(), hello.size());
}

// Counts datagrams a connection sends, and how many of them carry its
// handshake flight (plaintext handshake records).
size_t drain(Connection& c) {
    size_t n = 0;
    Bytes d;
    while (c.poll_datagram(d)) ++n;
    return n;
}

class Amplification : public ::testing::TestWithParam<ProtocolVersion> {};

// RFC 6347 4.2.4 and RFC 9147 5.8: a peer's retransmitted flight makes us
// resend ours, but one flight per timer period at most, and never more than
// max_retransmits in all.
TEST_P(Amplification, ReplayedCookieHelloResendsTheFlightOncePerTimerPeriod) {
    Config client_config = dtls12_config(), server_config = dtls12_config();
    client_config.max_version = server_config.max_version = GetParam();
    server_config.max_retransmits = 5;
    LiveConnections live(client_config, server_config);
    ASSERT_TRUE(live.ready());
    const size_t flight_datagrams = live.held_server_flight.size();
    size_t flight_bytes = 0;
    for (const Bytes& d : live.held_server_flight) flight_bytes += d.size();

    // The server waits for the client's second flight; the application
    // routes the peer's datagrams to its connection. 200 replays of the
    // cookie-carrying ClientHello (the last message of the client's flight)
    // within half a second: one resent flight.
    size_t sent = 0;
    for (int i = 0; i < 200; ++i) {
        live.server_conn->handle_datagram(live.cookie_hello, live.now + std::chrono::milliseconds(i * 2));
        sent += drain(*live.server_conn);
    }
    RecordProperty("datagrams_sent_for_200_replays_in_400ms", std::to_string(sent));
    EXPECT_EQ(sent, flight_datagrams);
    EXPECT_EQ(live.server_conn->stats().retransmissions, 1u);

    // A replay a timer period (1 s) later is answered again; one a second
    // apart keeps being answered until max_retransmits flights were resent.
    for (int second = 1; second <= 10; ++second) {
        for (int copy = 0; copy < 20; ++copy) {
            live.server_conn->handle_datagram(live.cookie_hello, live.now + std::chrono::seconds(second));
            sent += drain(*live.server_conn);
        }
    }
    RecordProperty("datagrams_sent_for_all_replays", std::to_string(sent));
    EXPECT_EQ(sent, server_config.max_retransmits * flight_datagrams);
    EXPECT_EQ(live.server_conn->stats().retransmissions, server_config.max_retransmits);
    EXPECT_LE(live.server_conn->stats().bytes_sent, (server_config.max_retransmits + 1) * flight_bytes);

    // The handshake still completes, and once established, replays of the
    // ClientHello draw nothing at all.
    live.now += std::chrono::seconds(11);
    ASSERT_TRUE(live.finish());
    size_t after = 0;
    for (int i = 0; i < 1000; ++i) {
        live.server_conn->handle_datagram(live.cookie_hello, live.now);
        after += drain(*live.server_conn);
    }
    EXPECT_EQ(after, 0u);
    EXPECT_EQ(live.server_conn->state(), State::established);
}

INSTANTIATE_TEST_SUITE_P(Versions, Amplification,
                         ::testing::Values(ProtocolVersion::dtls1_2, ProtocolVersion::dtls1_3),
                         [](const auto& info) { return info.param == ProtocolVersion::dtls1_2 ? "dtls12" : "dtls13"; });

}  // namespace
}  // namespace dtls::test
