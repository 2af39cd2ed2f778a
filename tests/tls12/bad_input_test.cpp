// What the DTLS 1.2 engine does with bad input (RFC 6347 4.1.2.7, RFC 5246
// 7.2): records that cannot be framed or authenticated are dropped without a
// word; handshake messages that break the protocol fail the connection with
// exactly one fatal alert, which the peer reports as such.
#include <gtest/gtest.h>

#include <malloc.h>

#include <random>

#include "tls12/mitm.hpp"

namespace dtls::test {
namespace {

using messages::HandshakeType;
using record::ContentType;

Bytes filler(size_t n, uint8_t value = 0x11) { return Bytes(n, value); }

// --- Records that cannot be framed or are not for us: dropped silently ----

Bytes truncated_header() {
    Bytes r = handshake_record(HandshakeType::server_hello, 0, filler(40));
    r.resize(7);
    return r;
}

Bytes length_beyond_datagram() {
    Bytes r = handshake_record(HandshakeType::server_hello, 0, filler(40));
    r.resize(record::kDtls12HeaderLength + 20);  // the header still claims 52 bytes
    return r;
}

Bytes with_content_type(uint8_t type) {
    Bytes r = handshake_record(HandshakeType::server_hello, 0, filler(40));
    r[0] = type;
    return r;
}
Bytes content_type_19() { return with_content_type(19); }
Bytes content_type_24() { return with_content_type(24); }
Bytes content_type_255() { return with_content_type(255); }

Bytes over_maximum_length() {
    return plaintext_record(ContentType::application_data, filler(record::kMaxCiphertextLength + 1));
}

Bytes tls_record_version() {
    Bytes r = handshake_record(HandshakeType::server_hello, 0, filler(40));
    r[1] = 0x03;
    r[2] = 0x03;
    return r;
}

Bytes unknown_epoch() { return plaintext_record(ContentType::handshake, filler(60), 0, 2); }
Bytes application_data_in_epoch0() { return plaintext_record(ContentType::application_data, filler(30)); }

Bytes truncated_fragment() {
    // The fragment header announces 50 bytes; 10 follow.
    return plaintext_record(ContentType::handshake,
                            fragment_bytes({HandshakeType::server_hello, 50, 0, 0, 50}, filler(10), true));
}

Bytes fragment_past_message_end() {
    // offset 10 + length 20 > message length 20.
    return plaintext_record(ContentType::handshake,
                            fragment_bytes({HandshakeType::server_hello, 20, 0, 10, 20}, filler(20), true));
}

Bytes change_cipher_spec_of_value_2() {
    const uint8_t body[1] = {2};
    return plaintext_record(ContentType::change_cipher_spec, body);
}

Bytes alert_of_three_bytes() {
    const uint8_t body[3] = {2, 40, 0};
    return plaintext_record(ContentType::alert, body);
}

struct MalformedCase {
    const char* name;
    Bytes (*make)();
};

const MalformedCase kMalformed[] = {
    {"TruncatedHeader", truncated_header},
    {"LengthBeyondDatagram", length_beyond_datagram},
    {"ContentType19", content_type_19},
    {"ContentType24", content_type_24},
    {"ContentType255", content_type_255},
    {"OverMaximumLength", over_maximum_length},
    {"TlsRecordVersion", tls_record_version},
    {"UnknownEpoch", unknown_epoch},
    {"ApplicationDataInEpoch0", application_data_in_epoch0},
    {"TruncatedFragment", truncated_fragment},
    {"FragmentPastMessageEnd", fragment_past_message_end},
    {"ChangeCipherSpecOfValue2", change_cipher_spec_of_value_2},
    {"AlertOfThreeBytes", alert_of_three_bytes},
};

// Nothing observable changed except the drop counter.
struct Snapshot {
    State state;
    std::optional<Instant> timeout;
    uint64_t dropped;
    size_t events;

    static Snapshot of(const Connection& c, const std::vector<Event>& events) {
        return {c.state(), c.next_timeout(), c.stats().records_dropped, events.size()};
    }
};

void expect_silently_dropped(Connection& c, const std::vector<Event>& events, const Snapshot& before,
                             uint64_t drops = 1) {
    EXPECT_EQ(c.state(), before.state);
    EXPECT_EQ(c.next_timeout(), before.timeout);
    EXPECT_EQ(c.stats().records_dropped, before.dropped + drops);
    EXPECT_EQ(events.size(), before.events);
    Bytes out;
    EXPECT_FALSE(c.poll_datagram(out)) << "the connection answered a dropped record";
}

class MalformedRecord : public ::testing::TestWithParam<MalformedCase> {};

// conformance: RFC6347-4.1.2.7-1
TEST_P(MalformedRecord, ClientDropsItAndStillCompletes) {
    Mitm m;
    ASSERT_TRUE(m.start());
    m.client_to_server();  // the ClientHello is out; the client waits
    const Snapshot before = Snapshot::of(*m.client, m.client_events);
    m.deliver_to_client(GetParam().make());
    expect_silently_dropped(*m.client, m.client_events, before);
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

TEST_P(MalformedRecord, ServerConnectionDropsItAndStillCompletes) {
    Mitm m;
    ASSERT_TRUE(m.until_server_accepted());
    m.server_to_client();  // the server's flight is out; it waits for the client's
    const Snapshot before = Snapshot::of(*m.server_conn, m.server_events);
    m.server_conn->handle_datagram(GetParam().make(), m.now);
    m.drain_events();
    expect_silently_dropped(*m.server_conn, m.server_events, before);
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

TEST_P(MalformedRecord, FrontDoorDropsItWithoutReply) {
    Mitm m;
    ASSERT_TRUE(m.start());
    std::vector<uint8_t> reply{1, 2, 3};
    auto answer = m.server->handle_datagram(m.client_address, GetParam().make(), m.now, reply);
    EXPECT_EQ(answer.outcome, Server::Outcome::dropped);
    EXPECT_FALSE(answer.connection.has_value());
    EXPECT_TRUE(reply.empty());
}

TEST_P(MalformedRecord, AfterAGoodRecordOnlyItIsDropped) {
    Mitm m;
    const Bytes bad = GetParam().make();
    m.filter = [&](Direction dir, Bytes d) {
        if (dir == Direction::to_client) d.insert(d.end(), bad.begin(), bad.end());
        return std::vector<Bytes>{std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.client_to_server();
    m.server_to_client();  // HelloVerifyRequest, then the bad record
    EXPECT_EQ(m.client->stats().records_dropped, 1u);
    EXPECT_EQ(m.client_to_server(), 1u) << "the HelloVerifyRequest before the bad record was not processed";
    EXPECT_TRUE(m.server_conn.has_value());
    EXPECT_EQ(m.client->state(), State::handshaking);
}

INSTANTIATE_TEST_SUITE_P(Cases, MalformedRecord, ::testing::ValuesIn(kMalformed),
                         [](const auto& info) { return std::string(info.param.name); });

// --- A malformed second record does not undo the first ----------------------

Bytes with_garbage_after(Bytes datagram) {
    Bytes tail = truncated_header();
    datagram.insert(datagram.end(), tail.begin(), tail.end());
    return datagram;
}

TEST(MalformedSecondRecord, ClientProcessesTheFirst) {
    Mitm m;
    m.filter = [](Direction dir, Bytes d) {
        return std::vector<Bytes>{dir == Direction::to_client ? with_garbage_after(std::move(d)) : std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.client_to_server();
    m.server_to_client();  // HelloVerifyRequest + garbage
    EXPECT_EQ(m.client->stats().records_dropped, 1u);
    EXPECT_EQ(m.client_to_server(), 1u) << "the HelloVerifyRequest was not processed";
    ASSERT_TRUE(m.server_conn.has_value());
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

TEST(MalformedSecondRecord, ServerProcessesTheFirst) {
    Mitm m;
    m.filter = [](Direction dir, Bytes d) {
        return std::vector<Bytes>{dir == Direction::to_server ? with_garbage_after(std::move(d)) : std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
    EXPECT_GE(m.server_conn->stats().records_dropped, 1u);
}

TEST(MalformedSecondRecord, FrontDoorAnswersTheClientHello) {
    Mitm m;
    ASSERT_TRUE(m.start());
    Bytes hello;
    ASSERT_TRUE(m.client->poll_datagram(hello));
    std::vector<uint8_t> reply;
    auto answer = m.server->handle_datagram(m.client_address, with_garbage_after(hello), m.now, reply);
    EXPECT_EQ(answer.outcome, Server::Outcome::reply);
    EXPECT_TRUE(holds_message(reply, HandshakeType::hello_verify_request));
}

// --- An unusable record whose length is known is dropped alone -------------

// Records that frame (their length is known) but that this connection cannot
// use: the records after them in the same datagram are still read.
Bytes unified_header_record() { return {0x2c, 0x00, 0x01, 0x00, 0x04, 1, 2, 3, 4}; }  // DTLS 1.3, L set
Bytes tls12_cid_record() { return with_content_type(25); }

struct FramedCase {
    const char* name;
    Bytes (*make)();
};

const FramedCase kFramedButUnusable[] = {
    {"ContentType24", content_type_24},       {"TlsRecordVersion", tls_record_version},
    {"UnknownEpoch", unknown_epoch},          {"OverMaximumLength", over_maximum_length},
    {"UnifiedHeader", unified_header_record}, {"Tls12CidWithoutCid", tls12_cid_record},
};

class UnusableFirstRecord : public ::testing::TestWithParam<FramedCase> {};

TEST_P(UnusableFirstRecord, TheRecordsAfterItAreStillRead) {
    Mitm m;
    const Bytes bad = GetParam().make();
    m.filter = [&bad](Direction dir, Bytes d) {
        if (dir == Direction::to_client) d.insert(d.begin(), bad.begin(), bad.end());
        return std::vector<Bytes>{std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.client_to_server();
    m.server_to_client();  // the bad record, then the HelloVerifyRequest
    EXPECT_EQ(m.client->stats().records_dropped, 1u);
    EXPECT_EQ(m.client_to_server(), 1u) << "the HelloVerifyRequest after the bad record was not read";
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

INSTANTIATE_TEST_SUITE_P(Cases, UnusableFirstRecord, ::testing::ValuesIn(kFramedButUnusable),
                         [](const auto& info) { return std::string(info.param.name); });

// --- Random garbage, seeded --------------------------------------------------

// Random bytes, or a well-framed record header (handshake or application
// data, in an epoch that is not open) over random bytes.
Bytes garbage(std::mt19937_64& rng) {
    std::uniform_int_distribution<size_t> length(1, 1500);
    std::uniform_int_distribution<int> byte(0, 255);
    Bytes body(length(rng));
    for (uint8_t& b : body) b = static_cast<uint8_t>(byte(rng));
    if (rng() % 2 == 0) return body;
    const ContentType type = rng() % 2 ? ContentType::handshake : ContentType::application_data;
    const uint16_t epochs[] = {0, 2, 0xFFFF};
    return plaintext_record(type, body, rng() & 0xFFFFFFFFFFFF, epochs[rng() % 3]);
}

constexpr int kGarbageDatagrams = 400;

TEST(RandomGarbage, ClientDropsAllAndStillCompletes) {
    for (uint64_t seed : {1u, 2u, 3u}) {
        Mitm m;
        ASSERT_TRUE(m.start());
        m.client_to_server();
        const Snapshot before = Snapshot::of(*m.client, m.client_events);
        std::mt19937_64 rng(seed);
        for (int i = 0; i < kGarbageDatagrams; ++i) m.deliver_to_client(garbage(rng));
        EXPECT_EQ(m.client->state(), State::handshaking) << "seed " << seed;
        EXPECT_GE(m.client->stats().records_dropped, before.dropped + kGarbageDatagrams) << "seed " << seed;
        EXPECT_EQ(m.client_events.size(), 0u) << "seed " << seed;
        Bytes out;
        EXPECT_FALSE(m.client->poll_datagram(out)) << "seed " << seed;
        m.pump();
        EXPECT_TRUE(m.established()) << "seed " << seed << ": " << m.describe();
    }
}

// conformance: RFC6347-5-3 RFC6347-4.1.2.7-1
TEST(RandomGarbage, ServerConnectionDropsAllAndStillCompletes) {
    for (uint64_t seed : {4u, 5u, 6u}) {
        Mitm m;
        ASSERT_TRUE(m.until_server_accepted());
        m.server_to_client();
        std::mt19937_64 rng(seed);
        for (int i = 0; i < kGarbageDatagrams; ++i) m.deliver_to_server(garbage(rng));
        EXPECT_EQ(m.server_conn->state(), State::handshaking) << "seed " << seed;
        EXPECT_GE(m.server_conn->stats().records_dropped, uint64_t{kGarbageDatagrams}) << "seed " << seed;
        EXPECT_EQ(m.server_events.size(), 0u) << "seed " << seed;
        Bytes out;
        EXPECT_FALSE(m.server_conn->poll_datagram(out)) << "seed " << seed;
        m.pump();
        EXPECT_TRUE(m.established()) << "seed " << seed << ": " << m.describe();
    }
}

TEST(RandomGarbage, FrontDoorDropsAllWithoutReply) {
    Mitm m;
    ASSERT_TRUE(m.start());
    std::mt19937_64 rng(7);
    std::vector<uint8_t> reply;
    for (int i = 0; i < kGarbageDatagrams; ++i) {
        auto answer = m.server->handle_datagram(m.client_address, garbage(rng), m.now, reply);
        ASSERT_EQ(answer.outcome, Server::Outcome::dropped) << "datagram " << i;
        ASSERT_TRUE(reply.empty()) << "datagram " << i;
    }
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

// Epoch 1 records before the ChangeCipherSpec are held, but only a few.
TEST(RandomGarbage, FutureEpochFloodIsBoundedAndDropped) {
    Mitm m;
    ASSERT_TRUE(m.start());
    m.client_to_server();
    for (int i = 0; i < 100; ++i) {
        m.deliver_to_client(plaintext_record(ContentType::handshake, filler(1000), static_cast<uint64_t>(i), 1));
    }
    EXPECT_GE(m.client->stats().records_dropped, 90u) << "more than a few future records were kept";
    EXPECT_EQ(m.client->state(), State::handshaking);
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
    // The held ones fail to authenticate once epoch 1 opens.
    EXPECT_GE(m.client->stats().records_dropped, 100u);
}

// --- Handshake messages the state does not allow: unexpected_message --------

Bytes server_hello_body() {
    messages::ServerHello sh;
    sh.random.fill(0x42);
    sh.cipher_suite = static_cast<uint16_t>(CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256);
    sh.extensions.extended_master_secret = true;
    sh.extensions.renegotiation_info = Bytes{};
    sh.extensions.ec_point_formats = std::vector<uint8_t>{0};
    Bytes out;
    wire::Writer w(out);
    EXPECT_TRUE(messages::encode(sh, w));
    return out;
}

Bytes body_for(HandshakeType type) {
    if (type == HandshakeType::server_hello) return server_hello_body();
    if (type == HandshakeType::server_hello_done) return {};
    return filler(48);
}

struct ClientUnexpectedCase {
    const char* name;
    bool after_server_hello;
    HandshakeType type;
    const char* reason;
};

const ClientUnexpectedCase kClientUnexpected[] = {
    {"ServerHelloDoneFirst", false, HandshakeType::server_hello_done,
     "ServerHelloDone received while waiting for ServerHello"},
    {"CertificateFirst", false, HandshakeType::certificate, "Certificate received while waiting for ServerHello"},
    {"FinishedFirst", false, HandshakeType::finished, "Finished received while waiting for ServerHello"},
    {"ClientHelloAtClient", false, HandshakeType::client_hello, "ClientHello received while waiting for ServerHello"},
    {"ServerKeyExchangeBeforeCertificate", true, HandshakeType::server_key_exchange,
     "ServerKeyExchange received while waiting for Certificate"},
    {"SecondServerHello", true, HandshakeType::server_hello, "ServerHello received while waiting for Certificate"},
    {"ServerHelloDoneBeforeCertificate", true, HandshakeType::server_hello_done,
     "ServerHelloDone received while waiting for Certificate"},
};

class ClientUnexpected : public ::testing::TestWithParam<ClientUnexpectedCase> {};

TEST_P(ClientUnexpected, SendsUnexpectedMessage) {
    const ClientUnexpectedCase& c = GetParam();
    Mitm m;
    ASSERT_TRUE(m.start());
    m.client_to_server();
    uint16_t seq = 0;
    if (c.after_server_hello) {
        m.deliver_to_client(handshake_record(HandshakeType::server_hello, seq++, server_hello_body(), 1));
        ASSERT_EQ(m.client->state(), State::handshaking) << m.describe();
    }
    m.deliver_to_client(handshake_record(c.type, seq, body_for(c.type), 2));
    m.client_to_server();
    expect_failure(*m.client, m.client_events, ErrorCode::alert_sent, Alert::unexpected_message, c.reason);
    expect_plaintext_fatal_alert(m.from_client, Alert::unexpected_message);
}

INSTANTIATE_TEST_SUITE_P(Cases, ClientUnexpected, ::testing::ValuesIn(kClientUnexpected),
                         [](const auto& info) { return std::string(info.param.name); });

struct ServerUnexpectedCase {
    const char* name;
    ClientAuth client_auth;
    HandshakeType type;
    const char* reason;
};

const ServerUnexpectedCase kServerUnexpected[] = {
    {"ClientKeyExchangeInsteadOfCertificate", ClientAuth::require, HandshakeType::client_key_exchange,
     "ClientKeyExchange received while waiting for Certificate"},
    {"FinishedInsteadOfCertificate", ClientAuth::require, HandshakeType::finished,
     "Finished received while waiting for Certificate"},
    {"CertificateVerifyInsteadOfCertificate", ClientAuth::require, HandshakeType::certificate_verify,
     "CertificateVerify received while waiting for Certificate"},
    {"CertificateNotRequested", ClientAuth::none, HandshakeType::certificate,
     "Certificate received while waiting for ClientKeyExchange"},
    {"FinishedInsteadOfClientKeyExchange", ClientAuth::none, HandshakeType::finished,
     "Finished received while waiting for ClientKeyExchange"},
    {"ServerHelloAtServer", ClientAuth::none, HandshakeType::server_hello,
     "ServerHello received while waiting for ClientKeyExchange"},
};

class ServerUnexpected : public ::testing::TestWithParam<ServerUnexpectedCase> {};

TEST_P(ServerUnexpected, SendsUnexpectedMessageAndClientReportsIt) {
    const ServerUnexpectedCase& c = GetParam();
    Mitm m;
    m.server_config.cookies = false;  // the accepted ClientHello is message 0
    m.server_config.client_auth = c.client_auth;
    m.server_config.ca_pem = test_ca().cert_pem();
    ASSERT_TRUE(m.until_server_accepted());
    m.deliver_to_server(handshake_record(c.type, 1, body_for(c.type), 5));
    m.server_to_client();
    expect_failure(*m.server_conn, m.server_events, ErrorCode::alert_sent, Alert::unexpected_message, c.reason);
    expect_plaintext_fatal_alert(m.from_server, Alert::unexpected_message);
    expect_failure(*m.client, m.client_events, ErrorCode::alert_received, Alert::unexpected_message,
                   "unexpected_message");
}

INSTANTIATE_TEST_SUITE_P(Cases, ServerUnexpected, ::testing::ValuesIn(kServerUnexpected),
                         [](const auto& info) { return std::string(info.param.name); });

// --- ChangeCipherSpec before its time never skips a message -----------------

TEST(EarlyChangeCipherSpec, FrontDoorDropsIt) {
    Mitm m;
    ASSERT_TRUE(m.start());
    std::vector<uint8_t> reply;
    auto answer = m.server->handle_datagram(m.client_address, change_cipher_spec_record(0), m.now, reply);
    EXPECT_EQ(answer.outcome, Server::Outcome::dropped);
    EXPECT_TRUE(reply.empty());
}

TEST(EarlyChangeCipherSpec, ServerNeverCompletesWithoutClientKeyExchange) {
    // CCS and a forged protected Finished where ClientKeyExchange belongs.
    Mitm m;
    ASSERT_TRUE(m.until_server_accepted());
    m.server_to_client();  // the client has its final flight queued, not sent
    Bytes forged = plaintext_record(ContentType::handshake, filler(40), 0, 1);
    Bytes datagram = change_cipher_spec_record(7);
    datagram.insert(datagram.end(), forged.begin(), forged.end());
    m.deliver_to_server(datagram);
    EXPECT_EQ(m.server_conn->state(), State::handshaking);
    EXPECT_EQ(count_complete(m.server_events), 0u);
    Bytes out;
    EXPECT_FALSE(m.server_conn->poll_datagram(out));
    // The genuine flight still completes the handshake, once.
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
    EXPECT_EQ(count_complete(m.server_events), 1u);
    EXPECT_GE(m.server_conn->stats().records_dropped, 1u) << "the forged Finished was not dropped";
}

TEST(EarlyChangeCipherSpec, PlaintextFinishedInsteadOfClientKeyExchangeFails) {
    Mitm m;
    ASSERT_TRUE(m.until_server_accepted());
    m.deliver_to_server(change_cipher_spec_record(7));
    // After a cookie exchange the accepted ClientHello is message 1.
    m.deliver_to_server(handshake_record(HandshakeType::finished, 2, filler(12), 8));
    EXPECT_NE(m.server_conn->state(), State::established);
    expect_failure(*m.server_conn, m.server_events, ErrorCode::alert_sent, Alert::unexpected_message,
                   "Finished received while waiting for ClientKeyExchange");
}

TEST(EarlyChangeCipherSpec, ClientNeverCompletesWithoutServerFinished) {
    // A CCS injected before the server's flight is held until the client
    // wants one; the client still needs the server's Finished.
    bool drop_final_flight = true;
    Mitm m;
    m.filter = [&](Direction dir, Bytes d) -> std::vector<Bytes> {
        if (dir == Direction::to_client && drop_final_flight && holds_content(d, ContentType::change_cipher_spec)) {
            return {};
        }
        return {std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.client_to_server();
    m.deliver_to_client(change_cipher_spec_record(3));
    m.pump();
    EXPECT_EQ(m.client->state(), State::handshaking) << m.describe();
    EXPECT_EQ(count_complete(m.client_events), 0u);
    ASSERT_TRUE(m.server_conn && m.server_conn->state() == State::established) << m.describe();
    drop_final_flight = false;
    m.run();
    EXPECT_TRUE(m.established()) << m.describe();
}

// Removes every plaintext handshake fragment of `type` from the datagram.
int remove_messages(Bytes& datagram, HandshakeType type) {
    std::vector<WireRecord> records = split_records(datagram);
    std::vector<WireRecord> kept;
    int removed = 0;
    for (WireRecord& rec : records) {
        if (rec.header.type == ContentType::handshake && rec.header.epoch == 0) {
            std::vector<WireFragment> fragments = split_fragments(rec.body);
            if (!fragments.empty() && fragments.front().header.type == type) {
                removed += static_cast<int>(fragments.size());
                continue;
            }
        }
        kept.push_back(std::move(rec));
    }
    if (removed) datagram = join_records(kept);
    return removed;
}

struct SkippedMessageCase {
    const char* name;
    bool client_auth;
    HandshakeType missing;
};

class GenuineChangeCipherSpecAndFinished : public ::testing::TestWithParam<SkippedMessageCase> {};

// The client's genuine CCS and Finished arrive, but a message before them
// is lost: the server holds both and completes only once the client's
// retransmission brings the missing message.
TEST_P(GenuineChangeCipherSpecAndFinished, NeverSkipAMissingMessage) {
    const SkippedMessageCase& c = GetParam();
    Mitm m;
    if (c.client_auth) {
        m.server_config.client_auth = ClientAuth::require;
        m.server_config.ca_pem = test_ca().cert_pem();
        m.client_config.credential =
            std::make_shared<Credential>(credential_of(test_ca().issue(KeyKind::ecdsa_p256, "client.test")));
    }
    int removed = 0;
    m.filter = [&](Direction dir, Bytes d) {
        if (dir == Direction::to_server && removed == 0) removed += remove_messages(d, c.missing);
        return std::vector<Bytes>{std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_EQ(removed, 1) << "the message to remove was not found alone in its record";
    ASSERT_TRUE(m.server_conn.has_value());
    EXPECT_EQ(m.server_conn->state(), State::handshaking) << m.describe();
    EXPECT_EQ(count_complete(m.server_events), 0u);
    EXPECT_EQ(m.client->state(), State::handshaking);
    m.run();
    EXPECT_TRUE(m.established()) << m.describe();
    EXPECT_EQ(count_complete(m.server_events), 1u);
}

INSTANTIATE_TEST_SUITE_P(Cases, GenuineChangeCipherSpecAndFinished,
                         ::testing::Values(
                             SkippedMessageCase{"ClientKeyExchange", false, HandshakeType::client_key_exchange},
                             SkippedMessageCase{"Certificate", true, HandshakeType::certificate},
                             SkippedMessageCase{"CertificateVerify", true, HandshakeType::certificate_verify}),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(EarlyChangeCipherSpec, ClientRejectsPlaintextFinishedFirst) {
    Mitm m;
    ASSERT_TRUE(m.start());
    m.client_to_server();
    m.deliver_to_client(change_cipher_spec_record(3));
    m.deliver_to_client(handshake_record(HandshakeType::finished, 0, filler(12), 4));
    expect_failure(*m.client, m.client_events, ErrorCode::alert_sent, Alert::unexpected_message,
                   "Finished received while waiting for ServerHello");
}

// --- Tampering in flight: transcripts and signatures disagree ---------------

constexpr size_t kServerHelloRandomOffset = 2;  // after server_version

TEST(Tampering, ServerHelloRandomFailsTheSignatureAtTheClient) {
    Mitm m;
    m.filter = [](Direction dir, Bytes d) {
        if (dir == Direction::to_client) {
            edit_messages(d, HandshakeType::server_hello, [](Bytes& b) { b[kServerHelloRandomOffset + 5] ^= 0x01; });
        }
        return std::vector<Bytes>{std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    expect_failure(*m.client, m.client_events, ErrorCode::alert_sent, Alert::decrypt_error, "signature");
    expect_plaintext_fatal_alert(m.from_client, Alert::decrypt_error);
    ASSERT_TRUE(m.server_conn.has_value());
    expect_failure(*m.server_conn, m.server_events, ErrorCode::alert_received, Alert::decrypt_error, "decrypt_error");
}

TEST(Tampering, ServerKeyExchangeSignatureFailsAtTheClient) {
    Mitm m;
    int edited = 0;
    m.filter = [&](Direction dir, Bytes d) {
        if (dir == Direction::to_client) {
            edited += edit_messages(d, HandshakeType::server_key_exchange, [](Bytes& b) { b.back() ^= 0x80; });
        }
        return std::vector<Bytes>{std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    EXPECT_EQ(edited, 1);
    expect_failure(*m.client, m.client_events, ErrorCode::alert_sent, Alert::decrypt_error,
                   "ServerKeyExchange signature does not verify");
    expect_plaintext_fatal_alert(m.from_client, Alert::decrypt_error);
    expect_failure(*m.server_conn, m.server_events, ErrorCode::alert_received, Alert::decrypt_error, "decrypt_error");
}

TEST(Tampering, ClientHelloExtensionsFailTheFinishedAtTheServer) {
    // Without extended master secret the keys do not depend on the
    // transcript, so only the Finished check can notice the edit.
    Mitm m;
    m.client_config.require_extended_master_secret = false;
    m.server_config.require_extended_master_secret = false;
    m.filter = [](Direction dir, Bytes d) {
        if (dir == Direction::to_server) {
            edit_client_hello(d, [](messages::ClientHello& ch) { ch.extensions.extended_master_secret = false; });
        }
        return std::vector<Bytes>{std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    expect_failure(*m.server_conn, m.server_events, ErrorCode::alert_sent, Alert::decrypt_error,
                   "client Finished does not verify");
    expect_plaintext_fatal_alert(m.from_server, Alert::decrypt_error);
    expect_failure(*m.client, m.client_events, ErrorCode::alert_received, Alert::decrypt_error, "decrypt_error");
}

TEST(Tampering, ReplayedFinishedAfterCompletionIsIgnored) {
    Mitm m;
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();
    const uint64_t client_dropped = m.client->stats().records_dropped;
    const uint64_t server_dropped = m.server_conn->stats().records_dropped;
    // Every datagram each side sent, once more, in order.
    for (const Bytes& d : std::vector<Bytes>(m.from_server)) m.deliver_to_client(d);
    for (const Bytes& d : std::vector<Bytes>(m.from_client)) m.deliver_to_server(d);
    EXPECT_TRUE(m.established()) << m.describe();
    EXPECT_EQ(count_complete(m.client_events), 1u);
    EXPECT_EQ(count_complete(m.server_events), 1u);
    EXPECT_EQ(failed_event(m.client_events), nullptr);
    EXPECT_EQ(failed_event(m.server_events), nullptr);
    EXPECT_GT(m.client->stats().records_dropped, client_dropped) << "the replayed Finished was accepted";
    EXPECT_GT(m.server_conn->stats().records_dropped, server_dropped) << "the replayed Finished was accepted";
    ASSERT_TRUE(m.client->send(span_of("still works"), m.now));
    m.pump();
    ASSERT_EQ(m.server_events.size(), 2u);
    auto* data = std::get_if<event::ApplicationData>(&m.server_events.back());
    ASSERT_NE(data, nullptr);
    EXPECT_EQ(std::string(data->data.begin(), data->data.end()), "still works");
}

// --- Certificates that do not verify ----------------------------------------

struct CertificateCase {
    const char* name;
    void (*setup)(Mitm&);
    Fault fault;  // its alert is alert_for(fault)
};

const CertificateCase kCertificateCases[] = {
    {"UnknownCa", [](Mitm& m) { m.client_config.ca_pem = other_ca().cert_pem(); }, Fault::certificate_unknown_issuer},
    {"WrongServerName", [](Mitm& m) { m.client_config.server_name = "other.test"; }, Fault::certificate_invalid},
    {"Expired",
     [](Mitm& m) {
         IssueOptions o;
         o.not_before_days = -30;
         o.not_after_days = -1;
         m.server_config.credential = server_credential(KeyKind::ecdsa_p256, o);
     },
     Fault::certificate_expired},
    {"VerifierRejects",
     [](Mitm& m) {
         m.client_config.verifier = [](const CertificateCheck&) {
             return VerifyDecision::rejected("fingerprint does not match the SDP");
         };
     },
     Fault::certificate_rejected},
};

class BadServerCertificate : public ::testing::TestWithParam<CertificateCase> {};

TEST_P(BadServerCertificate, ClientSendsTheAlert) {
    const CertificateCase& c = GetParam();
    const Alert alert = *alert_for(c.fault);
    Mitm m;
    c.setup(m);
    ASSERT_TRUE(m.start());
    m.pump();
    expect_fault(*m.client, m.client_events, c.fault);
    expect_plaintext_fatal_alert(m.from_client, alert);
    ASSERT_TRUE(m.server_conn.has_value());
    expect_failure(*m.server_conn, m.server_events, ErrorCode::alert_received, alert, to_string(alert));
}

INSTANTIATE_TEST_SUITE_P(Cases, BadServerCertificate, ::testing::ValuesIn(kCertificateCases),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(BadServerCertificate, VerifierAcceptsSelfSignedWhenTheStoreFails) {
    Mitm m;
    Issued self = self_signed(KeyKind::ecdsa_p256, "server.test");
    m.server_config.credential = std::make_shared<Credential>(credential_of(self));
    int calls = 0;
    bool store_failed = false;
    m.client_config.verifier = [&](const CertificateCheck& check) {
        ++calls;
        store_failed = !check.trusted && !check.store_error.empty();
        const bool pinned = check.chain.size() == 1 && check.chain[0] == self.cert_der;
        return pinned ? VerifyDecision::accepted() : VerifyDecision::rejected("not the pinned certificate");
    };
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();
    EXPECT_EQ(calls, 1);
    EXPECT_TRUE(store_failed);
    ASSERT_EQ(m.client->negotiated().peer_chain.size(), 1u);
    EXPECT_EQ(m.client->negotiated().peer_chain[0], self.cert_der);
}

// --- Client authentication ---------------------------------------------------

Mitm client_auth_pair(ClientAuth mode) {
    Mitm m;
    m.server_config.client_auth = mode;
    m.server_config.ca_pem = test_ca().cert_pem();
    return m;
}

TEST(ClientAuthentication, RequiredWithoutCredentialIsHandshakeFailure) {
    Mitm m = client_auth_pair(ClientAuth::require);
    ASSERT_TRUE(m.start());
    m.pump();
    expect_failure(*m.server_conn, m.server_events, ErrorCode::alert_sent, Alert::handshake_failure,
                   "client did not send a certificate");
    expect_plaintext_fatal_alert(m.from_server, Alert::handshake_failure);
    expect_failure(*m.client, m.client_events, ErrorCode::alert_received, Alert::handshake_failure,
                   "handshake_failure");
}

TEST(ClientAuthentication, RequestedWithoutCredentialCompletesWithoutChain) {
    Mitm m = client_auth_pair(ClientAuth::request);
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.established()) << m.describe();
    EXPECT_TRUE(m.server_conn->negotiated().peer_chain.empty());
}

TEST(ClientAuthentication, CredentialIsCheckedAndVisibleToTheServer) {
    for (ClientAuth mode : {ClientAuth::request, ClientAuth::require}) {
        Mitm m = client_auth_pair(mode);
        Issued client = test_ca().issue(KeyKind::ecdsa_p256, "client.test");
        m.client_config.credential = std::make_shared<Credential>(credential_of(client));
        ASSERT_TRUE(m.start());
        m.pump();
        ASSERT_TRUE(m.established()) << m.describe();
        ASSERT_EQ(m.server_conn->negotiated().peer_chain.size(), 1u);
        EXPECT_EQ(m.server_conn->negotiated().peer_chain[0], client.cert_der);
    }
}

TEST(ClientAuthentication, UntrustedClientCertificateIsRejected) {
    Mitm m = client_auth_pair(ClientAuth::require);
    m.client_config.credential =
        std::make_shared<Credential>(credential_of(other_ca().issue(KeyKind::ecdsa_p256, "client.test")));
    ASSERT_TRUE(m.start());
    m.pump();
    expect_failure(*m.server_conn, m.server_events, ErrorCode::alert_sent, Alert::unknown_ca,
                   "unable to get local issuer certificate");
    expect_plaintext_fatal_alert(m.from_server, Alert::unknown_ca);
    expect_failure(*m.client, m.client_events, ErrorCode::alert_received, Alert::unknown_ca, "unknown_ca");
}

// --- Versions we do not speak: protocol_version -----------------------------

class UnsupportedVersion : public ::testing::TestWithParam<uint16_t> {};

// conformance: RFC9325-3.1.2-1
TEST_P(UnsupportedVersion, ServerSendsProtocolVersion) {
    const uint16_t version = GetParam();
    Mitm m;
    m.server_config.cookies = false;
    m.filter = [version](Direction dir, Bytes d) {
        if (dir == Direction::to_server) {
            edit_client_hello(d, [&](messages::ClientHello& ch) { ch.version = version; });
        }
        return std::vector<Bytes>{std::move(d)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.server_conn.has_value()) << "front door did not accept the ClientHello";
    expect_failure(*m.server_conn, m.server_events, ErrorCode::alert_sent, Alert::protocol_version);
    expect_plaintext_fatal_alert(m.from_server, Alert::protocol_version);
    expect_failure(*m.client, m.client_events, ErrorCode::alert_received, Alert::protocol_version,
                   "protocol_version");
}

INSTANTIATE_TEST_SUITE_P(Versions, UnsupportedVersion, ::testing::Values(uint16_t{0xFEFF}, uint16_t{0x0303}),
                         [](const auto& info) { return info.param == 0xFEFF ? std::string("Dtls10") : "Tls12"; });

// --- Fragments that lie about their message ---------------------------------

size_t heap_in_use() {
    struct mallinfo2 info = mallinfo2();
    return info.uordblks + info.hblkhd;
}

TEST(LyingFragments, FragmentPastMessageEndIsDroppedAtBothSides) {
    Mitm m;
    ASSERT_TRUE(m.until_server_accepted());
    const Bytes lie = plaintext_record(
        ContentType::handshake, fragment_bytes({HandshakeType::certificate, 100, 2, 90, 20}, filler(20), true));
    const uint64_t client_before = m.client->stats().records_dropped;
    const uint64_t server_before = m.server_conn->stats().records_dropped;
    m.deliver_to_client(lie);
    m.deliver_to_server(lie);
    EXPECT_EQ(m.client->stats().records_dropped, client_before + 1);
    EXPECT_EQ(m.server_conn->stats().records_dropped, server_before + 1);
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

// Fragments of messages claiming ~16 MiB, at every message_seq the
// reassembler would consider, spread over the claimed length.
void claim_huge_messages(Mitm& m, bool to_client, uint16_t first_seq) {
    constexpr uint32_t kHuge = 0xFFFFFF;
    for (uint16_t seq = first_seq; seq < first_seq + 10; ++seq) {
        for (uint32_t offset = 0; offset < kHuge - 1000; offset += kHuge / 16) {
            const Bytes r = plaintext_record(ContentType::handshake,
                                             fragment_bytes({HandshakeType::certificate, kHuge, seq, offset, 1000},
                                                            filler(1000)));
            if (to_client) {
                m.deliver_to_client(r);
            } else {
                m.deliver_to_server(r);
            }
        }
    }
}

TEST(LyingFragments, HugeClaimedMessagesUseNoMemory) {
    Mitm m;
    ASSERT_TRUE(m.start());
    m.client_to_server();
    const size_t heap_before = heap_in_use();
    claim_huge_messages(m, true, 0);
    EXPECT_LT(heap_in_use(), heap_before + 1024 * 1024) << "the client buffered a claimed 16 MiB message";
    EXPECT_EQ(m.client->state(), State::handshaking);
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

TEST(LyingFragments, HugeClaimedMessagesUseNoMemoryAtServer) {
    Mitm m;
    ASSERT_TRUE(m.until_server_accepted());
    m.server_to_client();
    const size_t heap_before = heap_in_use();
    claim_huge_messages(m, false, 2);
    EXPECT_LT(heap_in_use(), heap_before + 1024 * 1024) << "the server buffered a claimed 16 MiB message";
    EXPECT_EQ(m.server_conn->state(), State::handshaking);
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

TEST(LyingFragments, ManyPlausibleMessagesStayWithinTheBudget) {
    // 60 KiB messages at every message_seq of the reassembly window past the
    // client's genuine ones (ClientKeyExchange 2, Finished 3): six of them,
    // far more than the 128 KiB reassembly budget together.
    Mitm m;
    ASSERT_TRUE(m.until_server_accepted());
    m.server_to_client();
    const size_t heap_before = heap_in_use();
    for (uint16_t seq = 4; seq < 12; ++seq) {
        for (uint32_t offset = 0; offset < 60000; offset += 10000) {
            m.deliver_to_server(plaintext_record(
                ContentType::handshake,
                fragment_bytes({HandshakeType::certificate, 60000, seq, offset, 1000}, filler(1000))));
        }
    }
    EXPECT_LT(heap_in_use(), heap_before + 256 * 1024) << "reassembly went past its budget";
    m.pump();
    EXPECT_TRUE(m.established()) << m.describe();
}

// One spoofed plaintext fragment claiming another length for a message not
// yet received (the ServerHello) must not lock out the genuine message: the
// reassembler lets an incomplete message give way to a disagreeing fragment.
TEST(LyingFragments, SpoofedFragmentDoesNotBlockTheGenuineMessage) {
    Mitm m;
    ASSERT_TRUE(m.start());
    m.client_to_server();
    m.deliver_to_client(plaintext_record(
        ContentType::handshake, fragment_bytes({HandshakeType::server_hello, 300, 1, 0, 10}, filler(10))));
    m.run(10);
    EXPECT_TRUE(m.established()) << m.describe();
}

// --- Nothing in common ------------------------------------------------------

struct NegotiationCase {
    const char* name;
    void (*setup)(Mitm&);
    Fault fault;  // its alert is alert_for(fault)
};

const NegotiationCase kNegotiationCases[] = {
    {"NoCommonCipherSuite",
     [](Mitm& m) {
         m.client_config.cipher_suites = {CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384};
         m.server_config.cipher_suites = {CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256};
     },
     Fault::no_common_cipher_suite},
    {"NoSuiteForTheServerKey",
     [](Mitm& m) { m.client_config.cipher_suites = {CipherSuite::ecdhe_rsa_aes128_gcm_sha256}; },
     Fault::no_common_cipher_suite},
    {"NoCommonGroup",
     [](Mitm& m) {
         m.client_config.groups = {NamedGroup::secp384r1};
         m.server_config.groups = {NamedGroup::x25519};
     },
     Fault::no_common_group},
    {"NoCommonSignatureScheme",
     [](Mitm& m) { m.client_config.signature_schemes = {SignatureScheme::rsa_pss_rsae_sha256}; },
     Fault::no_common_signature_scheme},
    {"NoCommonAlpn",
     [](Mitm& m) {
         m.client_config.alpn = {"h2", "http/1.1"};
         m.server_config.alpn = {"coap"};
     },
     Fault::no_common_application_protocol},
    {"ExtendedMasterSecretStripped",
     [](Mitm& m) {
         m.filter = [](Direction dir, Bytes d) {
             if (dir == Direction::to_server) {
                 edit_client_hello(d, [](messages::ClientHello& ch) { ch.extensions.extended_master_secret = false; });
             }
             return std::vector<Bytes>{std::move(d)};
         };
     },
     Fault::extended_master_secret_missing},
};

class NothingInCommon : public ::testing::TestWithParam<NegotiationCase> {};

// conformance: RFC7627-4-1 RFC7627-5.2-3 RFC9325-3.8-2
TEST_P(NothingInCommon, ServerRefusesAndClientReportsTheAlert) {
    const NegotiationCase& c = GetParam();
    Mitm m;
    c.setup(m);
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_TRUE(m.server_conn.has_value()) << "front door did not accept the ClientHello";
    const Alert alert = *alert_for(c.fault);
    expect_fault(*m.server_conn, m.server_events, c.fault);
    expect_plaintext_fatal_alert(m.from_server, alert);
    expect_failure(*m.client, m.client_events, ErrorCode::alert_received, alert, "the peer sent a fatal alert");
}

INSTANTIATE_TEST_SUITE_P(Cases, NothingInCommon, ::testing::ValuesIn(kNegotiationCases),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace dtls::test
