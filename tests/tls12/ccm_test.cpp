// The RFC 7251 AES-CCM suites between our client and our server:
// TLS_ECDHE_ECDSA_WITH_AES_128_CCM (16-byte tag) and
// TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8 (8-byte tag, RFC 7925's suite for
// constrained devices). Each handshakes and carries data both ways; its
// records carry RFC 6655's 8-byte explicit nonce and the suite's tag; a record
// with a changed tag bit is dropped; the shorter tag gives CCM_8 eight more
// payload bytes at the same MTU; neither suite is offered unless configured,
// and neither can be used with an RSA certificate.
#include <gtest/gtest.h>

#include <algorithm>

#include "tls12/mitm.hpp"

namespace dtls::test {
namespace {

using record::ContentType;
using record::kDtls12HeaderLength;

constexpr size_t kExplicitNonceLength = 8;  // RFC 6655 3

struct CcmCase {
    CipherSuite suite;
    size_t tag_length;
    KeyKind key;
};

std::string name_of(const ::testing::TestParamInfo<CcmCase>& info) {
    std::string name = info.param.suite == CipherSuite::ecdhe_ecdsa_aes128_ccm8 ? "Ccm8" : "Ccm";
    switch (info.param.key) {
        case KeyKind::ecdsa_p256: return name + "EcdsaP256";
        case KeyKind::ecdsa_p384: return name + "EcdsaP384";
        case KeyKind::ed25519: return name + "Ed25519";
        case KeyKind::rsa2048: return name + "Rsa2048";
    }
    return name;
}

// Both sides configured with only `suite` (neither is in the default list).
Mitm ccm_pair(CipherSuite suite, KeyKind key = KeyKind::ecdsa_p256) {
    Mitm m;
    m.client_config.cipher_suites = m.server_config.cipher_suites = {suite};
    m.server_config.credential = server_credential(key);
    return m;
}

// The one application-data record in what `c` has to send now.
WireRecord sent_application_record(Connection& c) {
    std::vector<Bytes> out = drain_datagrams(c);
    EXPECT_EQ(out.size(), 1u);
    if (out.empty()) return {};
    std::vector<WireRecord> records = split_records(out[0]);
    EXPECT_EQ(records.size(), 1u);
    if (records.empty()) return {};
    EXPECT_EQ(records[0].header.type, ContentType::application_data);
    return records[0];
}

std::string last_data(const std::vector<Event>& events) {
    for (auto it = events.rbegin(); it != events.rend(); ++it) {
        if (auto* d = std::get_if<event::ApplicationData>(&*it)) return std::string(d->data.begin(), d->data.end());
    }
    return "<none>";
}

class CcmSuites : public ::testing::TestWithParam<CcmCase> {};

TEST_P(CcmSuites, HandshakeAgreesAndCarriesDataBothWays) {
    const CcmCase& c = GetParam();
    Mitm m = ccm_pair(c.suite, c.key);
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();
    EXPECT_EQ(m.client->negotiated().cipher_suite, c.suite);
    EXPECT_EQ(m.server_conn->negotiated().cipher_suite, c.suite);
    EXPECT_EQ(m.client->negotiated().version, ProtocolVersion::dtls1_2);

    // Several records each way, so the explicit nonce moves on between them.
    for (int i = 0; i < 3; ++i) {
        const std::string to_server = "hello server " + std::to_string(i);
        const std::string to_client = "hello client " + std::to_string(i);
        ASSERT_TRUE(m.client->send(span_of(to_server), m.now));
        ASSERT_TRUE(m.server_conn->send(span_of(to_client), m.now));
        m.pump();
        EXPECT_EQ(last_data(m.server_events), to_server);
        EXPECT_EQ(last_data(m.client_events), to_client);
    }
    EXPECT_EQ(m.client->stats().records_dropped, 0u);
    EXPECT_EQ(m.server_conn->stats().records_dropped, 0u);
}

// RFC 6655 3 / RFC 7251 2: the record body is the 8-byte explicit nonce (here
// the record's epoch||sequence), the ciphertext, as long as the plaintext,
// and the tag: 16 bytes for CCM, 8 for CCM_8.
TEST_P(CcmSuites, RecordCarriesExplicitNonceAndTheSuitesTag) {
    const CcmCase& c = GetParam();
    Mitm m = ccm_pair(c.suite, c.key);
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();

    for (Connection* side : {&*m.client, &*m.server_conn}) {
        const std::string text = "twenty-one bytes long";
        ASSERT_TRUE(side->send(span_of(text), m.now));
        WireRecord rec = sent_application_record(*side);
        EXPECT_EQ(rec.header.epoch, 1);
        ASSERT_EQ(rec.body.size(), kExplicitNonceLength + text.size() + c.tag_length);
        uint64_t explicit_nonce = 0;
        for (size_t i = 0; i < kExplicitNonceLength; ++i) explicit_nonce = (explicit_nonce << 8) | rec.body[i];
        EXPECT_EQ(explicit_nonce, (uint64_t{1} << 48) | rec.header.sequence);
        // Encrypted: the plaintext does not appear after the nonce.
        EXPECT_FALSE(std::equal(text.begin(), text.end(), rec.body.begin() + kExplicitNonceLength));
    }
}

// A record whose tag lost one bit is dropped and counted; the connection
// lives on, and the genuine record still arrives.
// conformance: RFC6347-4.1.2.1-1
TEST_P(CcmSuites, RecordWithOneFlippedTagBitIsDropped) {
    const CcmCase& c = GetParam();
    Mitm m = ccm_pair(c.suite, c.key);
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();

    const std::string text = "authentic";
    ASSERT_TRUE(m.client->send(span_of(text), m.now));
    std::vector<Bytes> out = drain_datagrams(*m.client);
    ASSERT_EQ(out.size(), 1u);
    const Bytes genuine = out[0];
    ASSERT_EQ(genuine.size(), kDtls12HeaderLength + kExplicitNonceLength + text.size() + c.tag_length);

    // The first tag byte, and the last (both ends of the tag matter).
    for (size_t at : {genuine.size() - c.tag_length, genuine.size() - 1}) {
        Bytes forged = genuine;
        forged[at] ^= 0x01;
        const uint64_t dropped = m.server_conn->stats().records_dropped;
        m.deliver_to_server(forged);
        EXPECT_EQ(m.server_conn->stats().records_dropped, dropped + 1) << "tag byte at " << at;
        EXPECT_EQ(last_data(m.server_events), "<none>") << "a forged record was delivered";
        EXPECT_EQ(m.server_conn->state(), State::established);
    }
    m.deliver_to_server(genuine);
    EXPECT_EQ(last_data(m.server_events), text);
}

INSTANTIATE_TEST_SUITE_P(Suites, CcmSuites,
                         ::testing::Values(CcmCase{CipherSuite::ecdhe_ecdsa_aes128_ccm, 16, KeyKind::ecdsa_p256},
                                           CcmCase{CipherSuite::ecdhe_ecdsa_aes128_ccm8, 8, KeyKind::ecdsa_p256},
                                           CcmCase{CipherSuite::ecdhe_ecdsa_aes128_ccm, 16, KeyKind::ecdsa_p384},
                                           CcmCase{CipherSuite::ecdhe_ecdsa_aes128_ccm8, 8, KeyKind::ed25519}),
                         name_of);

// The largest payload of an established connection at `mtu`, after checking
// that exactly that payload fills one datagram of exactly `mtu` bytes and
// arrives.
size_t max_payload_at(CipherSuite suite, size_t mtu) {
    Mitm m = ccm_pair(suite);
    m.client_config.mtu = m.server_config.mtu = mtu;
    if (!m.start()) return 0;
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
    if (!m.established()) return 0;
    for (const Bytes& d : m.from_client) EXPECT_LE(d.size(), mtu) << "handshake datagram over the MTU";
    for (const Bytes& d : m.from_server) EXPECT_LE(d.size(), mtu) << "handshake datagram over the MTU";

    const size_t max = m.client->max_payload();
    EXPECT_FALSE(m.client->send(span_of(std::string(max + 1, 'x')), m.now)) << "one byte over the maximum was sent";
    const std::string exact(max, 'y');
    EXPECT_TRUE(m.client->send(span_of(exact), m.now));
    std::vector<Bytes> out = drain_datagrams(*m.client);
    EXPECT_EQ(out.size(), 1u);
    if (out.size() != 1) return 0;
    EXPECT_EQ(out[0].size(), mtu) << "the largest payload does not fill the MTU exactly";
    m.deliver_to_server(out[0]);
    EXPECT_EQ(last_data(m.server_events), exact);
    return max;
}

// The MTU arithmetic follows the suite's tag: at the same MTU CCM_8 carries
// 8 bytes more than CCM, which carries as much as AES-128-GCM (same nonce and
// tag lengths).
TEST(CcmPayload, Ccm8CarriesEightBytesMoreThanCcmAtTheSameMtu) {
    for (size_t mtu : {size_t{Config::min_mtu}, size_t{1200}, size_t{1500}}) {
        const size_t ccm = max_payload_at(CipherSuite::ecdhe_ecdsa_aes128_ccm, mtu);
        const size_t ccm8 = max_payload_at(CipherSuite::ecdhe_ecdsa_aes128_ccm8, mtu);
        const size_t gcm = max_payload_at(CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256, mtu);
        EXPECT_EQ(ccm, mtu - kDtls12HeaderLength - kExplicitNonceLength - 16) << "MTU " << mtu;
        EXPECT_EQ(ccm8, ccm + 8) << "MTU " << mtu;
        EXPECT_EQ(ccm, gcm) << "MTU " << mtu;
    }
}

// Neither suite is in the default list: a client offering only CCM_8 finds
// no suite in common with a default server.
TEST(CcmDefaults, NeitherSuiteIsOfferedUnlessConfigured) {
    const std::vector<CipherSuite> defaults = Config{}.cipher_suites;
    for (CipherSuite s : {CipherSuite::ecdhe_ecdsa_aes128_ccm, CipherSuite::ecdhe_ecdsa_aes128_ccm8}) {
        EXPECT_EQ(std::count(defaults.begin(), defaults.end(), s), 0) << to_string(s);
    }

    Mitm m;
    m.client_config.cipher_suites = {CipherSuite::ecdhe_ecdsa_aes128_ccm8};
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.server_conn && m.server_conn->error()) << m.describe();
    EXPECT_EQ(m.server_conn->error()->alert, Alert::handshake_failure);
    ASSERT_TRUE(m.client->error());
    EXPECT_EQ(m.client->error()->alert, Alert::handshake_failure);
}

// RFC 7251's suites are ECDHE_ECDSA: a server with only an RSA certificate
// cannot choose them.
TEST(CcmDefaults, RsaCertificateCannotServeThem) {
    Mitm m = ccm_pair(CipherSuite::ecdhe_ecdsa_aes128_ccm, KeyKind::rsa2048);
    m.server_config.cipher_suites = {CipherSuite::ecdhe_ecdsa_aes128_ccm, CipherSuite::ecdhe_ecdsa_aes128_ccm8};
    m.client_config.cipher_suites = m.server_config.cipher_suites;
    ASSERT_TRUE(m.start());
    m.pump();
    EXPECT_FALSE(m.established());
    ASSERT_TRUE(m.server_conn && m.server_conn->error()) << m.describe();
    EXPECT_EQ(m.server_conn->error()->alert, Alert::handshake_failure);
}

TEST(CcmNames, IanaNames) {
    EXPECT_STREQ(to_string(CipherSuite::ecdhe_ecdsa_aes128_ccm), "TLS_ECDHE_ECDSA_WITH_AES_128_CCM");
    EXPECT_STREQ(to_string(CipherSuite::ecdhe_ecdsa_aes128_ccm8), "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8");
    EXPECT_EQ(static_cast<uint16_t>(CipherSuite::ecdhe_ecdsa_aes128_ccm), 0xC0AC);
    EXPECT_EQ(static_cast<uint16_t>(CipherSuite::ecdhe_ecdsa_aes128_ccm8), 0xC0AE);
    EXPECT_EQ(version_of(CipherSuite::ecdhe_ecdsa_aes128_ccm8), ProtocolVersion::dtls1_2);
}

}  // namespace
}  // namespace dtls::test
