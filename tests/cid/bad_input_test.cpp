// Records a connection must drop silently (RFC 9146 4 and 6, RFC 6347
// 4.1.2.7): a tls12_cid record with another CID, one on a connection that
// negotiated no CID, one whose CID runs longer than ours, a plaintext one
// in epoch 0, and an RFC 6347 record where a CID is expected. Each is
// counted, named in the trace, and leaves the connection working.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "cid/cid_pair.hpp"
#include "wire/writer.hpp"

namespace dtls::test {
namespace {

struct Traced {
    Pair pair;
    std::shared_ptr<std::vector<std::string>> server_trace = std::make_shared<std::vector<std::string>>();

    Traced(std::optional<size_t> client_cid, std::optional<size_t> server_cid)
        : pair(cid_pair(client_cid, server_cid)) {
        pair.server_config.trace = [t = server_trace](std::string_view line) { t->emplace_back(line); };
    }

    bool traced(const std::string& text) const {
        for (const std::string& line : *server_trace) {
            if (line.find(text) != std::string::npos) return true;
        }
        return false;
    }

    // Hands `d` to the server; it must be dropped for `why`, and the
    // connection must then still carry data both ways.
    void expect_dropped(const Bytes& d, const std::string& why) {
        const uint64_t before = pair.server_conn->stats().records_dropped;
        server_trace->clear();
        pair.server_conn->handle_datagram(d, pair.now);
        EXPECT_EQ(pair.server_conn->stats().records_dropped, before + 1) << why;
        EXPECT_TRUE(traced(why)) << "no trace line says: " << why;
        EXPECT_EQ(pair.server_conn->state(), State::established);
        pair.drain_events();
        EXPECT_TRUE(Pair::data_of(pair.server_events).empty()) << why;
        EXPECT_FALSE(pair.server_conn->poll_event());
    }

    Bytes client_record(const std::string& text) {
        EXPECT_TRUE(pair.client->send(bytes_of(text), pair.now));
        Bytes d;
        EXPECT_TRUE(pair.client->poll_datagram(d));
        return d;
    }
};

// A tls12_cid header (RFC 9146 4) and a body.
Bytes cid_record(uint16_t epoch, uint64_t sequence, const Bytes& cid, const Bytes& body) {
    Bytes out;
    wire::Writer w(out);
    w.u8(25);
    w.u16(0xfefd);
    w.u16(epoch);
    w.u48(sequence);
    w.bytes(cid);
    w.vec16(body);
    return out;
}

TEST(CidBadInput, ARecordWithAnotherCidIsDropped) {
    Traced t(0, 6);
    ASSERT_TRUE(t.pair.handshake()) << t.pair.describe();
    Bytes d = t.client_record("x");
    d[11] ^= 0x55;
    t.expect_dropped(d, "connection ID that is not ours");
    expect_data_both_ways(t.pair);
}

TEST(CidBadInput, ATls12CidRecordWithoutNegotiatedCidsIsDropped) {
    Traced t(std::nullopt, std::nullopt);
    ASSERT_TRUE(t.pair.handshake()) << t.pair.describe();
    // Without a CID of ours to skip, the receiver frames it as RFC 6347's
    // header: the type alone gives it away.
    t.expect_dropped(cid_record(1, 5, {}, Bytes(40, 0)), "no connection ID was negotiated");
    // With CID bytes, the length is read from them and does not fit.
    t.expect_dropped(cid_record(1, 6, {0x7f, 0x7f}, Bytes(40, 0)), "truncated record");
    expect_data_both_ways(t.pair);
}

// The client asked for no CID: the server's records to it have none, and
// one that claims one is dropped.
TEST(CidBadInput, ATls12CidRecordInADirectionWithoutCidIsDropped) {
    Traced t(0, 4);
    ASSERT_TRUE(t.pair.handshake()) << t.pair.describe();
    const uint64_t before = t.pair.client->stats().records_dropped;
    t.pair.client->handle_datagram(cid_record(1, 5, {}, Bytes(40, 0)), t.pair.now);
    EXPECT_EQ(t.pair.client->stats().records_dropped, before + 1);
    expect_data_both_ways(t.pair);
}

// A record whose CID runs one byte past ours: framed with our length, its
// length field is wrong, and it fails.
TEST(CidBadInput, ARecordClaimingALongerCidIsDropped) {
    Traced t(0, 4);
    ASSERT_TRUE(t.pair.handshake()) << t.pair.describe();
    Bytes d = t.client_record("longer");
    d.insert(d.begin() + 11 + 4, 0x99);
    const uint64_t before = t.pair.server_conn->stats().records_dropped;
    t.pair.server_conn->handle_datagram(d, t.pair.now);
    EXPECT_GT(t.pair.server_conn->stats().records_dropped, before);
    EXPECT_EQ(t.pair.server_conn->state(), State::established);
    t.pair.drain_events();
    EXPECT_TRUE(Pair::data_of(t.pair.server_events).empty());
    // And a CID that stops short of ours leaves too few bytes for a record.
    const Bytes truncated(d.begin(), d.begin() + 11 + 3);
    t.pair.server_conn->handle_datagram(truncated, t.pair.now);
    EXPECT_GT(t.pair.server_conn->stats().records_dropped, before + 1);
    expect_data_both_ways(t.pair);
}

TEST(CidBadInput, APlaintextTls12CidRecordInEpochZeroIsDropped) {
    Traced t(0, 4);
    ASSERT_TRUE(t.pair.handshake()) << t.pair.describe();
    const Bytes ours = t.pair.server_conn->negotiated().our_connection_id;
    t.expect_dropped(cid_record(0, 9, ours, Bytes(30, 22)), "epoch 0");
    expect_data_both_ways(t.pair);
}

// RFC 9146 3: where a CID is expected, a record without one is invalid.
// conformance: RFC9146-3-5 RFC9146-3-6
TEST(CidBadInput, ARecordWithoutTheExpectedCidIsDropped) {
    Traced t(0, 4);
    ASSERT_TRUE(t.pair.handshake()) << t.pair.describe();
    Bytes d = t.client_record("no cid");
    // Rewrite the header to RFC 6347's: type application_data, no CID.
    Bytes plain = {23};
    plain.insert(plain.end(), d.begin() + 1, d.begin() + 11);
    plain.insert(plain.end(), d.begin() + 11 + 4, d.end());
    t.expect_dropped(plain, "without our connection ID");
    expect_data_both_ways(t.pair);
}

// An inner plaintext of zeros only has no content type.
// conformance: RFC9146-6-2
TEST(CidBadInput, ARecordThatDoesNotAuthenticateIsDropped) {
    Traced t(0, 4);
    ASSERT_TRUE(t.pair.handshake()) << t.pair.describe();
    Bytes d = t.client_record("tampered");
    d[d.size() - 20] ^= 1;
    t.expect_dropped(d, "does not authenticate");
    expect_data_both_ways(t.pair);
}

// Every DTLS 1.2 suite we speak, with CIDs both ways: CCM and CCM_8 carry
// an explicit nonce as GCM does, ChaCha20 none.
TEST(CidRecords, EverySuiteCarriesDataBothWays) {
    const CipherSuite suites[] = {
        CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256,        CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384,
        CipherSuite::ecdhe_ecdsa_chacha20_poly1305_sha256, CipherSuite::ecdhe_ecdsa_aes128_ccm,
        CipherSuite::ecdhe_ecdsa_aes128_ccm8,
    };
    for (CipherSuite suite : suites) {
        Pair p = cid_pair(3, 7);
        p.client_config.cipher_suites = p.server_config.cipher_suites = {suite};
        ASSERT_TRUE(p.handshake()) << to_string(suite) << ": " << p.describe();
        EXPECT_EQ(p.client->negotiated().cipher_suite, suite);
        expect_data_both_ways(p, to_string(suite));
    }
}

}  // namespace
}  // namespace dtls::test
