// The fields of the hellos our client and server put on the wire, read back
// with the library's decoders and compared with what RFC 6347, RFC 9147,
// RFC 8446 and RFC 9325 require of them. The handshakes run between our own
// client and server; each test takes the datagrams as they leave one side.
// Each `// conformance:` line names the requirements of
// docs/conformance.md that the test below it checks.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "messages/hello_retry_request.hpp"
#include "messages/messages.hpp"
#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

constexpr size_t kRecordHeader = 13, kHandshakeHeader = 12;

// The body of the handshake message that starts the first record of a
// datagram, which must be a whole (unfragmented) message of type `type`.
Bytes first_message(const Bytes& d, messages::HandshakeType type) {
    if (d.size() < kRecordHeader + kHandshakeHeader || d[0] != 22 || d[kRecordHeader] != static_cast<uint8_t>(type)) {
        ADD_FAILURE() << "the datagram does not start with that handshake message";
        return {};
    }
    const size_t length = (size_t{d[14]} << 16) | (size_t{d[15]} << 8) | d[16];
    const size_t fragment_length = (size_t{d[22]} << 16) | (size_t{d[23]} << 8) | d[24];
    EXPECT_EQ(fragment_length, length) << "fragmented";
    const auto start = d.begin() + kRecordHeader + kHandshakeHeader;
    if (d.size() < kRecordHeader + kHandshakeHeader + length) {
        ADD_FAILURE() << "truncated";
        return {};
    }
    return Bytes(start, start + static_cast<std::ptrdiff_t>(length));
}

uint16_t record_version(const Bytes& d) { return static_cast<uint16_t>((d[1] << 8) | d[2]); }

messages::ClientHello client_hello_of(const Bytes& d) {
    auto ch = messages::decode_client_hello(first_message(d, messages::HandshakeType::client_hello));
    EXPECT_TRUE(ch) << (ch ? "" : ch.error().reason);
    return ch ? *ch : messages::ClientHello{};
}

messages::ServerHello server_hello_of(const Bytes& d) {
    auto sh = messages::decode_server_hello(first_message(d, messages::HandshakeType::server_hello));
    EXPECT_TRUE(sh) << (sh ? "" : sh.error().reason);
    return sh ? *sh : messages::ServerHello{};
}

// Runs the first two rounds by hand: the client's first ClientHello, the
// front door's answer (HelloRetryRequest or HelloVerifyRequest), the second
// ClientHello and the first datagram of the server's flight.
struct Rounds {
    Bytes hello1, answer, hello2, flight;
};

Rounds rounds_of_started(Pair& p) {
    Rounds r;
    EXPECT_TRUE(p.client->poll_datagram(r.hello1));
    EXPECT_EQ(p.server->handle_datagram(p.client_address, r.hello1, p.now, r.answer).outcome, Server::Outcome::reply);
    p.client->handle_datagram(r.answer, p.now);
    EXPECT_TRUE(p.client->poll_datagram(r.hello2));
    auto accepted = p.server->handle_datagram(p.client_address, r.hello2, p.now, r.flight);
    EXPECT_TRUE(accepted.connection);
    if (accepted.connection) {
        p.server_conn.emplace(std::move(*accepted.connection));
        EXPECT_TRUE(p.server_conn->poll_datagram(r.flight));
    }
    return r;
}

Rounds first_rounds(Pair& p) {
    EXPECT_TRUE(p.start());
    return rounds_of_started(p);
}

bool has_sha1_or_md5(const std::vector<uint16_t>& schemes) {
    // The second byte of a SignatureScheme names the hash for the legacy
    // {hash, signature} pairs: 1 = MD5, 2 = SHA-1. rsa_pkcs1_sha1 0x0201,
    // ecdsa_sha1 0x0203.
    return std::any_of(schemes.begin(), schemes.end(), [](uint16_t s) { return (s >> 8) == 1 || (s >> 8) == 2; });
}

// conformance: RFC8446-4.1.2-1 RFC8446-9.2-1 RFC8446-9.2-2
// conformance: RFC9147-5.3-1 RFC9147-5.3-3 RFC8446-4.1.2-13 RFC8446-4.2.1-1 RFC8446-9.2-3 RFC8446-4.2.3-2 RFC8446-9.2-4 RFC8446-9.2-5 RFC8446-9.2-6 RFC8446-9.2-10 RFC8446-9.2-11 RFC8446-4.2.8-1 RFC8446-4.2.8-4 RFC8446-4.2.3-11 RFC9325-4.5-4
TEST(ConformanceClientHello13, LegacyFieldsAndTheExtensionsDtls13Requires) {
    Pair p = make_dtls13_pair();
    ASSERT_TRUE(p.start());
    Bytes d;
    ASSERT_TRUE(p.client->poll_datagram(d));
    const messages::ClientHello ch = client_hello_of(d);
    EXPECT_EQ(ch.version, messages::kDtls12) << "legacy_version is {254, 253}";
    EXPECT_TRUE(ch.session_id.empty());
    EXPECT_EQ(ch.compression_methods, Bytes{0});
    const auto& e = ch.extensions;
    ASSERT_TRUE(e.supported_versions);
    EXPECT_EQ(*e.supported_versions, (std::vector<uint16_t>{messages::kDtls13, messages::kDtls12}))
        << "every version the client will negotiate";
    ASSERT_TRUE(e.signature_algorithms);
    EXPECT_FALSE(e.signature_algorithms->empty());
    EXPECT_FALSE(has_sha1_or_md5(*e.signature_algorithms));
    ASSERT_TRUE(e.supported_groups);
    ASSERT_TRUE(e.key_shares);
    ASSERT_FALSE(e.key_shares->empty());
    // Each share is for an offered group, in the groups' order.
    size_t at = 0;
    for (const auto& share : *e.key_shares) {
        auto found = std::find(e.supported_groups->begin() + static_cast<std::ptrdiff_t>(at), e.supported_groups->end(),
                               share.group);
        ASSERT_NE(found, e.supported_groups->end()) << "share for group " << share.group;
        at = static_cast<size_t>(found - e.supported_groups->begin()) + 1;
    }
}

// conformance: RFC9147-5.3-4 RFC9147-5.1-2
TEST(ConformanceClientHello13, LegacyCookieIsEmptyBeforeAndAfterTheRetry) {
    Pair p = make_dtls13_pair();
    enable_dtls13(p.client_config, false);
    const Rounds r = first_rounds(p);
    ASSERT_TRUE(is_hello_retry_request(r.answer));
    const messages::ClientHello first = client_hello_of(r.hello1), second = client_hello_of(r.hello2);
    EXPECT_TRUE(first.cookie.empty());
    EXPECT_TRUE(second.cookie.empty());
    EXPECT_TRUE(second.extensions.cookie) << "the HelloRetryRequest's cookie goes in the extension";
}

// conformance: RFC8446-4.2.9-1 RFC8446-4.2.9-2 RFC8446-9.2-7 RFC8446-9.2-8 RFC8446-4.2.11-1
TEST(ConformanceClientHello13, AnExternalPskComesWithItsModesAndAgeZero) {
    Pair p;
    enable_dtls13(p.client_config, false);
    enable_dtls13(p.server_config, false);
    p.client_config.psk.emplace("device-9", Bytes(32, 0x5A));
    p.server_config.psk.emplace("device-9", Bytes(32, 0x5A));
    ASSERT_TRUE(p.start());
    Bytes d;
    ASSERT_TRUE(p.client->poll_datagram(d));
    const messages::ClientHello ch = client_hello_of(d);
    ASSERT_TRUE(ch.extensions.offered_psks);
    ASSERT_TRUE(ch.extensions.psk_key_exchange_modes);
    EXPECT_FALSE(ch.extensions.psk_key_exchange_modes->empty());
    ASSERT_EQ(ch.extensions.offered_psks->identities.size(), 1u);
    EXPECT_EQ(ch.extensions.offered_psks->identities[0].obfuscated_ticket_age, 0u);
}

// conformance: RFC9325-3.5-2 RFC9325-4.2.1-7 RFC9325-4.5-5
TEST(ConformanceClientHello12, RenegotiationInfoUncompressedPointsAndSha256Signatures) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = ProtocolVersion::dtls1_2;
    ASSERT_TRUE(p.start());
    Bytes d;
    ASSERT_TRUE(p.client->poll_datagram(d));
    const messages::ClientHello ch = client_hello_of(d);
    const bool scsv = std::find(ch.cipher_suites.begin(), ch.cipher_suites.end(), 0x00FF) != ch.cipher_suites.end();
    EXPECT_TRUE(ch.extensions.renegotiation_info || scsv);
    EXPECT_TRUE(ch.extensions.renegotiation_info) << "the extension itself, as RFC 9325 3.5 asks";
    ASSERT_TRUE(ch.extensions.ec_point_formats);
    EXPECT_EQ(*ch.extensions.ec_point_formats, std::vector<uint8_t>{0}) << "uncompressed only";
    ASSERT_TRUE(ch.extensions.signature_algorithms);
    const auto& s = *ch.extensions.signature_algorithms;
    EXPECT_TRUE(std::find(s.begin(), s.end(), 0x0403) != s.end() || std::find(s.begin(), s.end(), 0x0804) != s.end())
        << "a SHA-256 scheme (ecdsa_secp256r1_sha256 or rsa_pss_rsae_sha256)";
}

// The server says DTLS 1.0 in its HelloVerifyRequest; the client takes that
// as packet formatting only and goes on to DTLS 1.2.
// conformance: RFC6347-4.2.1-2 RFC6347-4.2.1-3 RFC6347-4.2.1-4
TEST(ConformanceHelloVerifyRequest, SaysDtls10AndTheClientStillNegotiatesDtls12) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = ProtocolVersion::dtls1_2;
    const Rounds r = first_rounds(p);
    auto hvr = messages::decode_hello_verify_request(first_message(r.answer, messages::HandshakeType::hello_verify_request));
    ASSERT_TRUE(hvr);
    EXPECT_EQ(hvr->version, messages::kDtls10);
    EXPECT_EQ(client_hello_of(r.hello2).version, messages::kDtls12);
    p.client->handle_datagram(r.flight, p.now);
    p.pump();
    ASSERT_EQ(p.client->state(), State::established) << p.describe();
    EXPECT_EQ(p.client->negotiated().version, ProtocolVersion::dtls1_2);
}

// A cookie belongs to the connection it was given to.
// conformance: RFC8446-4.2.2-2
TEST(ConformanceClientHello13, ASecondConnectionStartsWithoutTheFirstOnesCookie) {
    Pair first = make_dtls13_pair();
    ASSERT_TRUE(first.handshake()) << first.describe();
    Pair second = make_dtls13_pair();
    second.client_config = first.client_config;
    ASSERT_TRUE(second.start());
    Bytes d;
    ASSERT_TRUE(second.client->poll_datagram(d));
    EXPECT_FALSE(client_hello_of(d).extensions.cookie);
}

// conformance: RFC8446-4.1.3-10 RFC8446-4.1.3-11 RFC8446-4.2.1-7
TEST(ConformanceServerHello12, ADualServerMarksItsDtls12RandomAndSendsNoSupportedVersions) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = ProtocolVersion::dtls1_2;
    const Rounds r = first_rounds(p);
    const messages::ServerHello sh = server_hello_of(r.flight);
    EXPECT_EQ(sh.version, messages::kDtls12);
    EXPECT_EQ(messages::downgrade_sentinel(sh.random), messages::DowngradeSentinel::dtls12);
    const uint8_t downgrd_01[8] = {0x44, 0x4F, 0x57, 0x4E, 0x47, 0x52, 0x44, 0x01};
    EXPECT_TRUE(std::equal(downgrd_01, downgrd_01 + 8, sh.random.end() - 8));
    EXPECT_FALSE(sh.extensions.supported_versions);
}

// conformance: RFC8446-4.1.4-1 RFC8446-4.1.4-3 RFC9147-4-2
TEST(ConformanceHelloRetryRequest, NamesTheVersionAndOnlyWhatTheClientOffered) {
    Pair p = make_dtls13_pair();
    const Rounds r = first_rounds(p);
    ASSERT_TRUE(is_hello_retry_request(r.answer));
    EXPECT_EQ(record_version(r.answer), messages::kDtls12) << "the record version after the initial ClientHello";
    const messages::ServerHello hrr = server_hello_of(r.answer);
    ASSERT_TRUE(messages::is_hello_retry_request(hrr));
    ASSERT_TRUE(hrr.extensions.supported_versions);
    EXPECT_EQ(*hrr.extensions.supported_versions, std::vector<uint16_t>{messages::kDtls13});
    const messages::ClientHello ch = client_hello_of(r.hello1);
    // Anything but the cookie answers an extension the client sent.
    EXPECT_TRUE(hrr.extensions.unknown.empty());
    if (hrr.extensions.key_share_selected_group) {
        EXPECT_TRUE(ch.extensions.key_shares);
    }
    EXPECT_FALSE(hrr.extensions.server_name || hrr.extensions.alpn || hrr.extensions.psk_key_exchange_modes ||
                 hrr.extensions.offered_psks || hrr.extensions.selected_psk_identity || hrr.extensions.early_data);
}

// conformance: RFC8446-4.1.3-6 RFC8446-4.1.3-7 RFC8446-4.1.3-8 RFC8446-4.2.1-8 RFC8446-4.2.8-8 RFC8446-4.2.9-6 RFC8446-4.1.4-9 RFC8446-4.2-1 RFC8446-4.1.2-2
TEST(ConformanceServerHello13, CarriesOnlyTheVersionAndTheKeyShareForTheClientsGroup) {
    Pair p = make_dtls13_pair();
    const Rounds r = first_rounds(p);
    ASSERT_TRUE(is_hello_retry_request(r.answer));
    const messages::ServerHello hrr = server_hello_of(r.answer);
    const messages::ClientHello first = client_hello_of(r.hello1), second = client_hello_of(r.hello2);
    // The second hello is the first again, but for the cookie (and the key
    // share, had the server asked for another group).
    EXPECT_EQ(second.random, first.random);
    EXPECT_EQ(second.session_id, first.session_id);
    EXPECT_EQ(second.cipher_suites, first.cipher_suites);
    EXPECT_EQ(second.extensions.supported_groups, first.extensions.supported_groups);
    EXPECT_EQ(second.extensions.signature_algorithms, first.extensions.signature_algorithms);

    EXPECT_EQ(record_version(r.flight), messages::kDtls12);
    const messages::ServerHello sh = server_hello_of(r.flight);
    EXPECT_FALSE(messages::is_hello_retry_request(sh));
    EXPECT_EQ(sh.compression_method, 0);
    EXPECT_EQ(sh.cipher_suite, hrr.cipher_suite) << "the suite of the HelloRetryRequest";
    ASSERT_TRUE(sh.extensions.supported_versions);
    EXPECT_EQ(*sh.extensions.supported_versions, std::vector<uint16_t>{messages::kDtls13});
    ASSERT_TRUE(sh.extensions.key_shares);
    ASSERT_EQ(sh.extensions.key_shares->size(), 1u);
    ASSERT_TRUE(second.extensions.key_shares);
    const auto& offered = *second.extensions.key_shares;
    EXPECT_TRUE(std::any_of(offered.begin(), offered.end(),
                            [&](const auto& s) { return s.group == (*sh.extensions.key_shares)[0].group; }))
        << "the share is in a group the client sent a share for";
    // Nothing but supported_versions and key_share (pre_shared_key only when
    // a PSK is chosen): the rest goes in EncryptedExtensions.
    const auto& e = sh.extensions;
    EXPECT_FALSE(e.server_name || e.supported_groups || e.ec_point_formats || e.signature_algorithms || e.alpn ||
                 e.extended_master_secret || e.renegotiation_info || e.use_srtp || e.record_size_limit ||
                 e.psk_key_exchange_modes || e.offered_psks || e.selected_psk_identity || e.early_data ||
                 e.cookie || e.session_ticket || e.connection_id);
    EXPECT_TRUE(e.unknown.empty());
}

// The client offers extended master secret again when it resumes, and the
// server's ServerHello for the abbreviated handshake says so too.
// conformance: RFC7627-5.3-3 RFC7627-5.3-8
TEST(ConformanceResumption12, BothHellosOfAnAbbreviatedHandshakeCarryExtendedMasterSecret) {
    Pair first = make_dtls13_pair();
    first.client_config.max_version = first.server_config.max_version = ProtocolVersion::dtls1_2;
    first.server_config.session_cache_capacity = 4;
    first.client_config.session_cache = SessionCache::in_memory();
    ASSERT_TRUE(first.handshake()) << first.describe();

    Pair again;
    again.client_config = first.client_config;
    again.server_config = first.server_config;
    again.now = first.now;
    again.server.emplace(*first.server);
    auto client = Connection::client(again.client_config, again.now);
    ASSERT_TRUE(client);
    again.client.emplace(std::move(*client));
    const Rounds r = rounds_of_started(again);
    const messages::ClientHello ch = client_hello_of(r.hello2);
    EXPECT_FALSE(ch.session_id.empty()) << "the client offers its session";
    EXPECT_TRUE(ch.extensions.extended_master_secret);
    const messages::ServerHello sh = server_hello_of(r.flight);
    EXPECT_EQ(sh.session_id, ch.session_id) << "the server resumes it";
    EXPECT_TRUE(sh.extensions.extended_master_secret);
    again.client->handle_datagram(r.flight, again.now);
    again.pump();
    ASSERT_EQ(again.client->state(), State::established) << again.describe();
    EXPECT_TRUE(again.client->negotiated().resumed);
}

}  // namespace
}  // namespace dtls::test
