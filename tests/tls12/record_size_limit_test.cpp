// record_size_limit (RFC 8449) and max_fragment_length (RFC 6066 4), DTLS
// 1.2 and DTLS 1.3, our client against our server: what is negotiated and
// reported, max_payload(), and the size of every protected record on the
// wire. The receiving side's record_overflow is in tests/evil.
#include <gtest/gtest.h>

#include "messages/codec.hpp"
#include "messages/extensions.hpp"
#include "record/datagram_reader.hpp"
#include "support/certs.hpp"
#include "tls12/pair.hpp"
#include "tls12/record_size_negotiation.hpp"
#include "wire/reader.hpp"
#include "wire/writer.hpp"

namespace dtls::test {
namespace {

const TestCa& ca() {
    static TestCa c = TestCa::create(KeyKind::ecdsa_p256);
    return c;
}

Pair make_pair(ProtocolVersion version) {
    Pair p;
    IssueOptions names;
    names.dns_names = {"server.test"};
    p.server_config.credential =
        std::make_shared<Credential>(credential_of(ca().issue(KeyKind::ecdsa_p256, "server.test", names)));
    p.client_config.ca_pem = ca().cert_pem();
    p.client_config.server_name = "server.test";
    for (Config* c : {&p.client_config, &p.server_config}) c->min_version = c->max_version = version;
    return p;
}

// The largest protected record body (ciphertext) in `datagrams`.
size_t largest_protected_body(const std::vector<Bytes>& datagrams) {
    size_t largest = 0;
    for (Bytes d : datagrams) {
        record::DatagramReader reader(d, 0);
        record::FramedRecord framed;
        for (;;) {
            const auto next = reader.next(framed);
            if (next == record::DatagramReader::Next::end) break;
            if (next != record::DatagramReader::Next::record) continue;
            const bool protected_record = framed.format == record::HeaderFormat::unified || framed.epoch != 0;
            if (protected_record) largest = std::max(largest, framed.body.size());
        }
    }
    return largest;
}

// Moves datagrams like Pair::pump, keeping a copy of each.
struct Recorder {
    std::vector<Bytes> to_server, to_client;

    void pump(Pair& p) {
        std::vector<uint8_t> d, reply;
        for (int round = 0; round < 100; ++round) {
            bool moved = false;
            while (p.client->poll_datagram(d)) {
                moved = true;
                to_server.push_back(d);
                if (p.server_conn) {
                    p.server_conn->handle_datagram(d, p.now);
                } else {
                    auto answer = p.server->handle_datagram(p.client_address, d, p.now, reply);
                    if (answer.outcome == Server::Outcome::reply) {
                        to_client.push_back(reply);
                        p.client->handle_datagram(reply, p.now);
                    } else if (answer.outcome == Server::Outcome::accepted) {
                        p.server_conn.emplace(std::move(*answer.connection));
                    }
                }
            }
            while (p.server_conn && p.server_conn->poll_datagram(d)) {
                moved = true;
                to_client.push_back(d);
                p.client->handle_datagram(d, p.now);
            }
            p.drain_events();
            if (!moved) break;
        }
    }
};

// AEAD expansion of a protected record's body beyond its plaintext, at most:
// DTLS 1.2 GCM's explicit nonce and tag; DTLS 1.3's tag (the content type
// byte is inside the limit).
constexpr size_t kMaxExpansion = 8 + 16;

class RecordSizeLimit : public ::testing::TestWithParam<ProtocolVersion> {
protected:
    bool dtls13() const { return GetParam() == ProtocolVersion::dtls1_3; }
    // The value on the wire for `content` bytes of plaintext.
    uint16_t wire_value(uint16_t content) const { return static_cast<uint16_t>(content + (dtls13() ? 1 : 0)); }
};

TEST_P(RecordSizeLimit, NegotiatedReportedAndRespectedByBothSides) {
    Pair p = make_pair(GetParam());
    p.client_config.record_size_limit = 100;
    p.server_config.record_size_limit = 200;
    ASSERT_TRUE(p.start());
    Recorder r;
    r.pump(p);
    ASSERT_EQ(p.client->state(), State::established) << p.describe();
    ASSERT_EQ(p.server_conn->state(), State::established) << p.describe();

    const Negotiated& c = p.client->negotiated();
    const Negotiated& s = p.server_conn->negotiated();
    EXPECT_EQ(c.peer_record_size_limit, wire_value(200));
    EXPECT_EQ(c.record_size_limit, wire_value(100));
    EXPECT_EQ(s.peer_record_size_limit, wire_value(100));
    EXPECT_EQ(s.record_size_limit, wire_value(200));
    EXPECT_FALSE(c.max_fragment_length);

    EXPECT_EQ(p.server_conn->max_payload(), 100u);
    EXPECT_EQ(p.client->max_payload(), 200u);
    const std::string too_big(101, 'x');
    EXPECT_EQ(p.server_conn->send(bytes_of(too_big), p.now).error().code, ErrorCode::message_too_large);
    ASSERT_TRUE(p.server_conn->send(bytes_of(std::string(100, 'y')), p.now));
    ASSERT_TRUE(p.client->send(bytes_of(std::string(200, 'z')), p.now));
    r.pump(p);
    EXPECT_EQ(Pair::data_of(p.client_events).back(), std::string(100, 'y'));
    EXPECT_EQ(Pair::data_of(p.server_events).back(), std::string(200, 'z'));

    // The server's Certificate is far over 100 bytes: only fragmenting to
    // the client's limit keeps every protected record within it.
    EXPECT_LE(largest_protected_body(r.to_client), 100 + kMaxExpansion);
    EXPECT_LE(largest_protected_body(r.to_server), 200 + kMaxExpansion);
    EXPECT_GT(largest_protected_body(r.to_server),
              100 + kMaxExpansion);  // the limits differ by direction
}

TEST_P(RecordSizeLimit, AServerWithoutALimitAnswersWithTheProtocolMaximum) {
    Pair p = make_pair(GetParam());
    p.client_config.record_size_limit = 64;
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().peer_record_size_limit, dtls13() ? 16385 : 16384);
    EXPECT_EQ(p.server_conn->negotiated().peer_record_size_limit, wire_value(64));
    EXPECT_EQ(p.server_conn->max_payload(), 64u);
}

TEST_P(RecordSizeLimit, NotNegotiatedUnlessTheClientOffersIt) {
    Pair p = make_pair(GetParam());
    p.server_config.record_size_limit = 100;
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_FALSE(p.client->negotiated().peer_record_size_limit);
    EXPECT_FALSE(p.server_conn->negotiated().peer_record_size_limit);
    EXPECT_GT(p.server_conn->max_payload(), 1000u);
}

INSTANTIATE_TEST_SUITE_P(Versions, RecordSizeLimit,
                         ::testing::Values(ProtocolVersion::dtls1_2, ProtocolVersion::dtls1_3), [](const auto& info) {
                             return info.param == ProtocolVersion::dtls1_3 ? std::string("dtls13")
                                                                           : std::string("dtls12");
                         });

TEST(RecordSizeLimitConfig, OutOfRangeValuesAreRefused) {
    for (uint16_t bad : {uint16_t{1}, uint16_t{63}, uint16_t{16385}, uint16_t{65535}}) {
        Config c = dtls12_config();
        c.record_size_limit = bad;
        c.verify_peer = false;
        auto client = Connection::client(c, Instant{});
        ASSERT_FALSE(client) << bad;
        EXPECT_NE(client.error().reason.find("record_size_limit"), std::string::npos);
    }
    Config c = dtls12_config();
    c.verify_peer = false;
    for (uint16_t good : {uint16_t{0}, uint16_t{64}, uint16_t{16384}}) {
        c.record_size_limit = good;
        EXPECT_TRUE(Connection::client(c, Instant{})) << good;
    }
}

TEST(RecordSizeLimitVersions, AHelloThatMayEndInDtls12SendsTheValueAsItIs) {
    // Offered with DTLS 1.2 still possible, the value is not raised by the
    // DTLS 1.3 content type byte, so a DTLS 1.3 server sends one byte less.
    Pair p = make_pair(ProtocolVersion::dtls1_3);
    p.client_config.min_version = ProtocolVersion::dtls1_2;
    p.client_config.record_size_limit = 100;
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().version, ProtocolVersion::dtls1_3);
    EXPECT_EQ(p.server_conn->negotiated().peer_record_size_limit, 100);
    EXPECT_EQ(p.server_conn->max_payload(), 99u);
}

// --- The extension codec -------------------------------------------------

Bytes block_with(uint16_t type, const Bytes& body) {
    Bytes out;
    wire::Writer w(out);
    w.vec16([&] {
        w.u16(type);
        w.vec16(body);
    });
    return out;
}

Status decode(const Bytes& block, messages::ExtensionContext context, messages::Extensions& out) {
    wire::Reader r(block);
    return messages::decode_extensions_block(r, context, "test", out);
}

TEST(RecordSizeLimitCodec, RoundTripsAndRefusesALimitBelow64) {
    using messages::ExtensionContext;
    for (auto context :
         {ExtensionContext::client_hello, ExtensionContext::server_hello, ExtensionContext::encrypted_extensions}) {
        messages::Extensions e;
        ASSERT_TRUE(decode(block_with(28, {0x01, 0x00}), context, e));
        EXPECT_EQ(e.record_size_limit, 256);
        Bytes encoded;
        wire::Writer w(encoded);
        ASSERT_TRUE(messages::encode_extensions_block(e, context, w));
        EXPECT_EQ(encoded, block_with(28, {0x01, 0x00}));

        ASSERT_TRUE(decode(block_with(28, {0x00, 64}), context, e));
        auto low = decode(block_with(28, {0x00, 63}), context, e);
        ASSERT_FALSE(low);
        EXPECT_EQ(low.error().alert, Alert::illegal_parameter);
        EXPECT_EQ(decode(block_with(28, {0x01}), context, e).error().alert, Alert::decode_error);
    }
    messages::Extensions e;
    EXPECT_EQ(decode(block_with(28, {0x01, 0x00}), ExtensionContext::certificate_request, e).error().alert,
              Alert::illegal_parameter);
}

TEST(MaxFragmentLengthCodec, OnlyTheFourValuesAreAccepted) {
    using messages::ExtensionContext;
    messages::Extensions e;
    for (uint8_t code = 1; code <= 4; ++code) {
        ASSERT_TRUE(decode(block_with(1, {code}), ExtensionContext::client_hello, e));
        EXPECT_EQ(e.max_fragment_length, code);
    }
    for (uint8_t code : {uint8_t{0}, uint8_t{5}, uint8_t{255}}) {
        EXPECT_EQ(decode(block_with(1, {code}), ExtensionContext::client_hello, e).error().alert,
                  Alert::illegal_parameter);
    }
}

// --- The server's answer -------------------------------------------------

TEST(MaxFragmentLength, TheServerEchoesItAndBothDirectionsAreLimited) {
    for (bool dtls13 : {false, true}) {
        messages::Extensions offer, answer;
        offer.max_fragment_length = 1;  // 2^9
        Negotiated n;
        tls12::record_size_answer(Config{}, offer, dtls13, answer, n);
        EXPECT_EQ(answer.max_fragment_length, 1);
        EXPECT_FALSE(answer.record_size_limit);
        EXPECT_EQ(n.peer_record_size_limit, 512);
        EXPECT_EQ(n.record_size_limit, 512);
        EXPECT_TRUE(n.max_fragment_length);
    }
}

TEST(MaxFragmentLength, RecordSizeLimitTakesPrecedence) {
    // RFC 8449 5: a server that supports record_size_limit ignores
    // max_fragment_length when both are offered.
    messages::Extensions offer, answer;
    offer.max_fragment_length = 4;
    offer.record_size_limit = 1000;
    Negotiated n;
    Config config;
    config.record_size_limit = 300;
    tls12::record_size_answer(config, offer, false, answer, n);
    EXPECT_FALSE(answer.max_fragment_length);
    EXPECT_EQ(answer.record_size_limit, 300);
    EXPECT_EQ(n.peer_record_size_limit, 1000);
    EXPECT_FALSE(n.max_fragment_length);
}

TEST(RecordSizeLimitAnswer, AnAnswerToNothingIsUnsupportedExtension) {
    messages::Extensions answer;
    answer.record_size_limit = 100;
    Negotiated n;
    auto r = tls12::check_record_size_answer(std::nullopt, answer, n);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().alert, Alert::unsupported_extension);
    answer = {};
    answer.max_fragment_length = 2;
    EXPECT_EQ(tls12::check_record_size_answer(uint16_t{100}, answer, n).error().alert, Alert::unsupported_extension);
}

}  // namespace
}  // namespace dtls::test
