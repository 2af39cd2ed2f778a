// DTLS 1.3 key usage limits on live connections (RFC 9147 4.5.3): a
// KeyUpdate of our own after the configured number of records; records that
// fail to authenticate first make us ask the peer for new keys, then end the
// connection at the limit, unless the key they hit is an old one, which is
// forgotten instead. (tests/record/ checks the limits and the epoch table.)
#include <gtest/gtest.h>

#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

// The low two bits of the epoch in a unified header (RFC 9147 4).
int epoch_bits(const std::vector<uint8_t>& datagram) {
    EXPECT_EQ(datagram.at(0) & 0xE0, 0x20) << "not a unified header";
    return datagram.at(0) & 3;
}

// A record whose tag no longer matches; its encrypted record number (masked
// with the first 16 bytes of the ciphertext) is untouched, so it stays fresh.
std::vector<uint8_t> with_broken_tag(std::vector<uint8_t> datagram) {
    datagram.back() ^= 1;
    return datagram;
}

std::vector<uint8_t> next_datagram(Connection& c) {
    std::vector<uint8_t> d;
    EXPECT_TRUE(c.poll_datagram(d));
    return d;
}

// A record long enough that its tag lies beyond the mask's sample.
std::string padded(const std::string& text) { return text + std::string(40, '.'); }

Pair ccm8_pair(uint64_t failure_limit) {
    Pair p = make_dtls13_pair();
    for (Config* c : {&p.client_config, &p.server_config}) {
        enable_dtls13(*c, false);
        c->cipher_suites = {CipherSuite::aes128_ccm8_sha256};
        c->dtls13_ccm8_failure_limit = failure_limit;
    }
    return p;
}

// conformance: RFC9147-4.5.3-2 RFC9325-4.4-1
TEST(KeyUsage, AKeyUpdateOnceTheConfiguredNumberOfRecordsIsSent) {
    Pair p = make_dtls13_pair();
    p.client_config.dtls13_key_update_records = 10;
    ASSERT_TRUE(p.handshake()) << p.describe();
    std::vector<int> bits;
    for (int i = 0; i < 25; ++i) {
        ASSERT_TRUE(p.client->send(bytes_of("record " + std::to_string(i)), p.now)) << i;
        // A KeyUpdate (flights go first), then the record itself.
        std::vector<std::vector<uint8_t>> out;
        for (std::vector<uint8_t> d; p.client->poll_datagram(d);) out.push_back(d);
        ASSERT_FALSE(out.empty());
        bits.push_back(epoch_bits(out.back()));
        EXPECT_EQ(out.size(), i == 9 || i == 19 ? 2u : 1u) << "record " << i;
        for (const auto& d : out) p.server_conn->handle_datagram(d, p.now);
        p.pump();  // the server's ACK
    }
    // Application data starts in epoch 3; the 10th record starts a KeyUpdate
    // whose ACK moves the 11th to epoch 4, and the 20th does it again.
    for (int i = 0; i < 25; ++i) EXPECT_EQ(bits[i], i < 10 ? 3 : i < 20 ? 0 : 1) << "record " << i;
    EXPECT_EQ(Pair::data_of(p.server_events).size(), 25u);
    EXPECT_EQ(p.server_conn->state(), State::established);
    // The server, with the suite's own limit (2^24.5 / 2), has not updated.
    ASSERT_TRUE(p.server_conn->send(bytes_of("still epoch 3"), p.now));
    EXPECT_EQ(epoch_bits(next_datagram(*p.server_conn)), 3);
}

// conformance: RFC9147-4.5.3-4 RFC9147-4.5.3-5 RFC9325-4.4-2
TEST(KeyUsage, ForgeriesAskThePeerForNewKeysThenCloseAtTheLimit) {
    Pair p = ccm8_pair(8);
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_TRUE(p.client->send(bytes_of(padded("genuine")), p.now));
    const std::vector<uint8_t> forged = with_broken_tag(next_datagram(*p.client));

    std::vector<uint8_t> d;
    for (int i = 1; i <= 3; ++i) {
        p.server_conn->handle_datagram(forged, p.now);
        EXPECT_FALSE(p.server_conn->poll_datagram(d)) << "forgery " << i << " is dropped silently";
    }
    // Half the limit: a KeyUpdate asking the client to update too. It is lost.
    p.server_conn->handle_datagram(forged, p.now);
    EXPECT_TRUE(p.server_conn->poll_datagram(d)) << "a KeyUpdate";
    EXPECT_TRUE(p.server_conn->next_timeout());
    for (int i = 5; i <= 7; ++i) {
        p.server_conn->handle_datagram(forged, p.now);
        EXPECT_FALSE(p.server_conn->poll_datagram(d)) << "forgery " << i << ": asked once per key";
        ASSERT_EQ(p.server_conn->state(), State::established);
    }
    p.server_conn->handle_datagram(forged, p.now);
    ASSERT_EQ(p.server_conn->state(), State::failed);
    ASSERT_TRUE(p.server_conn->error());
    EXPECT_EQ(p.server_conn->error()->fault, Fault::forgery_limit);
    EXPECT_EQ(p.server_conn->error()->alert, Alert::bad_record_mac);

    // The client reads the alert (under the keys it still has).
    ASSERT_TRUE(p.server_conn->poll_datagram(d));
    p.client->handle_datagram(d, p.now);
    ASSERT_EQ(p.client->state(), State::failed);
    EXPECT_EQ(p.client->error()->code, ErrorCode::alert_received);
    EXPECT_EQ(p.client->error()->alert, Alert::bad_record_mac);
}

TEST(KeyUsage, AnOldKeyAtItsFailureLimitIsForgottenNotFatal) {
    Pair p = ccm8_pair(8);
    ASSERT_TRUE(p.handshake()) << p.describe();
    // Three records in epoch 3, held back: two genuine, one forged.
    ASSERT_TRUE(p.client->send(bytes_of(padded("late 1")), p.now));
    const std::vector<uint8_t> late1 = next_datagram(*p.client);
    ASSERT_TRUE(p.client->send(bytes_of(padded("late 2")), p.now));
    const std::vector<uint8_t> late2 = next_datagram(*p.client);
    ASSERT_TRUE(p.client->send(bytes_of(padded("forged")), p.now));
    const std::vector<uint8_t> forged = with_broken_tag(next_datagram(*p.client));

    // Four failures: the server asks for new keys, and both sides update.
    for (int i = 0; i < 4; ++i) p.server_conn->handle_datagram(forged, p.now);
    p.pump();
    ASSERT_TRUE(p.client->send(bytes_of("new keys"), p.now));
    std::vector<uint8_t> d = next_datagram(*p.client);
    EXPECT_EQ(epoch_bits(d), 0) << "the client writes epoch 4";
    p.server_conn->handle_datagram(d, p.now);
    p.drain_events();
    EXPECT_EQ(Pair::data_of(p.server_events), std::vector<std::string>{"new keys"});

    // Epoch 3's key is kept for late records...
    p.server_conn->handle_datagram(late1, p.now);
    p.drain_events();
    EXPECT_EQ(Pair::data_of(p.server_events).size(), 2u) << "a late record of epoch 3 is still read";
    // ...until four more forgeries bring it to its limit: it is forgotten,
    // and the connection, reading epoch 4, goes on.
    for (int i = 0; i < 4; ++i) p.server_conn->handle_datagram(forged, p.now);
    EXPECT_EQ(p.server_conn->state(), State::established) << p.describe();
    p.server_conn->handle_datagram(late2, p.now);
    p.drain_events();
    EXPECT_EQ(Pair::data_of(p.server_events).size(), 2u) << "epoch 3 can no longer be read";
    p.server_events.clear();
    p.client_events.clear();
    expect_data_both_ways(p);
}

// conformance: RFC9147-4.5.3-6 RFC9147-4.5.3-7
TEST(KeyUsage, Ccm8NeedsAFailureLimit) {
    Pair p = ccm8_pair(0);
    auto refused = Connection::client(p.client_config, p.now);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(refused.error().reason.find("dtls13_ccm8_failure_limit"), std::string::npos) << refused.error().reason;
    // With DTLS 1.3 off, the suite is never used and needs no limit.
    p.client_config.min_version = p.client_config.max_version = ProtocolVersion::dtls1_2;
    p.client_config.cipher_suites.push_back(CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256);
    EXPECT_TRUE(Connection::client(p.client_config, p.now));
}

}  // namespace
}  // namespace dtls::test
