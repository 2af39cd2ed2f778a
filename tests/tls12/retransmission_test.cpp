// Retransmission in virtual time (RFC 6347 4.2.4): the timer starts at the
// configured initial value, doubles up to the cap, gives up after the retry
// limit; a retransmitted last flight from the peer makes us resend ours, and
// nothing else does.
#include <gtest/gtest.h>

#include "tls12/mitm.hpp"
#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

using namespace std::chrono_literals;
using messages::HandshakeType;
using record::ContentType;

// The handshake bytes of a datagram (record headers, whose sequence numbers
// change on every retransmission, left out).
Bytes handshake_payload(std::span<const uint8_t> datagram) {
    Bytes out;
    for (const WireRecord& r : split_records(datagram)) out.insert(out.end(), r.body.begin(), r.body.end());
    return out;
}

struct TimerCase {
    const char* name;
    Duration initial;
    Duration max;
    unsigned max_retransmits;
};

const TimerCase kTimerCases[] = {
    // The default schedule takes 1+2+...+32 s and then 60 s three times,
    // 243 s: handshake_timeout must not cut it short.
    {"Defaults", 1s, 60s, 8},
    {"CappedEarly", 100ms, 400ms, 5},
    {"InitialIsMax", 1s, 1s, 3},
    {"NoRetransmissions", 250ms, 60s, 0},
};

class ClientHelloTimer : public ::testing::TestWithParam<TimerCase> {};

TEST_P(ClientHelloTimer, DoublesToTheCapThenFailsWithTimeout) {
    const TimerCase& c = GetParam();
    Config config;
    config.verify_peer = false;
    config.initial_retransmit_timeout = c.initial;
    config.max_retransmit_timeout = c.max;
    config.max_retransmits = c.max_retransmits;
    Instant now = Instant{} + 1h;
    auto made = Connection::client(config, now);
    ASSERT_TRUE(made) << made.error().to_string();
    Connection& client = *made;

    std::vector<Bytes> first = drain_datagrams(client);
    ASSERT_EQ(first.size(), 1u);
    const Bytes hello = handshake_payload(first[0]);

    Duration timer = c.initial;
    for (unsigned i = 1; i <= c.max_retransmits; ++i) {
        ASSERT_TRUE(client.next_timeout().has_value());
        ASSERT_EQ(*client.next_timeout() - now, timer) << "retransmission " << i;
        client.handle_timeout(now + timer - 1ns);  // early: nothing happens
        EXPECT_TRUE(drain_datagrams(client).empty()) << "resent before the timer expired, retransmission " << i;
        now += timer;
        client.handle_timeout(now);
        std::vector<Bytes> again = drain_datagrams(client);
        ASSERT_EQ(again.size(), 1u) << "retransmission " << i;
        EXPECT_EQ(handshake_payload(again[0]), hello) << "retransmission " << i << " is not the same ClientHello";
        EXPECT_EQ(client.stats().retransmissions, i);
        timer = std::min(timer * 2, c.max);
    }
    ASSERT_TRUE(client.next_timeout().has_value());
    ASSERT_EQ(*client.next_timeout() - now, timer) << "after the last retransmission";
    now += timer;
    client.handle_timeout(now);
    EXPECT_TRUE(drain_datagrams(client).empty());
    std::vector<Event> events;
    while (auto e = client.poll_event()) events.push_back(std::move(*e));
    expect_failure(client, events, ErrorCode::timeout, std::nullopt, "ClientHello");
    EXPECT_FALSE(client.next_timeout().has_value());
    EXPECT_EQ(client.stats().retransmissions, c.max_retransmits);
}

INSTANTIATE_TEST_SUITE_P(Cases, ClientHelloTimer, ::testing::ValuesIn(kTimerCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(Timers, NoTimerOnceEstablished) {
    Mitm m;
    ASSERT_TRUE(m.start());
    EXPECT_EQ(m.client->next_timeout(), m.now + m.client_config.initial_retransmit_timeout);
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();
    EXPECT_FALSE(m.client->next_timeout().has_value());
    EXPECT_FALSE(m.server_conn->next_timeout().has_value());
}

TEST(Timers, ServerResendsItsFlightWhenTheClientIsSilent) {
    Mitm m;
    ASSERT_TRUE(m.until_server_accepted());
    std::vector<Bytes> flight = drain_datagrams(*m.server_conn);
    ASSERT_FALSE(flight.empty());
    ASSERT_EQ(m.server_conn->next_timeout(), m.now + m.server_config.initial_retransmit_timeout);
    m.now += m.server_config.initial_retransmit_timeout;
    m.server_conn->handle_timeout(m.now);
    std::vector<Bytes> again = drain_datagrams(*m.server_conn);
    ASSERT_EQ(again.size(), flight.size());
    for (size_t i = 0; i < flight.size(); ++i) EXPECT_EQ(handshake_payload(again[i]), handshake_payload(flight[i]));
    EXPECT_EQ(m.server_conn->stats().retransmissions, 1u);
    // Delivering the resent flight completes the handshake.
    for (const Bytes& d : again) m.deliver_to_client(d);
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

TEST(Timers, ServerFailsWithTimeoutNamingItsFlight) {
    Mitm m;
    m.server_config.max_retransmits = 2;
    ASSERT_TRUE(m.until_server_accepted());
    for (int i = 0; i < 3 && m.server_conn->state() == State::handshaking; ++i) {
        drain_datagrams(*m.server_conn);
        m.now = *m.server_conn->next_timeout();
        m.server_conn->handle_timeout(m.now);
        m.drain_events();
    }
    expect_failure(*m.server_conn, m.server_events, ErrorCode::timeout, std::nullopt, "ServerHello..ServerHelloDone");
}

// --- The peer's retransmission makes us resend, nothing else does ----------

size_t count_with(const std::vector<Bytes>& datagrams, ContentType type) {
    size_t n = 0;
    for (const Bytes& d : datagrams) n += holds_content(d, type);
    return n;
}

TEST(PeerRetransmission, LostServerFinishedIsRecoveredByTheClientTimer) {
    int finished_flights_dropped = 0;
    Mitm m;
    m.filter = [&](Direction dir, Bytes d) -> std::vector<Bytes> {
        if (dir == Direction::to_client && holds_content(d, ContentType::change_cipher_spec) &&
            finished_flights_dropped == 0) {
            ++finished_flights_dropped;
            return {};
        }
        return {std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_EQ(finished_flights_dropped, 1);
    ASSERT_EQ(m.server_conn->state(), State::established);
    ASSERT_EQ(m.client->state(), State::handshaking);
    EXPECT_EQ(count_with(m.from_server, ContentType::change_cipher_spec), 1u);

    // The client's timer resends its final flight; the server, already
    // established, answers with its own final flight, exactly once.
    ASSERT_TRUE(m.fire_next_timer());
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
    EXPECT_EQ(m.client->stats().retransmissions, 1u);
    EXPECT_EQ(m.server_conn->stats().retransmissions, 1u);
    EXPECT_EQ(count_with(m.from_server, ContentType::change_cipher_spec), 2u);
    EXPECT_EQ(count_with(m.from_client, ContentType::change_cipher_spec), 2u);
    // The second Finished changed nothing at the server.
    EXPECT_EQ(count_complete(m.server_events), 1u);
    EXPECT_EQ(failed_event(m.server_events), nullptr);
    EXPECT_EQ(count_complete(m.client_events), 1u);
}

TEST(PeerRetransmission, ResentCookieClientHelloMakesTheServerResend) {
    Mitm m;
    ASSERT_TRUE(m.until_server_accepted());
    const std::vector<Bytes> flight = drain_datagrams(*m.server_conn);
    ASSERT_GE(m.from_client.size(), 2u);
    m.deliver_to_server(m.from_client[1]);  // the ClientHello with the cookie, again
    const std::vector<Bytes> again = drain_datagrams(*m.server_conn);
    ASSERT_EQ(again.size(), flight.size());
    EXPECT_EQ(handshake_payload(again.front()), handshake_payload(flight.front()));
    EXPECT_EQ(m.server_conn->stats().retransmissions, 1u);
}

// RFC 9147 5.8.1: a flight resent because the peer resent its own re-arms
// the timer, so the timer does not send it again soon after.
TEST(PeerRetransmission, AResendForThePeerRestartsTheTimer) {
    Mitm m;
    ASSERT_TRUE(m.until_server_accepted());
    drain_datagrams(*m.server_conn);
    ASSERT_EQ(m.server_conn->next_timeout(), m.now + 1s);
    m.now += 600ms;
    m.deliver_to_server(m.from_client.back());  // the ClientHello with the cookie, again
    ASSERT_FALSE(drain_datagrams(*m.server_conn).empty());
    EXPECT_EQ(m.server_conn->next_timeout(), m.now + 1s) << "a full period from the resend";
    EXPECT_EQ(m.server_conn->stats().retransmissions, 1u);
}

// RFC 6347 4.2.4, RFC 9147 5.8: copies of the peer's flight that arrive
// within one timer period draw one resent flight, however many there are and
// however many datagrams carry the flight (both browsers send a ClientHello
// in two). Both versions: DTLS 1.3's server resends on a repeated
// ClientHello the same way.
class OneResendPerPeriod : public ::testing::TestWithParam<ProtocolVersion> {};

TEST_P(OneResendPerPeriod, TwoHundredCopiesOfTheCookieHello) {
    Mitm m;
    m.client_config.max_version = m.server_config.max_version = GetParam();
    ASSERT_TRUE(m.until_server_accepted());
    const std::vector<Bytes> flight = drain_datagrams(*m.server_conn);
    const Bytes cookie_hello = m.from_client.back();
    size_t resent = 0;
    for (int i = 0; i < 200; ++i) {
        m.deliver_to_server(cookie_hello);
        resent += drain_datagrams(*m.server_conn).size();
        m.now += 4ms;  // 200 copies in 0.8 s
    }
    EXPECT_EQ(resent, flight.size()) << "one flight resent";
    EXPECT_EQ(m.server_conn->stats().retransmissions, 1u);
    // A copy one timer period (1 s) after that resend draws another.
    m.now += 200ms;
    m.deliver_to_server(cookie_hello);
    EXPECT_EQ(drain_datagrams(*m.server_conn).size(), flight.size());
}

TEST_P(OneResendPerPeriod, AClientHelloInTwoDatagramsIsOneRetransmission) {
    Mitm m;
    m.client_config.max_version = m.server_config.max_version = GetParam();
    // A small MTU and a long ALPN list spread the ClientHello over datagrams.
    m.client_config.mtu = Config::min_mtu;
    m.client_config.alpn = {std::string(100, 'a'), std::string(100, 'b')};
    m.server_config.alpn = {std::string(100, 'b')};
    ASSERT_TRUE(m.until_server_accepted());
    // Let the whole second hello arrive, then take the server's flight.
    while (m.client_to_server() > 0) {
    }
    const std::vector<Bytes> flight = drain_datagrams(*m.server_conn);
    ASSERT_FALSE(flight.empty());
    // The client's second flight: every datagram after its first hello.
    const std::vector<Bytes> second_hello(m.from_client.begin() + 1, m.from_client.end());
    ASSERT_GE(second_hello.size(), 2u) << "the ClientHello must span datagrams";
    size_t resent = 0;
    for (int copy = 0; copy < 5; ++copy) {
        for (const Bytes& d : second_hello) m.deliver_to_server(d);
        resent += drain_datagrams(*m.server_conn).size();
    }
    EXPECT_EQ(resent, flight.size()) << second_hello.size() << " datagrams, five times: one flight resent";
}

INSTANTIATE_TEST_SUITE_P(Versions, OneResendPerPeriod,
                         ::testing::Values(ProtocolVersion::dtls1_2, ProtocolVersion::dtls1_3),
                         [](const auto& info) { return info.param == ProtocolVersion::dtls1_2 ? "dtls12" : "dtls13"; });

TEST(PeerRetransmission, OlderMessagesDoNotMakeTheServerResend) {
    Mitm m;
    ASSERT_TRUE(m.until_server_accepted());
    drain_datagrams(*m.server_conn);
    ASSERT_GE(m.from_client.size(), 2u);
    for (int i = 0; i < 3; ++i) m.deliver_to_server(m.from_client[0]);  // the hello before the cookie
    EXPECT_TRUE(drain_datagrams(*m.server_conn).empty());
    EXPECT_EQ(m.server_conn->stats().retransmissions, 0u);
}

// A server flight spread over several datagrams (small MTU), so parts of it
// can be duplicated.
Mitm small_mtu_pair() {
    Mitm m;
    m.client_config.mtu = m.server_config.mtu = 256;
    return m;
}

TEST(PeerRetransmission, DuplicatesWithinTheCurrentFlightDoNotMakeTheClientResend) {
    Mitm m = small_mtu_pair();
    ASSERT_TRUE(m.until_server_accepted());
    const std::vector<Bytes> flight = drain_datagrams(*m.server_conn);
    ASSERT_GE(flight.size(), 3u);
    for (size_t i = 0; i + 1 < flight.size(); ++i) {
        m.deliver_to_client(flight[i]);
        m.deliver_to_client(flight[i]);
        m.deliver_to_client(flight[0]);
    }
    Bytes out;
    EXPECT_FALSE(m.client->poll_datagram(out)) << "the client answered before the flight was complete";
    m.deliver_to_client(flight.back());
    const std::vector<Bytes> answer = drain_datagrams(*m.client);
    EXPECT_EQ(count_with(answer, ContentType::change_cipher_spec), 1u) << "the final flight went out more than once";
    EXPECT_EQ(m.client->stats().retransmissions, 0u);
}

TEST(PeerRetransmission, OlderServerMessagesDoNotMakeTheClientResend) {
    Mitm m = small_mtu_pair();
    ASSERT_TRUE(m.until_server_accepted());
    const std::vector<Bytes> flight = drain_datagrams(*m.server_conn);
    ASSERT_GE(flight.size(), 3u);
    for (const Bytes& d : flight) m.deliver_to_client(d);
    const std::vector<Bytes> answer = drain_datagrams(*m.client);
    ASSERT_EQ(count_with(answer, ContentType::change_cipher_spec), 1u);
    // Datagrams of the server's flight that do not hold its last message.
    for (const Bytes& d : flight) {
        if (!holds_message(d, HandshakeType::server_hello_done)) m.deliver_to_client(d);
    }
    EXPECT_TRUE(drain_datagrams(*m.client).empty());
    EXPECT_EQ(m.client->stats().retransmissions, 0u);
    // The HelloVerifyRequest is older still.
    m.deliver_to_client(m.from_server.front());
    EXPECT_TRUE(drain_datagrams(*m.client).empty());
    EXPECT_EQ(m.client->stats().retransmissions, 0u);
}

TEST(PeerRetransmission, ServerResentFlightMakesTheClientResend) {
    Mitm m = small_mtu_pair();
    ASSERT_TRUE(m.until_server_accepted());
    const std::vector<Bytes> flight = drain_datagrams(*m.server_conn);
    for (const Bytes& d : flight) m.deliver_to_client(d);
    drain_datagrams(*m.client);  // the final flight, lost
    m.now += m.server_config.initial_retransmit_timeout;
    m.server_conn->handle_timeout(m.now);
    for (const Bytes& d : drain_datagrams(*m.server_conn)) m.deliver_to_client(d);
    const std::vector<Bytes> resent = drain_datagrams(*m.client);
    EXPECT_EQ(count_with(resent, ContentType::change_cipher_spec), 1u);
    EXPECT_EQ(m.client->stats().retransmissions, 1u);
    for (const Bytes& d : resent) m.deliver_to_server(d);
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

TEST(PeerRetransmission, DuplicateOfTheClientFinalFlightDoesNotMakeTheEstablishedServerResend) {
    // A copy of the same records (not a retransmission: same record
    // sequence numbers) says nothing about loss.
    Mitm m;
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();
    const Bytes& final_flight = m.from_client.back();
    ASSERT_TRUE(holds_content(final_flight, ContentType::change_cipher_spec));
    m.deliver_to_server(final_flight);
    EXPECT_TRUE(drain_datagrams(*m.server_conn).empty());
    EXPECT_EQ(m.server_conn->stats().retransmissions, 0u);
}

// The timer of a flight after the first starts at 1.5 times the round trip
// of the first (RFC 9147 5.8.2), in both versions: here the client's second
// ClientHello, sent when the cookie came back 200 ms after its first.
class TimerFromRoundTrip : public ::testing::TestWithParam<ProtocolVersion> {
protected:
    enum class Answer {
        first_copy,             // the server answers the only sending of the hello
        first_copy_after_resend,  // the hello is resent once (at 1 s); the server answers the first copy
        resent_copy,            // resent once; the server answers the resent copy
        echo_of_nothing,        // resent once; the answer's record number matches no copy
    };
    void SetUp() override { p.client_config.max_version = GetParam(); }
    // Sends the first hello (resent once as `answer` says), and answers
    // with the cookie `delay` after the first sending. Returns when the
    // client's second hello will be resent.
    std::optional<Instant> second_hello_deadline(Duration delay, Answer answer = Answer::first_copy) {
        if (!p.start()) return std::nullopt;
        const Instant sent = p.now;
        std::vector<uint8_t> hello, reply, d;
        EXPECT_TRUE(p.client->poll_datagram(hello));
        if (answer != Answer::first_copy) {
            p.now = *p.client->next_timeout();
            p.client->handle_timeout(p.now);
            while (p.client->poll_datagram(d)) {
                if (answer == Answer::resent_copy) hello = d;
            }
        }
        p.now = sent + delay;
        EXPECT_EQ(p.server->handle_datagram(p.client_address, hello, p.now, reply).outcome, Server::Outcome::reply);
        // A record sequence number (bytes 5..10 of the plaintext header)
        // the client never used.
        if (answer == Answer::echo_of_nothing) reply.at(5) = 0x7f;
        p.client->handle_datagram(reply, p.now);
        EXPECT_TRUE(p.client->poll_datagram(d)) << "the second hello";
        return p.client->next_timeout();
    }
    Pair p = make_dtls13_pair();
};

TEST_P(TimerFromRoundTrip, TheSecondHelloWaitsOneAndAHalfRoundTrips) {
    const std::optional<Instant> deadline = second_hello_deadline(200ms);
    ASSERT_TRUE(deadline);
    EXPECT_EQ(*deadline, p.now + 300ms);
}

// The cookie echoes the record number of the hello it answers (RFC 6347
// 4.2.1; the front door does so in both versions), so even after a resend
// the client knows which copy was answered and when that copy left.
TEST_P(TimerFromRoundTrip, AnAnswerToTheResentHelloMeasuresFromTheResend) {
    // Resent at 1 s, answered at 1.2 s: a round trip of 200 ms.
    const std::optional<Instant> deadline = second_hello_deadline(1200ms, Answer::resent_copy);
    ASSERT_TRUE(deadline);
    EXPECT_EQ(*deadline, p.now + 300ms);
}

TEST_P(TimerFromRoundTrip, ALateAnswerToTheFirstHelloMeasuresFromTheFirst) {
    // Resent at 1 s; the first copy's answer arrives at 1.2 s.
    const std::optional<Instant> deadline = second_hello_deadline(1200ms, Answer::first_copy_after_resend);
    ASSERT_TRUE(deadline);
    EXPECT_EQ(*deadline, p.now + 1800ms);
}

TEST_P(TimerFromRoundTrip, AnAnswerAfterAResendThatNamesNoCopyMeasuresNothing) {
    // It may answer either copy (RFC 9147 5.8.2): the initial value again.
    const std::optional<Instant> deadline = second_hello_deadline(1200ms, Answer::echo_of_nothing);
    ASSERT_TRUE(deadline);
    EXPECT_EQ(*deadline, p.now + 1s);
}

TEST_P(TimerFromRoundTrip, TurnedOffEveryFlightStartsAtTheInitialValue) {
    p.client_config.retransmit_timeout_from_round_trip = false;
    const std::optional<Instant> deadline = second_hello_deadline(200ms);
    ASSERT_TRUE(deadline);
    EXPECT_EQ(*deadline, p.now + 1s);
}

// A stateful server's ServerHello echoes the record number of the hello
// that created the connection only when first sent; its resends carry new
// numbers that may match a later copy of ours. So after a resent hello a
// ServerHello measures nothing, even when its number is one we used.
TEST(TimerFromRoundTripDtls12, AServerHelloAfterAResentHelloMeasuresNothing) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = ProtocolVersion::dtls1_2;
    ASSERT_TRUE(p.start());
    std::vector<uint8_t> hello, reply, cookie_hello, d;
    ASSERT_TRUE(p.client->poll_datagram(hello));
    p.now += 40ms;
    ASSERT_EQ(p.server->handle_datagram(p.client_address, hello, p.now, reply).outcome, Server::Outcome::reply);
    p.client->handle_datagram(reply, p.now);
    ASSERT_TRUE(p.client->poll_datagram(cookie_hello));  // record 1, timer 1.5 x 40 ms = 100 ms (the floor)
    ASSERT_EQ(p.client->next_timeout(), p.now + 100ms);
    p.now += 100ms;
    p.client->handle_timeout(p.now);  // the cookie hello again, as record 2
    while (p.client->poll_datagram(d)) {
    }
    p.now += 100ms;
    // The first copy (record 1) creates the connection; its ServerHello
    // carries record number 1, 200 ms after that copy left.
    auto answer = p.server->handle_datagram(p.client_address, cookie_hello, p.now, reply);
    ASSERT_EQ(answer.outcome, Server::Outcome::accepted);
    p.server_conn.emplace(std::move(*answer.connection));
    while (p.server_conn->poll_datagram(d)) p.client->handle_datagram(d, p.now);
    ASSERT_TRUE(p.client->poll_datagram(d)) << "the client's next flight";
    EXPECT_EQ(p.client->next_timeout(), p.now + 100ms) << "still the round trip the HelloVerifyRequest gave";
}

INSTANTIATE_TEST_SUITE_P(Versions, TimerFromRoundTrip,
                         ::testing::Values(ProtocolVersion::dtls1_2, ProtocolVersion::dtls1_3),
                         [](const auto& info) { return info.param == ProtocolVersion::dtls1_2 ? "dtls12" : "dtls13"; });

}  // namespace
}  // namespace dtls::test
