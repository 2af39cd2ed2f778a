// DTLS 1.3 input that must not work: each gets the alert RFC 8446 and RFC
// 9147 call for, or is dropped, and never completes a handshake it should
// not. The forged messages are built with the library's own codecs and sent
// in plaintext records where a genuine one would be.
#include <gtest/gtest.h>

#include "crypto/random.hpp"
#include "messages/hello_retry_request.hpp"
#include "messages/messages.hpp"
#include "record/dtls12_header.hpp"
#include "tls13/dtls13_pair.hpp"
#include "tls13/hello_retry.hpp"
#include "transport/fragment.hpp"

namespace dtls::test {
namespace {

// One plaintext record (epoch 0) holding one whole handshake message.
Bytes plaintext_message(messages::HandshakeType type, uint16_t message_seq, const Bytes& body,
                        uint64_t record_sequence = 0) {
    Bytes out;
    EXPECT_TRUE(transport::write_plaintext_message(
        record_sequence, type, message_seq, static_cast<uint32_t>(body.size()),
        [&](wire::Writer& w) {
            w.bytes(body);
            return w.ok();
        },
        out));
    return out;
}

// A plaintext ChangeCipherSpec record.
Bytes change_cipher_spec_record(uint64_t record_sequence) {
    Bytes out;
    wire::Writer w(out);
    EXPECT_TRUE(record::write_dtls12_header(
        {record::ContentType::change_cipher_spec, record::kVersionDtls12, 0, record_sequence, 1}, w));
    w.u8(1);
    return out;
}

// Sends the client's first hello to the front door and hands the client the
// HelloRetryRequest that comes back; returns that reply.
Bytes first_round(Pair& p) {
    Bytes hello, reply;
    EXPECT_TRUE(p.client->poll_datagram(hello));
    EXPECT_EQ(p.server->handle_datagram(p.client_address, hello, p.now, reply).outcome, Server::Outcome::reply);
    p.client->handle_datagram(reply, p.now);
    return reply;
}

void expect_client_failed(Pair& p, Alert alert) {
    ASSERT_EQ(p.client->state(), State::failed);
    ASSERT_TRUE(p.client->error());
    EXPECT_EQ(p.client->error()->alert, alert) << p.client->error()->to_string();
}

// conformance: RFC9147-5.1-9 RFC8446-4.1.4-6
TEST(Dtls13BadInput, SecondHelloRetryRequestIsUnexpected) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.start());
    Bytes hrr = first_round(p);
    Bytes hello2;
    ASSERT_TRUE(p.client->poll_datagram(hello2));
    // The same HelloRetryRequest again, as the answer to the second hello.
    constexpr size_t kHeaders = 13 + 12;
    Bytes body(hrr.begin() + kHeaders, hrr.end());
    p.client->handle_datagram(plaintext_message(messages::HandshakeType::server_hello, 1, body, 1), p.now);
    expect_client_failed(p, Alert::unexpected_message);
}

// Starts the pair and hands the client `server_hello` (the body of a
// ServerHello or HelloRetryRequest) as the answer to its first ClientHello.
void answer_first_hello(Pair& p, const Result<Bytes>& server_hello) {
    ASSERT_TRUE(p.start());
    Bytes hello;
    ASSERT_TRUE(p.client->poll_datagram(hello));
    ASSERT_TRUE(server_hello);
    p.client->handle_datagram(plaintext_message(messages::HandshakeType::server_hello, 0, *server_hello), p.now);
}

// conformance: RFC8446-4.1.4-5
TEST(Dtls13BadInput, HelloRetryRequestThatChangesNothing) {
    Pair p = make_dtls13_pair();
    // Asks for x25519, which the client already sent a share for, and no cookie.
    answer_first_hello(p, tls13::encode_hello_retry_request({static_cast<uint16_t>(CipherSuite::aes128_gcm_sha256),
                                                              static_cast<uint16_t>(NamedGroup::x25519), {}}));
    expect_client_failed(p, Alert::illegal_parameter);
}

TEST(Dtls13BadInput, HelloRetryRequestWithNeitherGroupNorCookie) {
    Pair p = make_dtls13_pair();
    answer_first_hello(p,
                       tls13::encode_hello_retry_request({static_cast<uint16_t>(CipherSuite::aes128_gcm_sha256), {}, {}}));
    expect_client_failed(p, Alert::illegal_parameter);
}

messages::ServerHello dtls13_server_hello() {
    messages::ServerHello sh;
    EXPECT_TRUE(crypto::random_bytes(sh.random));
    sh.cipher_suite = static_cast<uint16_t>(CipherSuite::aes128_gcm_sha256);
    sh.extensions.supported_versions = std::vector<uint16_t>{messages::kDtls13};
    Bytes share(32, 0x42);
    sh.extensions.key_shares =
        std::vector<messages::KeyShareEntry>{{static_cast<uint16_t>(NamedGroup::x25519), share}};
    return sh;
}

// A DTLS 1.2 ServerHello (no supported_versions), with or without the
// random's DTLS 1.2 downgrade sentinel.
messages::ServerHello dtls12_server_hello(bool sentinel) {
    messages::ServerHello sh;
    EXPECT_TRUE(crypto::random_bytes(sh.random));
    if (sentinel) {
        std::copy(messages::kDowngradeToDtls12.begin(), messages::kDowngradeToDtls12.end(),
                  sh.random.end() - messages::kDowngradeToDtls12.size());
    } else {
        sh.random.back() = 0;  // whatever random_bytes gave, never the sentinel
    }
    sh.cipher_suite = static_cast<uint16_t>(CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256);
    sh.extensions.extended_master_secret = true;
    sh.extensions.renegotiation_info = Bytes{};
    return sh;
}

// conformance: RFC9147-5-1 RFC8446-4.1.3-4
TEST(Dtls13BadInput, LegacySessionIdEchoMustBeEmpty) {
    Pair p = make_dtls13_pair();
    messages::ServerHello sh = dtls13_server_hello();
    sh.session_id = Bytes(32, 0x07);
    answer_first_hello(p, messages::encoded(sh));
    expect_client_failed(p, Alert::illegal_parameter);
}

// conformance: RFC8446-4.1.3-5
TEST(Dtls13BadInput, ServerHelloChoosingASuiteNotOffered) {
    Pair p = make_dtls13_pair();
    p.client_config.cipher_suites = {CipherSuite::aes256_gcm_sha384, CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256};
    answer_first_hello(p, messages::encoded(dtls13_server_hello()));  // TLS_AES_128_GCM_SHA256
    expect_client_failed(p, Alert::illegal_parameter);
}

// conformance: RFC8446-4.1.3-13 RFC8446-4.1.3-15
TEST(Dtls13BadInput, DowngradeSentinelInADtls12ServerHello) {
    // The server's random says it speaks DTLS 1.3: someone removed 1.3 from
    // our hello.
    Pair p = make_dtls13_pair();
    answer_first_hello(p, messages::encoded(dtls12_server_hello(true)));
    expect_client_failed(p, Alert::illegal_parameter);
}

TEST(Dtls13BadInput, Dtls12ServerHelloWithoutTheSentinelIsAccepted) {
    // The control for the test above: the same hello without the sentinel
    // moves the client on to DTLS 1.2 (it then waits for the Certificate).
    Pair p = make_dtls13_pair();
    answer_first_hello(p, messages::encoded(dtls12_server_hello(false)));
    EXPECT_EQ(p.client->state(), State::handshaking) << (p.client->error() ? p.client->error()->to_string() : "");
}

// RFC 7250 4.1: a server answers client_certificate_type and
// server_certificate_type only to a client that offered them. Ours offers
// neither under the default configuration (X.509 alone), so an answer in
// either hello is unsolicited; DTLS 1.3 never answers them in a ServerHello. These used to be
// unknown extensions (refused as such); now that the codec knows them, the
// clients must still refuse them.
// conformance: RFC8446-4.2-2
TEST(Dtls13BadInput, CertificateTypeInADtls13ServerHelloIsUnsolicited) {
    for (bool client_type : {true, false}) {
        Pair p = make_dtls13_pair();
        messages::ServerHello sh = dtls13_server_hello();
        auto& answer = client_type ? sh.extensions.client_certificate_types : sh.extensions.server_certificate_types;
        answer = std::vector<uint8_t>{messages::kCertificateTypeRawPublicKey};
        answer_first_hello(p, messages::encoded(sh));
        expect_client_failed(p, Alert::unsupported_extension);
        EXPECT_EQ(p.client->error()->fault, Fault::unsolicited_extension);
    }
}

TEST(Dtls13BadInput, CertificateTypeInADtls12ServerHelloIsUnsolicited) {
    for (bool client_type : {true, false}) {
        Pair p = make_dtls13_pair();
        messages::ServerHello sh = dtls12_server_hello(false);
        auto& answer = client_type ? sh.extensions.client_certificate_types : sh.extensions.server_certificate_types;
        answer = std::vector<uint8_t>{messages::kCertificateTypeX509};
        answer_first_hello(p, messages::encoded(sh));
        expect_client_failed(p, Alert::unsupported_extension);
        EXPECT_EQ(p.client->error()->fault, Fault::unsolicited_extension);
    }
}

// conformance: RFC8446-5-1
TEST(Dtls13BadInput, ChangeCipherSpecIsDroppedAndTheHandshakeGoesOn) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.start());
    first_round(p);
    const uint64_t dropped_before = p.client->stats().records_dropped;
    const Bytes ccs = change_cipher_spec_record(5);
    p.client->handle_datagram(ccs, p.now);
    EXPECT_EQ(p.client->stats().records_dropped, dropped_before + 1);
    EXPECT_EQ(p.client->state(), State::handshaking);
    p.pump();
    ASSERT_EQ(p.client->state(), State::established) << p.describe();
    // And on an established connection.
    p.server_conn->handle_datagram(ccs, p.now);
    EXPECT_EQ(p.server_conn->state(), State::established);
}

TEST(Dtls13BadInput, ProtectedMessageInPlaintextIsIgnored) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.start());
    first_round(p);
    Bytes hello2;
    ASSERT_TRUE(p.client->poll_datagram(hello2));
    // A Finished in epoch 0, which only epoch 2 may carry.
    p.client->handle_datagram(plaintext_message(messages::HandshakeType::finished, 1, Bytes(32, 0)), p.now);
    EXPECT_EQ(p.client->state(), State::handshaking);
    EXPECT_FALSE(p.client->error());
}

// conformance: RFC9147-4.5.2-1 RFC9147-4.5.3-3 RFC9147-11-7 RFC9147-7.1-6
TEST(Dtls13BadInput, FloodOfUndecryptableRecordsIsDroppedAndCounted) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.handshake()) << p.describe();
    const uint64_t dropped_before = p.server_conn->stats().records_dropped;
    // Unified headers (0b001 C=0 S=1 L=1, epoch bits 3) with random bodies.
    constexpr int kRecords = 2000;
    for (int i = 0; i < kRecords; ++i) {
        Bytes record = {0x2F, static_cast<uint8_t>(i >> 8), static_cast<uint8_t>(i), 0x00, 0x20};
        Bytes body(32);
        ASSERT_TRUE(crypto::random_bytes(body));
        record.insert(record.end(), body.begin(), body.end());
        p.server_conn->handle_datagram(record, p.now);
    }
    EXPECT_EQ(p.server_conn->stats().records_dropped, dropped_before + kRecords);
    EXPECT_EQ(p.server_conn->state(), State::established);
    Bytes nothing;
    EXPECT_FALSE(p.server_conn->poll_datagram(nothing)) << "no answer to records that do not authenticate";
    ASSERT_TRUE(p.client->send(bytes_of("still works"), p.now));
    p.pump();
    EXPECT_EQ(Pair::data_of(p.server_events), std::vector<std::string>{"still works"});
}

TEST(Dtls13BadInput, UnifiedHeaderRecordToADtls12ConnectionIsDropped) {
    Pair p = make_dtls13_pair();
    p.server_config.max_version = ProtocolVersion::dtls1_2;
    ASSERT_TRUE(p.handshake()) << p.describe();
    ASSERT_EQ(p.server_conn->negotiated().version, ProtocolVersion::dtls1_2);
    const uint64_t dropped_before = p.server_conn->stats().records_dropped;
    Bytes record = {0x2F, 0x00, 0x01, 0x00, 0x20};
    record.resize(record.size() + 32, 0x55);
    p.server_conn->handle_datagram(record, p.now);
    EXPECT_EQ(p.server_conn->stats().records_dropped, dropped_before + 1);
    EXPECT_EQ(p.server_conn->state(), State::established);
}

TEST(Dtls13BadInput, SecondClientHelloWithoutTheRequestedShare) {
    // The server asks for P-384; a client that answers with the same x25519
    // share again is refused, not asked twice.
    Pair p = make_dtls13_pair();
    p.server_config.cookies = false;
    p.server_config.groups = {NamedGroup::secp384r1};
    p.client_config.groups = {NamedGroup::x25519, NamedGroup::secp384r1};
    ASSERT_TRUE(p.start());
    Bytes hello1, reply;
    ASSERT_TRUE(p.client->poll_datagram(hello1));
    auto answer = p.server->handle_datagram(p.client_address, hello1, p.now, reply);
    ASSERT_EQ(answer.outcome, Server::Outcome::accepted);
    p.server_conn.emplace(std::move(*answer.connection));
    Bytes hrr;
    ASSERT_TRUE(p.server_conn->poll_datagram(hrr));
    // The first hello again, as message 1 with a new record number.
    Bytes again = hello1;
    again[10] = 1;  // record sequence number (low byte)
    again[13 + 5] = 1;  // message_seq (low byte)
    p.server_conn->handle_datagram(again, p.now);
    ASSERT_EQ(p.server_conn->state(), State::failed);
    EXPECT_EQ(p.server_conn->error()->alert, Alert::illegal_parameter) << p.server_conn->error()->to_string();
}

// A DTLS 1.3 ClientHello for the front door as small as one can be: one
// suite, one group with no key share (so the HelloRetryRequest must ask for
// it), one signature scheme, plus `padding_suites` unknown suites to make it
// larger.
Bytes small_dtls13_hello(size_t padding_suites) {
    messages::ClientHello hello;
    hello.random.fill(7);
    hello.cipher_suites = {0x1301};  // TLS_AES_128_GCM_SHA256
    for (size_t i = 0; i < padding_suites; ++i) hello.cipher_suites.push_back(static_cast<uint16_t>(0x7a00 + i));
    hello.extensions.supported_versions = std::vector<uint16_t>{messages::kDtls13};
    hello.extensions.supported_groups = std::vector<uint16_t>{0x001d};  // x25519
    hello.extensions.key_shares = std::vector<messages::KeyShareEntry>{};
    hello.extensions.signature_algorithms = std::vector<uint16_t>{0x0403};  // ecdsa_secp256r1_sha256
    auto body = messages::encoded(hello);
    EXPECT_TRUE(body);
    return plaintext_message(messages::HandshakeType::client_hello, 0, body ? *body : Bytes{});
}

// The front door never sends more bytes than it received: a hello smaller
// than the HelloRetryRequest it calls for (which carries the selected group
// and a cookie of about 70 bytes) goes unanswered; the same hello, larger,
// gets its HelloRetryRequest.
// conformance: RFC9147-5.1-6
TEST(Dtls13FrontDoor, NoAnswerLargerThanTheHello) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.start());
    const Bytes small = small_dtls13_hello(0);
    Bytes reply;
    auto answer = p.server->handle_datagram(p.client_address, small, p.now, reply);
    EXPECT_EQ(answer.outcome, Server::Outcome::dropped) << small.size() << "-byte hello";
    EXPECT_TRUE(reply.empty());
    EXPECT_FALSE(answer.connection);

    const Bytes larger = small_dtls13_hello(40);
    answer = p.server->handle_datagram(p.client_address, larger, p.now, reply);
    ASSERT_EQ(answer.outcome, Server::Outcome::reply) << larger.size() << "-byte hello";
    EXPECT_TRUE(is_hello_retry_request(reply));
    EXPECT_LE(reply.size(), larger.size());
    EXPECT_GT(reply.size(), small.size()) << "the small hello was dropped for its size, not for its content";
}

}  // namespace
}  // namespace dtls::test
