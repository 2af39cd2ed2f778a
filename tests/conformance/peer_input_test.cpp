// Hellos a peer might send that RFC 8446, RFC 9147 and RFC 9325 tell the
// other side how to treat: each is built with the library's own codecs from
// what our client or server genuinely sent, changed in one field, and handed
// to the side under test, which must give the alert the RFC names (or go on,
// where the RFC says to ignore the oddity). Each `// conformance:` line names
// the requirements of docs/conformance.md that the test below it checks.
#include <gtest/gtest.h>

#include <algorithm>

#include "crypto/random.hpp"
#include "messages/hello_retry_request.hpp"
#include "messages/messages.hpp"
#include "tls13/dtls13_pair.hpp"
#include "tls13/hello_retry.hpp"
#include "transport/fragment.hpp"

namespace dtls::test {
namespace {

constexpr size_t kHeaders = 13 + 12;  // record header, handshake header

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

Bytes encoded_or_empty(const Result<Bytes>& r) {
    EXPECT_TRUE(r) << (r ? "" : r.error().reason);
    return r ? *r : Bytes{};
}

// --- The client under test --------------------------------------------------

void expect_failed(const Connection& c, Alert alert) {
    ASSERT_EQ(c.state(), State::failed);
    ASSERT_TRUE(c.error());
    EXPECT_EQ(c.error()->alert, alert) << c.error()->to_string();
}

// Starts the pair, takes the client's first ClientHello, and answers it with
// `server_hello` (a ServerHello or HelloRetryRequest body).
messages::ClientHello answer_first_hello(Pair& p, const Bytes& server_hello) {
    EXPECT_TRUE(p.start());
    Bytes hello;
    EXPECT_TRUE(p.client->poll_datagram(hello));
    p.client->handle_datagram(plaintext_message(messages::HandshakeType::server_hello, 0, server_hello), p.now);
    auto ch = messages::decode_client_hello(std::span<const uint8_t>(hello).subspan(kHeaders));
    EXPECT_TRUE(ch);
    return ch ? *ch : messages::ClientHello{};
}

// A DTLS 1.3 ServerHello for TLS_AES_128_GCM_SHA256 with an x25519 share.
messages::ServerHello dtls13_server_hello(NamedGroup group = NamedGroup::x25519) {
    messages::ServerHello sh;
    EXPECT_TRUE(crypto::random_bytes(sh.random));
    sh.cipher_suite = static_cast<uint16_t>(CipherSuite::aes128_gcm_sha256);
    sh.extensions.supported_versions = std::vector<uint16_t>{messages::kDtls13};
    const size_t share_size = group == NamedGroup::x25519 ? 32 : 97;
    Bytes share(share_size, 0x42);
    if (group != NamedGroup::x25519) share[0] = 4;
    sh.extensions.key_shares = std::vector<messages::KeyShareEntry>{{static_cast<uint16_t>(group), share}};
    return sh;
}

// A HelloRetryRequest asking for `group`, built by hand so each field can
// be wrong on its own.
messages::ServerHello hello_retry_request(uint16_t suite, uint16_t group) {
    messages::ServerHello hrr;
    hrr.random = messages::kHelloRetryRequestRandom;
    hrr.cipher_suite = suite;
    hrr.extensions.supported_versions = std::vector<uint16_t>{messages::kDtls13};
    hrr.extensions.key_share_selected_group = group;
    return hrr;
}

// The client's second ClientHello, after a HelloRetryRequest for `group`,
// answered with `server_hello`.
void answer_second_hello(Pair& p, uint16_t group, const messages::ServerHello& server_hello) {
    answer_first_hello(p, encoded_or_empty(messages::encoded(hello_retry_request(
                              static_cast<uint16_t>(CipherSuite::aes128_gcm_sha256), group))));
    Bytes hello2;
    ASSERT_TRUE(p.client->poll_datagram(hello2)) << p.describe();
    p.client->handle_datagram(
        plaintext_message(messages::HandshakeType::server_hello, 1, encoded_or_empty(messages::encoded(server_hello)), 1),
        p.now);
}

Pair dual_group_pair() {
    Pair p = make_dtls13_pair();
    p.client_config.groups = {NamedGroup::x25519, NamedGroup::secp384r1};
    return p;
}

// conformance: RFC8446-4.1.4-8
TEST(ConformanceClientInput13, AHelloRetryRequestForASuiteNotOfferedIsRefused) {
    Pair p = dual_group_pair();
    p.client_config.cipher_suites = {CipherSuite::aes128_gcm_sha256, CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256};
    answer_first_hello(p, encoded_or_empty(messages::encoded(hello_retry_request(
                              static_cast<uint16_t>(CipherSuite::aes256_gcm_sha384),
                              static_cast<uint16_t>(NamedGroup::secp384r1)))));
    expect_failed(*p.client, Alert::illegal_parameter);
}

// conformance: RFC8446-4.1.4-4
TEST(ConformanceClientInput13, AHelloRetryRequestNotEchoingTheEmptySessionIdIsRefused) {
    Pair p = dual_group_pair();
    messages::ServerHello hrr = hello_retry_request(static_cast<uint16_t>(CipherSuite::aes128_gcm_sha256),
                                                    static_cast<uint16_t>(NamedGroup::secp384r1));
    hrr.session_id = Bytes(32, 0x07);
    answer_first_hello(p, encoded_or_empty(messages::encoded(hrr)));
    expect_failed(*p.client, Alert::illegal_parameter);
}

// conformance: RFC8446-4.2.8-5 RFC8446-4.2.8-6
TEST(ConformanceClientInput13, AHelloRetryRequestForAGroupNotOfferedIsRefused) {
    Pair p = make_dtls13_pair();
    p.client_config.groups = {NamedGroup::x25519};
    answer_first_hello(p, encoded_or_empty(messages::encoded(hello_retry_request(
                              static_cast<uint16_t>(CipherSuite::aes128_gcm_sha256),
                              static_cast<uint16_t>(NamedGroup::secp384r1)))));
    expect_failed(*p.client, Alert::illegal_parameter);
}

// conformance: RFC8446-4.1.4-10
TEST(ConformanceClientInput13, AServerHelloWithAnotherSuiteThanTheRetryIsRefused) {
    Pair p = dual_group_pair();
    messages::ServerHello sh = dtls13_server_hello(NamedGroup::secp384r1);
    sh.cipher_suite = static_cast<uint16_t>(CipherSuite::aes256_gcm_sha384);  // offered, but not the retry's
    answer_second_hello(p, static_cast<uint16_t>(NamedGroup::secp384r1), sh);
    expect_failed(*p.client, Alert::illegal_parameter);
}

// conformance: RFC8446-4.2.8-10 RFC8446-4.2.8-11
TEST(ConformanceClientInput13, AServerHelloWithAnotherGroupThanTheRetryIsRefused) {
    Pair p = dual_group_pair();
    answer_second_hello(p, static_cast<uint16_t>(NamedGroup::secp384r1), dtls13_server_hello(NamedGroup::x25519));
    expect_failed(*p.client, Alert::illegal_parameter);
}

// conformance: RFC8446-4.1.4-12 RFC8446-4.2.1-12
TEST(ConformanceClientInput13, AServerHelloChangingTheVersionOfTheRetryIsRefused) {
    Pair p = dual_group_pair();
    messages::ServerHello sh = dtls13_server_hello(NamedGroup::secp384r1);
    sh.extensions.supported_versions = std::vector<uint16_t>{messages::kDtls12};
    answer_second_hello(p, static_cast<uint16_t>(NamedGroup::secp384r1), sh);
    expect_failed(*p.client, Alert::illegal_parameter);
}

// conformance: RFC8446-4.2.1-12
TEST(ConformanceClientInput13, AServerHelloSelectingAVersionNotOfferedIsRefused) {
    for (uint16_t version : {uint16_t{messages::kDtls12}, uint16_t{0x0304}, uint16_t{0xFEFB}}) {
        SCOPED_TRACE(version);
        Pair p = make_dtls13_pair();
        p.client_config.min_version = ProtocolVersion::dtls1_3;
        messages::ServerHello sh = dtls13_server_hello();
        sh.extensions.supported_versions = std::vector<uint16_t>{version};
        answer_first_hello(p, encoded_or_empty(messages::encoded(sh)));
        expect_failed(*p.client, Alert::illegal_parameter);
    }
}

// conformance: RFC8446-4.2.11-11 RFC8446-4.2.11-12
TEST(ConformanceClientInput13, AServerHelloSelectingAPskOutOfRangeIsRefused) {
    Pair p;
    enable_dtls13(p.client_config, false);
    p.client_config.psk.emplace("device-9", Bytes(32, 0x5A));
    enable_dtls13(p.server_config, false);
    p.server_config.psk.emplace("device-9", Bytes(32, 0x5A));
    messages::ServerHello sh = dtls13_server_hello();
    sh.extensions.selected_psk_identity = 1;  // one identity was offered: index 0
    answer_first_hello(p, encoded_or_empty(messages::encoded(sh)));
    expect_failed(*p.client, Alert::illegal_parameter);
}

// conformance: RFC9325-3.1.3-1
TEST(ConformanceClientInput12, ADtls10ServerHelloIsRefused) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = ProtocolVersion::dtls1_2;
    messages::ServerHello sh;
    EXPECT_TRUE(crypto::random_bytes(sh.random));
    sh.version = messages::kDtls10;
    sh.cipher_suite = static_cast<uint16_t>(CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256);
    sh.extensions.extended_master_secret = true;
    sh.extensions.renegotiation_info = Bytes{};
    answer_first_hello(p, encoded_or_empty(messages::encoded(sh)));
    expect_failed(*p.client, Alert::protocol_version);
}

// --- The server under test --------------------------------------------------

// The client's genuine first ClientHello, decoded.
struct Hello {
    Pair p;
    messages::ClientHello ch;
};

Hello genuine_hello(Pair p) {
    Hello h{std::move(p), {}};
    h.p.server_config.cookies = false;  // the connection itself reads the hello
    EXPECT_TRUE(h.p.start());
    Bytes d;
    EXPECT_TRUE(h.p.client->poll_datagram(d));
    auto ch = messages::decode_client_hello(std::span<const uint8_t>(d).subspan(kHeaders));
    EXPECT_TRUE(ch);
    if (ch) h.ch = *ch;
    return h;
}

// Hands the server `body` as a first ClientHello; returns the connection's
// first datagram (empty if it made no connection or sent nothing).
Bytes offer(Hello& h, const Bytes& body) {
    Bytes reply;
    auto answer =
        h.p.server->handle_datagram(h.p.client_address, plaintext_message(messages::HandshakeType::client_hello, 0, body),
                                    h.p.now, reply);
    if (!answer.connection) return reply;
    h.p.server_conn.emplace(std::move(*answer.connection));
    h.p.server_conn->poll_datagram(reply);
    return reply;
}

Bytes offer(Hello& h, const messages::ClientHello& ch) { return offer(h, encoded_or_empty(messages::encoded(ch))); }

void expect_server_failed(Hello& h, Alert alert) {
    ASSERT_TRUE(h.p.server_conn) << "no connection";
    expect_failed(*h.p.server_conn, alert);
}

// The server answered with a ServerHello: it took the hello.
bool is_server_hello(const Bytes& d) { return d.size() > kHeaders && d[0] == 22 && d[13] == 2; }

// The ServerHello that starts a datagram (more records may follow it).
Result<messages::ServerHello> server_hello_of(const Bytes& d) {
    const size_t length = (size_t{d[14]} << 16) | (size_t{d[15]} << 8) | d[16];
    return messages::decode_server_hello(std::span<const uint8_t>(d).subspan(kHeaders, length));
}

// conformance: RFC8446-4.1.2-14
TEST(ConformanceServerInput13, ACompressionMethodOtherThanNullIsIllegal) {
    for (Bytes methods : {Bytes{1}, Bytes{0, 1}}) {
        Hello h = genuine_hello(make_dtls13_pair());
        h.ch.compression_methods = methods;
        offer(h, h.ch);
        expect_server_failed(h, Alert::illegal_parameter);
    }
}

// conformance: RFC8446-4.2.3-3 RFC8446-9.2-9 RFC8446-9.2-12
TEST(ConformanceServerInput13, AHelloMissingARequiredExtensionIsMissingExtension) {
    {
        SCOPED_TRACE("no signature_algorithms");
        Hello h = genuine_hello(make_dtls13_pair());
        h.ch.extensions.signature_algorithms.reset();
        offer(h, h.ch);
        expect_server_failed(h, Alert::missing_extension);
    }
    {
        SCOPED_TRACE("supported_groups without key_share");
        Hello h = genuine_hello(make_dtls13_pair());
        h.ch.extensions.key_shares.reset();
        offer(h, h.ch);
        expect_server_failed(h, Alert::missing_extension);
    }
}

// conformance: RFC8446-4.2.9-3
TEST(ConformanceServerInput13, APskWithoutKeyExchangeModesIsRefused) {
    Pair p;
    enable_dtls13(p.client_config, false);
    enable_dtls13(p.server_config, false);
    p.client_config.psk.emplace("device-9", Bytes(32, 0x5A));
    p.server_config.psk.emplace("device-9", Bytes(32, 0x5A));
    Hello h = genuine_hello(std::move(p));
    ASSERT_TRUE(h.ch.extensions.offered_psks);
    h.ch.extensions.psk_key_exchange_modes.reset();
    const Bytes reply = offer(h, h.ch);
    EXPECT_FALSE(is_server_hello(reply));
    ASSERT_TRUE(h.p.server_conn);
    EXPECT_EQ(h.p.server_conn->state(), State::failed);
}

// conformance: RFC8446-4.1.2-11 RFC8446-4.2.1-4 RFC8446-9.3-4
TEST(ConformanceServerInput13, UnknownSuitesAndVersionsAreIgnored) {
    Hello h = genuine_hello(make_dtls13_pair());
    h.ch.cipher_suites.insert(h.ch.cipher_suites.begin(), {0x7a7a, 0x0a0a});
    h.ch.extensions.supported_versions->insert(h.ch.extensions.supported_versions->begin(), {0x7F1C, 0xEAEA});
    const Bytes reply = offer(h, h.ch);
    ASSERT_TRUE(is_server_hello(reply)) << (h.p.server_conn && h.p.server_conn->error()
                                                ? h.p.server_conn->error()->to_string()
                                                : "");
    auto sh = server_hello_of(reply);
    ASSERT_TRUE(sh);
    ASSERT_TRUE(sh->extensions.supported_versions);
    EXPECT_EQ(*sh->extensions.supported_versions, std::vector<uint16_t>{messages::kDtls13});
    EXPECT_EQ(sh->cipher_suite, static_cast<uint16_t>(CipherSuite::aes128_gcm_sha256));
}

// conformance: RFC8446-4.2.1-6
TEST(ConformanceServerInput13, SupportedVersionsWithoutDtls13GiveDtls12) {
    Hello h = genuine_hello(make_dtls13_pair());
    h.ch.extensions.supported_versions = std::vector<uint16_t>{messages::kDtls12};
    const Bytes reply = offer(h, h.ch);
    ASSERT_TRUE(is_server_hello(reply));
    auto sh = server_hello_of(reply);
    ASSERT_TRUE(sh);
    EXPECT_EQ(sh->version, messages::kDtls12);
    EXPECT_FALSE(sh->extensions.supported_versions);
}

// A dual-stack client's hello offering DTLS 1.3 with a legacy_cookie (as if
// answering a DTLS 1.2 HelloVerifyRequest) is a DTLS 1.3 hello all the same:
// the connection refuses it; the front door, before a cookie, drops it.
// conformance: RFC9147-5.3-5
TEST(ConformanceServerInput13, ANonEmptyLegacyCookieIsIllegal) {
    {
        SCOPED_TRACE("cookies off: the connection reads the hello");
        Hello h = genuine_hello(make_dtls13_pair());
        ASSERT_EQ(h.ch.extensions.supported_versions,
                  (std::vector<uint16_t>{messages::kDtls13, messages::kDtls12}));
        h.ch.cookie = Bytes(32, 0xC0);
        const Bytes reply = offer(h, h.ch);
        EXPECT_FALSE(is_server_hello(reply));
        expect_server_failed(h, Alert::illegal_parameter);
    }
    {
        SCOPED_TRACE("cookies on: the front door drops it unanswered");
        Pair p = make_dtls13_pair();
        ASSERT_TRUE(p.start());
        Bytes d;
        ASSERT_TRUE(p.client->poll_datagram(d));
        auto ch = messages::decode_client_hello(std::span<const uint8_t>(d).subspan(kHeaders));
        ASSERT_TRUE(ch);
        ch->cookie = Bytes(32, 0xC0);
        Bytes reply;
        auto answer = p.server->handle_datagram(
            p.client_address,
            plaintext_message(messages::HandshakeType::client_hello, 0, encoded_or_empty(messages::encoded(*ch))),
            p.now, reply);
        EXPECT_EQ(answer.outcome, Server::Outcome::dropped);
        EXPECT_FALSE(answer.connection);
        EXPECT_TRUE(reply.empty());
    }
    {
        SCOPED_TRACE("cookies on: a second hello with a valid cookie gets the connection's alert");
        Pair p = make_dtls13_pair();
        ASSERT_TRUE(p.start());
        Bytes hello1, retry, hello2;
        ASSERT_TRUE(p.client->poll_datagram(hello1));
        ASSERT_EQ(p.server->handle_datagram(p.client_address, hello1, p.now, retry).outcome, Server::Outcome::reply);
        p.client->handle_datagram(retry, p.now);
        ASSERT_TRUE(p.client->poll_datagram(hello2));
        auto ch = messages::decode_client_hello(std::span<const uint8_t>(hello2).subspan(kHeaders));
        ASSERT_TRUE(ch);
        ASSERT_TRUE(ch->extensions.cookie);
        ch->cookie = Bytes(32, 0xC0);
        Bytes reply;
        auto answer = p.server->handle_datagram(
            p.client_address,
            plaintext_message(messages::HandshakeType::client_hello, 1, encoded_or_empty(messages::encoded(*ch)), 1),
            p.now, reply);
        ASSERT_TRUE(answer.connection);
        p.server_conn.emplace(std::move(*answer.connection));
        expect_failed(*p.server_conn, Alert::illegal_parameter);
    }
}

// With supported_versions offering DTLS 1.3, legacy_version has no say,
// whatever it holds (RFC 9147 5.3 has clients send {254, 253}).
// conformance: RFC8446-4.2.1-3
TEST(ConformanceServerInput13, LegacyVersionIsIgnoredBesideSupportedVersions) {
    for (uint16_t version : {uint16_t{0xFEFF}, uint16_t{0xFEFC}, uint16_t{0x0303}, uint16_t{0x0101}}) {
        SCOPED_TRACE(version);
        Hello h = genuine_hello(make_dtls13_pair());
        h.ch.version = version;
        const Bytes reply = offer(h, h.ch);
        ASSERT_TRUE(is_server_hello(reply)) << (h.p.server_conn && h.p.server_conn->error()
                                                    ? h.p.server_conn->error()->to_string()
                                                    : "");
        auto sh = server_hello_of(reply);
        ASSERT_TRUE(sh);
        ASSERT_TRUE(sh->extensions.supported_versions);
        EXPECT_EQ(*sh->extensions.supported_versions, std::vector<uint16_t>{messages::kDtls13});
    }
}

// conformance: RFC8446-4.1.1-1 RFC8446-4.1.1-4
TEST(ConformanceServerInput13, NoGroupOrNoSuiteInCommonIsHandshakeFailure) {
    {
        SCOPED_TRACE("no group in common");
        Hello h = genuine_hello(make_dtls13_pair());
        h.ch.extensions.supported_groups = std::vector<uint16_t>{0x7777};
        h.ch.extensions.key_shares = std::vector<messages::KeyShareEntry>{};
        offer(h, h.ch);
        ASSERT_TRUE(h.p.server_conn);
        ASSERT_EQ(h.p.server_conn->state(), State::failed);
        const Alert a = h.p.server_conn->error()->alert.value_or(Alert::close_notify);
        EXPECT_TRUE(a == Alert::handshake_failure || a == Alert::insufficient_security) << to_string(a);
    }
    {
        SCOPED_TRACE("no suite in common");
        Hello h = genuine_hello(make_dtls13_pair());
        h.ch.cipher_suites = {0x7a7a};
        h.ch.extensions.supported_versions = std::vector<uint16_t>{messages::kDtls13};
        offer(h, h.ch);
        ASSERT_TRUE(h.p.server_conn);
        ASSERT_EQ(h.p.server_conn->state(), State::failed);
        const Alert a = h.p.server_conn->error()->alert.value_or(Alert::close_notify);
        EXPECT_TRUE(a == Alert::handshake_failure || a == Alert::insufficient_security) << to_string(a);
    }
}

// A server that does not require extended master secret and meets a DTLS
// 1.2 client without it goes on without it, and says nothing of it.
// conformance: RFC7627-5.2-4
TEST(ConformanceServerInput12, WithoutExtendedMasterSecretFromTheClientTheServerHelloHasNone) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = ProtocolVersion::dtls1_2;
    p.server_config.require_extended_master_secret = false;
    Hello h = genuine_hello(std::move(p));
    h.ch.extensions.extended_master_secret = false;
    const Bytes reply = offer(h, h.ch);
    ASSERT_TRUE(is_server_hello(reply));
    auto sh = server_hello_of(reply);
    ASSERT_TRUE(sh);
    EXPECT_EQ(sh->version, messages::kDtls12);
    EXPECT_FALSE(sh->extensions.extended_master_secret);
}

// The ClientHello body with one more extension, of a type nobody knows, at
// the end of its extensions block (the hello must offer no PSK, whose
// extension has to stay last).
Bytes with_unknown_extension(const messages::ClientHello& ch) {
    Bytes body = encoded_or_empty(messages::encoded(ch));
    messages::ClientHelloPrefix prefix;
    EXPECT_TRUE(messages::read_client_hello_prefix(body, prefix));
    const size_t at = static_cast<size_t>(prefix.compression_methods.data() - body.data()) +
                      prefix.compression_methods.size();  // the extensions block's length
    const size_t length = (size_t{body[at]} << 8 | body[at + 1]) + 6;
    body[at] = static_cast<uint8_t>(length >> 8);
    body[at + 1] = static_cast<uint8_t>(length);
    body.insert(body.end(), {0x7A, 0x7A, 0x00, 0x02, 0xAB, 0xCD});
    return body;
}

// conformance: RFC8446-4.1.2-16
TEST(ConformanceServerInput13, AnUnknownExtensionIsIgnored) {
    for (bool dtls13 : {true, false}) {
        SCOPED_TRACE(dtls13 ? "DTLS 1.3" : "DTLS 1.2");
        Pair p = make_dtls13_pair();
        if (!dtls13) p.client_config.max_version = ProtocolVersion::dtls1_2;
        Hello h = genuine_hello(std::move(p));
        ASSERT_FALSE(h.ch.extensions.offered_psks);
        const Bytes reply = offer(h, with_unknown_extension(h.ch));
        EXPECT_TRUE(is_server_hello(reply)) << (h.p.server_conn && h.p.server_conn->error()
                                                    ? h.p.server_conn->error()->to_string()
                                                    : "");
    }
}

// conformance: RFC8446-4.1.2-15
TEST(ConformanceServerInput12, ADtls12HelloWithAnotherCompressionMethodBesideNullGetsNull) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = ProtocolVersion::dtls1_2;
    Hello h = genuine_hello(std::move(p));
    h.ch.compression_methods = {1, 0};  // DEFLATE first, then null
    const Bytes reply = offer(h, h.ch);
    ASSERT_TRUE(is_server_hello(reply));
    auto sh = server_hello_of(reply);
    ASSERT_TRUE(sh);
    EXPECT_EQ(sh->compression_method, 0);
}

// conformance: RFC8446-4.1.2-18
TEST(ConformanceServerInput12, BytesAfterTheExtensionsAreDecodeError) {
    Pair p = make_dtls13_pair();
    p.client_config.max_version = ProtocolVersion::dtls1_2;
    Hello h = genuine_hello(std::move(p));
    Bytes body = encoded_or_empty(messages::encoded(h.ch));
    body.push_back(0);
    const Bytes reply = offer(h, body);
    EXPECT_FALSE(is_server_hello(reply));
    expect_server_failed(h, Alert::decode_error);
}

// conformance: RFC9147-4-3
TEST(ConformanceServerInput13, TheRecordVersionOfAHelloIsNotLookedAt) {
    for (uint16_t version : {uint16_t{0xFEFF}, uint16_t{0xFEFD}, uint16_t{0xFEFC}}) {
        SCOPED_TRACE(version);
        Pair p = make_dtls13_pair();
        ASSERT_TRUE(p.start());
        Bytes hello, reply;
        ASSERT_TRUE(p.client->poll_datagram(hello));
        hello[1] = static_cast<uint8_t>(version >> 8);
        hello[2] = static_cast<uint8_t>(version);
        EXPECT_EQ(p.server->handle_datagram(p.client_address, hello, p.now, reply).outcome, Server::Outcome::reply);
        EXPECT_TRUE(is_hello_retry_request(reply));
    }
}

}  // namespace
}  // namespace dtls::test
