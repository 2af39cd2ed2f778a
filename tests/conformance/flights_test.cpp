// What our DTLS 1.3 handshakes put on the wire, message by message, read
// from each side's trace (Config::trace): the order of the server's flight,
// the epochs records and ACKs go in, alerts, close_notify and the size of
// every datagram. The trace describes what a side sent or received and
// parsed; the tests assert on those lines against RFC 8446 and RFC 9147.
// Each `// conformance:` line names the requirements of docs/conformance.md
// that the test below it checks.
#include <gtest/gtest.h>

#include <map>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

// Each side's trace lines, in order.
struct Traces {
    std::vector<std::string> client, server;
};

void record_traces(Pair& p, Traces& t) {
    p.client_config.trace = [&t](std::string_view line) { t.client.emplace_back(line); };
    p.server_config.trace = [&t](std::string_view line) { t.server.emplace_back(line); };
}

// The handshake messages a side received, in order (lines such as
// "   EncryptedExtensions message_seq 2 bytes 0..2 of 2"), with the epoch
// of the record that carried each.
struct Received {
    std::string message;
    unsigned epoch;
};

std::vector<Received> messages_received(const std::vector<std::string>& lines) {
    static const std::regex opened(R"(opened: \w+ epoch (\d+) seq)");
    static const std::regex plain(R"(record Handshake epoch (\d+) seq)");
    static const std::regex message(R"(^\s+(\w+) message_seq \d+ bytes)");
    std::vector<Received> out;
    unsigned epoch = 0;
    std::smatch m;
    for (const std::string& line : lines) {
        if (std::regex_search(line, m, opened) || std::regex_search(line, m, plain)) {
            epoch = static_cast<unsigned>(std::stoul(m[1]));
        } else if (std::regex_search(line, m, message)) {
            out.push_back({m[1], epoch});
        }
    }
    return out;
}

std::vector<std::string> names_of(const std::vector<Received>& r) {
    std::vector<std::string> out;
    for (const Received& x : r) out.push_back(x.message);
    return out;
}

bool contains(const std::vector<std::string>& lines, const std::string& text) {
    return std::any_of(lines.begin(), lines.end(), [&](const std::string& l) { return l.find(text) != std::string::npos; });
}

// conformance: RFC8446-4-1 RFC8446-4.3.1-1 RFC8446-4.3.2-1 RFC8446-4.4.2-1 RFC8446-4.4.3-1 RFC8446-4.4.3-3
// conformance: RFC8446-4.4.4-2 RFC9147-7-4 RFC9147-7-5 RFC9147-7-6 RFC9147-7.1-3
TEST(ConformanceFlights13, TheServerFlightInOrderAndTheAckInTheApplicationEpoch) {
    Pair p = make_dtls13_pair();
    p.server_config.client_auth = ClientAuth::request;
    p.server_config.ca_pem = dtls13_test_ca().cert_pem();
    Traces t;
    record_traces(p, t);
    ASSERT_TRUE(p.handshake()) << p.describe();

    const std::vector<Received> at_client = messages_received(t.client);
    // After the HelloRetryRequest (a ServerHello in epoch 0): the flight.
    ASSERT_GE(at_client.size(), 7u);
    const std::vector<Received> flight(at_client.end() - 6, at_client.end());
    EXPECT_EQ(names_of(flight), (std::vector<std::string>{"ServerHello", "EncryptedExtensions", "CertificateRequest",
                                                           "Certificate", "CertificateVerify", "Finished"}));
    EXPECT_EQ(flight[0].epoch, 0u);
    for (size_t i = 1; i < flight.size(); ++i) EXPECT_EQ(flight[i].epoch, 2u) << flight[i].message;

    // The server's ACK of the client's Finished (epoch 2 records) comes in
    // epoch 3, the application epoch, once the server's Finished is sent.
    EXPECT_TRUE(contains(t.server, "-> ACK of 2 records"));
    EXPECT_TRUE(contains(t.client, "opened: ACK epoch 3"));
    EXPECT_FALSE(contains(t.client, "opened: ACK epoch 2"));
    // The client's Finished acknowledges the server's flight implicitly: no ACK from the client.
    EXPECT_FALSE(contains(t.client, "-> ACK"));
}

// conformance: RFC8446-4.3.2-7
TEST(ConformanceFlights13, AServerAuthenticatingWithAPskSendsNoCertificateRequest) {
    Pair p;
    enable_dtls13(p.client_config, false);
    enable_dtls13(p.server_config, false);
    p.client_config.psk.emplace("device-9", Bytes(32, 0x5A));
    p.server_config.psk.emplace("device-9", Bytes(32, 0x5A));
    p.server_config.client_auth = ClientAuth::request;
    p.server_config.ca_pem = dtls13_test_ca().cert_pem();
    p.server_config.credential =
        std::make_shared<Credential>(credential_of(issue_from_test_ca(KeyKind::ecdsa_p256, "server.test")));
    Traces t;
    record_traces(p, t);
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_EQ(p.client->negotiated().psk_identity, "device-9");
    const std::vector<std::string> names = names_of(messages_received(t.client));
    ASSERT_GE(names.size(), 3u);
    EXPECT_EQ(std::vector<std::string>(names.end() - 3, names.end()),
              (std::vector<std::string>{"ServerHello", "EncryptedExtensions", "Finished"}));
}

// conformance: RFC8446-6.1-4 RFC8446-6-1
TEST(ConformanceAlerts13, CloseNotifyIsSentBeforeClosingAndEndsThePeersData) {
    Pair p = make_dtls13_pair();
    Traces t;
    record_traces(p, t);
    ASSERT_TRUE(p.handshake()) << p.describe();
    p.drain_events();
    p.client->close(p.now);
    p.pump();
    EXPECT_TRUE(contains(t.server, "alert warning close_notify"));
    EXPECT_EQ(p.server_conn->state(), State::closed);
    ASSERT_FALSE(p.server_events.empty());
    EXPECT_TRUE(std::holds_alternative<event::Closed>(p.server_events.back()));
    EXPECT_EQ(p.client->send(bytes_of("late"), p.now).error().code, ErrorCode::closed);
}

// conformance: RFC8446-6-2 RFC8446-6.2-1 RFC8446-6.2-2 RFC8446-6.2-4
TEST(ConformanceAlerts13, AFatalAlertIsSentAsFatalAndEndsBothSides) {
    Pair p = make_dtls13_pair();
    p.server_config.client_auth = ClientAuth::require;
    p.server_config.ca_pem = dtls13_test_ca().cert_pem();
    Traces t;
    record_traces(p, t);
    ASSERT_FALSE(p.handshake());
    ASSERT_TRUE(p.server_conn);
    EXPECT_TRUE(contains(t.client, "alert fatal certificate_required"));
    ASSERT_EQ(p.server_conn->state(), State::failed);
    ASSERT_EQ(p.client->state(), State::failed);
    // Neither side sends or takes data any more.
    EXPECT_FALSE(p.client->send(bytes_of("after"), p.now));
    EXPECT_FALSE(p.server_conn->send(bytes_of("after"), p.now));
    Bytes d;
    EXPECT_FALSE(p.client->poll_datagram(d));
    EXPECT_FALSE(p.server_conn->poll_datagram(d));
}

// conformance: RFC9147-4.3-1 RFC9147-4.3-2 RFC9147-4.3-4 RFC9147-5.5-2 RFC9147-4.4-2 RFC9147-4.4-12 RFC9147-5.5-1
TEST(ConformanceDatagrams13, EveryDatagramFitsASmallMtuAndLargeMessagesAreFragmented) {
    for (size_t mtu : {300u, 1200u}) {
        SCOPED_TRACE("MTU " + std::to_string(mtu));
        Pair p = make_dtls13_pair(KeyKind::rsa2048);
        p.client_config.mtu = p.server_config.mtu = mtu;
        Traces t;
        record_traces(p, t);
        ASSERT_TRUE(p.handshake()) << p.describe();
        ASSERT_TRUE(p.client->set_mtu(mtu));
        const std::string payload(p.client->max_payload(), 'x');
        ASSERT_TRUE(p.client->send(bytes_of(payload), p.now));
        p.pump();
        p.drain_events();
        EXPECT_EQ(Pair::data_of(p.server_events).back(), payload);
        static const std::regex sent(R"(-> datagram (\d+) bytes)");
        size_t datagrams = 0;
        std::smatch m;
        for (const auto* lines : {&t.client, &t.server}) {
            for (const std::string& line : *lines) {
                if (!std::regex_search(line, m, sent)) continue;
                ++datagrams;
                EXPECT_LE(std::stoul(m[1]), mtu) << line;
            }
        }
        EXPECT_GT(datagrams, 3u);
        // The RSA certificate is larger than 300 bytes: it came in fragments.
        static const std::regex certificate(R"(Certificate message_seq \d+ bytes (\d+)\.\.(\d+) of (\d+))");
        bool fragmented = false;
        size_t next = 0;  // the fragments follow each other, without overlap
        for (const std::string& line : t.client) {
            if (!std::regex_search(line, m, certificate)) continue;
            if (m[2] != m[3]) fragmented = true;
            EXPECT_EQ(std::stoul(m[1]), next) << line;
            next = std::stoul(m[2]) == std::stoul(m[3]) ? 0 : std::stoul(m[2]);
        }
        EXPECT_EQ(fragmented, mtu == 300u);
    }
}

// conformance: RFC9147-4.4-4 RFC9147-4.4-5 RFC8446-5.2-1 RFC8446-5.4-5
TEST(ConformanceDatagrams13, NoRecordOver16KiBAndTheLargestPayloadIsReported) {
    Pair p = make_dtls13_pair();
    size_t largest_sent = 0;
    p.client_config.trace = [&largest_sent](std::string_view line) {
        static const std::regex sent(R"(-> datagram (\d+) bytes)");
        std::match_results<std::string_view::const_iterator> m;
        if (std::regex_search(line.begin(), line.end(), m, sent)) largest_sent = std::max<size_t>(largest_sent, std::stoul(m[1]));
    };
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_TRUE(p.client->set_mtu(65535));
    const size_t max = p.client->max_payload();
    EXPECT_EQ(max, 16384u);
    EXPECT_EQ(p.client->send(bytes_of(std::string(max + 1, 'x')), p.now).error().code, ErrorCode::message_too_large);
    ASSERT_TRUE(p.client->send(bytes_of(std::string(max, 'y')), p.now));
    p.pump();
    p.drain_events();
    EXPECT_EQ(Pair::data_of(p.server_events).back().size(), max);
    // The record that carried it: at most 2^14 + 256 bytes of ciphertext
    // behind a unified header of at most 5 bytes.
    EXPECT_LE(largest_sent, 16384u + 256 + 5);
    EXPECT_GT(largest_sent, 16384u);
    // At a small MTU the payload shrinks by the record's overhead.
    ASSERT_TRUE(p.client->set_mtu(500));
    EXPECT_LT(p.client->max_payload(), 500u);
    EXPECT_GT(p.client->max_payload(), 500u - 64);
}

// What the records of a whole DTLS 1.3 handshake, some data and a
// close_notify hold, as each receiver's trace lists them.
// conformance: RFC8446-5-4 RFC8446-5.1-4 RFC8446-5.1-6 RFC8446-5.1-7 RFC8446-5.1-8 RFC8446-5.1-9 RFC8446-5.1-15
// conformance: RFC8446-5.3-1 RFC8446-5.4-2 RFC8446-5.1-12
TEST(ConformanceRecords13, RecordsOfDefinedTypesEachKeyFromSequenceZeroHellosAlignedAlertsAlone) {
    Pair p = make_dtls13_pair();
    p.server_config.client_auth = ClientAuth::request;
    p.server_config.ca_pem = dtls13_test_ca().cert_pem();
    Traces t;
    record_traces(p, t);
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_TRUE(p.client->send(bytes_of("data"), p.now));
    ASSERT_TRUE(p.server_conn->send(bytes_of("data"), p.now));
    p.pump();
    p.client->close(p.now);
    p.pump();

    static const std::regex plain(R"(record (\w+) epoch (\d+) seq (\d+) length (\d+))");
    static const std::regex protected_record(R"(record \(unified header\) epoch bits \d+ length (\d+))");
    static const std::regex opened(R"(opened: (\w+) epoch (\d+) seq (\d+))");
    static const std::regex fragment(R"(^\s+(\w+) message_seq \d+ bytes (\d+)\.\.(\d+) of (\d+))");
    const std::set<std::string> defined = {"Handshake", "Alert", "ApplicationData", "ACK"};
    for (const auto* lines : {&t.client, &t.server}) {
        std::map<unsigned, unsigned> first_seq;  // per epoch, the first record's sequence number
        std::string record_type;
        size_t record_length = 0;
        std::smatch m;
        for (size_t i = 0; i < lines->size(); ++i) {
            const std::string& line = (*lines)[i];
            if (std::regex_search(line, m, plain)) {
                record_type = m[1];
                record_length = std::stoul(m[4]);
                EXPECT_LE(record_length, 16384u) << line;
                EXPECT_TRUE(defined.count(record_type)) << line;
                EXPECT_NE(record_type, "ApplicationData") << "application data in plaintext: " << line;
                first_seq.emplace(static_cast<unsigned>(std::stoul(m[2])), static_cast<unsigned>(std::stoul(m[3])));
                // A plaintext record holds one whole hello: nothing of it
                // crosses into the records of the next epoch.
                if (record_type == "Handshake" && i + 1 < lines->size() &&
                    std::regex_search((*lines)[i + 1], m, fragment)) {
                    EXPECT_EQ(m[2], "0") << (*lines)[i + 1];
                    EXPECT_EQ(m[3], m[4]) << (*lines)[i + 1];
                    EXPECT_EQ(record_length, 12 + std::stoul(m[4])) << "more than the hello in its record";
                }
            } else if (std::regex_search(line, m, protected_record)) {
                record_length = std::stoul(m[1]);
            } else if (std::regex_search(line, m, opened)) {
                record_type = m[1];
                EXPECT_TRUE(defined.count(record_type)) << line;
                first_seq.emplace(static_cast<unsigned>(std::stoul(m[2])), static_cast<unsigned>(std::stoul(m[3])));
                // An alert record: two bytes, the content type, a 16-byte tag.
                if (record_type == "Alert") {
                    EXPECT_EQ(record_length, 2u + 1 + 16) << line;
                }
                // Content beyond the inner content type and the tag.
                if (record_type == "Handshake") {
                    EXPECT_GT(record_length, 1u + 16) << line;
                }
            } else if (std::regex_search(line, m, fragment)) {
                EXPECT_NE(m[2], m[3]) << "an empty fragment of a message that is not empty: " << line;
            }
        }
        // Each traffic key starts from sequence number 0 (epoch 0 has no key;
        // a server's second hello follows the first one's number).
        for (const auto& [epoch, seq] : first_seq) {
            if (epoch >= 2) {
                EXPECT_EQ(seq, 0u) << "epoch " << epoch;
            }
        }
        EXPECT_TRUE(first_seq.count(2) && first_seq.count(3));
    }
}

}  // namespace
}  // namespace dtls::test
