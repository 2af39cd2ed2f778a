// The evil server against our DTLS 1.3 client: the genuine server's flight
// is held record by record (evil/dtls13_evil_peer.hpp) and, where the client
// waits for a message, a malformed or wrong one takes its place: the
// ServerHello in plaintext, the messages after it sealed with the server's
// real epoch 2 keys, so the client takes them for the server's. The
// HelloRetryRequest comes from the front door before anything is held, so
// it is edited on the path instead.
//
// Every case asserts the client's fault, the one fatal alert it sends (the
// alert RFC 8446 names: 4.1.3, 4.1.4, 4.2, 4.4), that the handshake never
// completes and that no application data leaves the client.
#include <gtest/gtest.h>

#include <functional>

#include "crypto/key_exchange.hpp"
#include "evil/dtls13_evil_peer.hpp"
#include "evil/evil_server.hpp"
#include "messages/hello_retry_request.hpp"
#include "messages/tls13_messages.hpp"

namespace dtls::test {
namespace {

using messages::HandshakeType;

// --- What the client must do ------------------------------------------------

void expect_client_fault(Dtls13EvilPeer& e, const Before13& before, Fault fault, const char* why) {
    SCOPED_TRACE(why);
    const std::optional<Alert> alert = alert_for(fault);
    ASSERT_TRUE(alert.has_value());
    expect_fatal13(e, Direction::to_client, *alert, before);
    ASSERT_TRUE(e.m.client->error().has_value());
    EXPECT_EQ(e.m.client->error()->fault, std::optional<Fault>(fault)) << e.m.client->error()->to_string();
    EXPECT_FALSE(e.m.client->send(span_of(std::string("must not leave")), e.m.now));
    e.flush();
    EXPECT_TRUE(e.sent_by_target(Direction::to_client, 0, record::ContentType::application_data).empty())
        << "the client sent application data";
}

// --- Forging the server's messages ------------------------------------------

Bytes edit_server_hello(const Bytes& genuine, const std::function<void(messages::ServerHello&)>& change) {
    messages::ServerHello sh = decoded_server_hello(genuine);
    change(sh);
    return encoded_or_fail(sh);
}

Bytes edit_encrypted_extensions(const Bytes& genuine, const std::function<void(messages::Extensions&)>& change) {
    auto ee = messages::decode_encrypted_extensions(genuine);
    EXPECT_TRUE(ee) << ee.error().to_string();
    if (!ee) return {};
    change(ee->extensions);
    return encoded_or_fail(*ee);
}

Bytes certificate13_body(std::vector<Bytes> chain, Bytes context = {}) {
    messages::Certificate13 c;
    c.request_context = std::move(context);
    for (Bytes& der : chain) c.entries.push_back({std::move(der), {}});
    return encoded_or_fail(c);
}

Bytes public_key_of(NamedGroup group) {
    auto share = crypto::KeyShare::generate(group);
    EXPECT_TRUE(share);
    return share ? share->public_key() : Bytes{};
}

Bytes with_last_byte_flipped(Bytes b) {
    b.back() ^= 0x01;
    return b;
}

Bytes with_trailing_zero(Bytes b) {
    b.push_back(0);
    return b;
}

// --- The table ----------------------------------------------------------------

struct ServerCase13 {
    const char* name;
    HandshakeType replaces;  // the genuine message the forgery takes the place of
    std::function<Bytes(const Bytes& genuine)> forge;
    Fault fault;
    const char* why;
    std::function<void(Dtls13EvilPeer&)> setup = nullptr;
};

void PrintTo(const ServerCase13& c, std::ostream* os) { *os << c.name; }

const std::vector<ServerCase13>& server_cases() {
    using HT = HandshakeType;
    using SH = messages::ServerHello;
    static const std::vector<ServerCase13> cases = {
        // --- ServerHello (RFC 8446 4.1.3, 4.2; RFC 9147 5.3) ---
        {"ServerHelloSuiteNotOffered", HT::server_hello,
         [](const Bytes& g) {
             return edit_server_hello(g, [](SH& sh) { sh.cipher_suite = static_cast<uint16_t>(CipherSuite::aes256_gcm_sha384); });
         },
         Fault::not_offered, "a suite we did not offer: illegal_parameter (RFC 8446 4.1.3)",
         [](Dtls13EvilPeer& e) { e.m.client_config.cipher_suites = {CipherSuite::aes128_gcm_sha256}; }},
        {"ServerHelloSuiteNotTheRetryRequests", HT::server_hello,
         [](const Bytes& g) {
             return edit_server_hello(g, [](SH& sh) {
                 sh.cipher_suite = static_cast<uint16_t>(sh.cipher_suite == 0x1301 ? CipherSuite::aes256_gcm_sha384
                                                                                   : CipherSuite::aes128_gcm_sha256);
             });
         },
         Fault::forbidden_value, "another suite than the HelloRetryRequest's: illegal_parameter (RFC 8446 4.1.4)"},
        {"ServerHelloWithoutSupportedVersions", HT::server_hello,
         [](const Bytes& g) { return edit_server_hello(g, [](SH& sh) { sh.extensions.supported_versions.reset(); }); },
         Fault::unsupported_version, "DTLS 1.2 chosen, and we offered only DTLS 1.3: protocol_version"},
        {"ServerHelloSupportedVersionsDtls12", HT::server_hello,
         [](const Bytes& g) {
             return edit_server_hello(g, [](SH& sh) { sh.extensions.supported_versions = std::vector<uint16_t>{0xfefd}; });
         },
         Fault::not_offered, "a version we did not offer: illegal_parameter (RFC 8446 4.2.1)"},
        {"ServerHelloLegacyVersion", HT::server_hello,
         [](const Bytes& g) { return edit_server_hello(g, [](SH& sh) { sh.version = 0xfefc; }); },
         Fault::forbidden_value, "legacy_version is DTLS 1.2 (RFC 9147 5.3)"},
        {"ServerHelloSessionIdEcho", HT::server_hello,
         [](const Bytes& g) { return edit_server_hello(g, [](SH& sh) { sh.session_id = Bytes(8, 7); }); },
         Fault::forbidden_value, "legacy_session_id_echo echoes our empty one (RFC 8446 4.1.3)"},
        {"ServerHelloCompression", HT::server_hello,
         [](const Bytes& g) { return edit_server_hello(g, [](SH& sh) { sh.compression_method = 1; }); },
         Fault::forbidden_value, "legacy_compression_method is 0 (RFC 8446 4.1.3)"},
        {"ServerHelloAlpn", HT::server_hello,
         [](const Bytes& g) { return edit_server_hello(g, [](SH& sh) { sh.extensions.alpn = {{"h2"}}; }); },
         Fault::unsolicited_extension, "ALPN goes in EncryptedExtensions, and we did not offer it"},
        {"ServerHelloExtendedMasterSecret", HT::server_hello,
         [](const Bytes& g) { return edit_server_hello(g, [](SH& sh) { sh.extensions.extended_master_secret = true; }); },
         Fault::unsolicited_extension, "a DTLS 1.2 extension we did not offer"},
        {"ServerHelloUnofferedRrc", HT::server_hello,
         [](const Bytes& g) { return edit_server_hello(g, [](SH& sh) { sh.extensions.rrc = true; }); },
         Fault::unsolicited_extension, "rrc we did not offer: unsupported_extension (RFC 9853 3)",
         [](Dtls13EvilPeer& e) { e.m.client_config.return_routability_check = false; }},
        {"ServerHelloRrcWithoutConnectionId", HT::server_hello,
         [](const Bytes& g) { return edit_server_hello(g, [](SH& sh) { sh.extensions.connection_id.reset(); }); },
         Fault::unsolicited_extension, "rrc without connection_id: unsupported_extension (RFC 9853 3)",
         [](Dtls13EvilPeer& e) { e.m.client_config.connection_id_length = e.m.server_config.connection_id_length = 4; }},
        {"ServerHelloCookie", HT::server_hello,
         [](const Bytes& g) { return with_raw_extension(g, server_hello_extensions_at(g), 44, {0, 2, 0xAB, 0xCD}); },
         Fault::forbidden_value, "a cookie belongs in a HelloRetryRequest only: illegal_parameter (RFC 8446 4.2)"},
        {"ServerHelloUnknownExtension", HT::server_hello,
         [](const Bytes& g) { return with_raw_extension(g, server_hello_extensions_at(g), 0x7a7a, {1}); },
         Fault::unsolicited_extension, "unsupported_extension (RFC 8446 4.2)"},
        {"ServerHelloDuplicateExtension", HT::server_hello,
         [](const Bytes& g) { return with_first_extension_twice(g, server_hello_extensions_at(g)); },
         Fault::forbidden_value, "two extensions of one type (RFC 8446 4.2)"},
        {"ServerHelloWithoutKeyShare", HT::server_hello,
         [](const Bytes& g) { return edit_server_hello(g, [](SH& sh) { sh.extensions.key_shares.reset(); }); },
         Fault::missing_extension, "(EC)DHE without a share: missing_extension (RFC 8446 9.2)"},
        {"ServerHelloKeyShareForAnotherGroup", HT::server_hello,
         [](const Bytes& g) {
             return edit_server_hello(g, [](SH& sh) {
                 const NamedGroup other = sh.extensions.key_shares->front().group == 0x001D ? NamedGroup::secp256r1
                                                                                          : NamedGroup::x25519;
                 sh.extensions.key_shares = std::vector<messages::KeyShareEntry>{
                     {static_cast<uint16_t>(other), public_key_of(other)}};
             });
         },
         Fault::forbidden_value, "a share for a group we sent none for: illegal_parameter (RFC 8446 4.2.8)"},
        {"ServerHelloKeyShareOffTheCurve", HT::server_hello,
         [](const Bytes& g) {
             return edit_server_hello(g, [](SH& sh) {
                 Bytes& point = sh.extensions.key_shares->front().key_exchange;
                 point.assign(point.size(), 0);
                 point[0] = 4;
             });
         },
         Fault::key_share_invalid, "not a point on the curve: illegal_parameter (RFC 8446 4.2.8.2)",
         [](Dtls13EvilPeer& e) { e.m.client_config.groups = {NamedGroup::secp256r1}; }},
        {"ServerHelloPskNotOffered", HT::server_hello,
         [](const Bytes& g) { return edit_server_hello(g, [](SH& sh) { sh.extensions.selected_psk_identity = 0; }); },
         Fault::unsolicited_extension, "a PSK we did not offer (RFC 8446 4.2.11)"},
        {"ServerHelloPskIdentityNotOffered", HT::server_hello,
         [](const Bytes& g) {
             return edit_server_hello(g, [](SH& sh) {
                 EXPECT_EQ(sh.extensions.selected_psk_identity, std::optional<uint16_t>(0)) << "the PSK was not taken";
                 sh.extensions.selected_psk_identity = 1;  // we offered one identity, number 0
             });
         },
         Fault::forbidden_value, "an identity we did not offer: illegal_parameter (RFC 8446 4.2.11)",
         [](Dtls13EvilPeer& e) {
             e.m.client_config.psk.emplace("device-9", Bytes(32, 0x5c));
             e.m.server_config.psk_lookup = [](std::string_view identity) -> std::optional<Bytes> {
                 if (identity == "device-9") return Bytes(32, 0x5c);
                 return std::nullopt;
             };
             e.m.server_config.client_auth = ClientAuth::none;
             e.m.client_config.credential.reset();
         }},
        {"ServerHelloTruncated", HT::server_hello, [](const Bytes& g) { return Bytes(g.begin(), g.begin() + 40); },
         Fault::malformed_message, "decode_error"},

        // --- EncryptedExtensions (RFC 8446 4.3.1, 4.2) ---
        {"EncryptedExtensionsUnknownExtension", HT::encrypted_extensions,
         [](const Bytes& g) { return with_raw_extension(g, 0, 0x7a7a, {1}); }, Fault::unsolicited_extension,
         "an extension we did not offer: unsupported_extension (RFC 8446 4.2)"},
        {"EncryptedExtensionsEarlyData", HT::encrypted_extensions,
         [](const Bytes& g) { return edit_encrypted_extensions(g, [](messages::Extensions& x) { x.early_data = true; }); },
         Fault::unsolicited_extension, "early_data we did not offer (RFC 8446 4.2.10)"},
        {"EncryptedExtensionsUnofferedAlpn", HT::encrypted_extensions,
         [](const Bytes& g) { return edit_encrypted_extensions(g, [](messages::Extensions& x) { x.alpn = {{"h2"}}; }); },
         Fault::unsolicited_extension, "ALPN we did not offer: unsupported_extension"},
        {"EncryptedExtensionsAlpnProtocolNotOffered", HT::encrypted_extensions,
         [](const Bytes& g) { return edit_encrypted_extensions(g, [](messages::Extensions& x) { x.alpn = {{"h2"}}; }); },
         Fault::not_offered, "a protocol we did not list: illegal_parameter (RFC 7301 3.2)",
         [](Dtls13EvilPeer& e) { e.m.client_config.alpn = e.m.server_config.alpn = {"coap"}; }},
        {"EncryptedExtensionsServerNameNotEmpty", HT::encrypted_extensions,
         [](const Bytes& g) {
             const Bytes list = {0, 12, 0, 0, 9, 'e', 'v', 'i', 'l', '.', 't', 'e', 's', 't'};
             return with_raw_extension(g, 0, 0, list);
         },
         Fault::malformed_message, "a server's server_name has an empty body (RFC 6066 3): decode_error"},
        {"EncryptedExtensionsSupportedVersions", HT::encrypted_extensions,
         [](const Bytes& g) { return with_raw_extension(g, 0, 43, {0xfe, 0xfc}); }, Fault::forbidden_value,
         "an extension that has no place in EncryptedExtensions: illegal_parameter (RFC 8446 4.2)"},
        {"EncryptedExtensionsKeyShare", HT::encrypted_extensions,
         [](const Bytes& g) { return with_raw_extension(g, 0, 51, {0x00, 0x1d, 0x00, 0x01, 0x00}); },
         Fault::forbidden_value, "key_share in EncryptedExtensions: illegal_parameter (RFC 8446 4.2)"},
        {"EncryptedExtensionsPreSharedKey", HT::encrypted_extensions,
         [](const Bytes& g) { return with_raw_extension(g, 0, 41, {0x00, 0x00}); }, Fault::forbidden_value,
         "pre_shared_key in EncryptedExtensions: illegal_parameter (RFC 8446 4.2)"},
        {"EncryptedExtensionsSignatureAlgorithms", HT::encrypted_extensions,
         [](const Bytes& g) { return with_raw_extension(g, 0, 13, {0x00, 0x02, 0x04, 0x03}); },
         Fault::forbidden_value, "signature_algorithms in EncryptedExtensions: illegal_parameter (RFC 8446 4.2)"},
        {"EncryptedExtensionsExtendedMasterSecret", HT::encrypted_extensions,
         [](const Bytes& g) { return with_raw_extension(g, 0, 23, {}); }, Fault::forbidden_value,
         "a DTLS 1.2 extension in EncryptedExtensions: illegal_parameter (RFC 8446 4.2)"},
        {"EncryptedExtensionsTrailingBytes", HT::encrypted_extensions, with_trailing_zero, Fault::malformed_message,
         "decode_error"},

        // --- CertificateRequest (RFC 8446 4.3.2) ---
        {"CertificateRequestWithContext", HT::certificate_request,
         [](const Bytes& g) {
             auto cr = *messages::decode_certificate_request13(g);
             cr.request_context = Bytes{1, 2, 3};
             return encoded_or_fail(cr);
         },
         Fault::forbidden_value, "the context is empty in the handshake (RFC 8446 4.3.2)"},
        {"CertificateRequestTrailingBytes", HT::certificate_request, with_trailing_zero, Fault::malformed_message,
         "decode_error"},

        // --- Certificate (RFC 8446 4.4.2) ---
        {"CertificateEmpty", HT::certificate, [](const Bytes&) { return certificate13_body({}); },
         Fault::malformed_message, "a server must send one: decode_error (RFC 8446 4.4.2.4)"},
        {"CertificateWithContext", HT::certificate,
         [](const Bytes&) {
             return certificate13_body({test_ca().issue(KeyKind::ecdsa_p256, "server.test").cert_der}, Bytes{9});
         },
         Fault::forbidden_value, "the context is empty in the handshake (RFC 8446 4.4.2)"},
        {"CertificateWrongName", HT::certificate,
         [](const Bytes&) { return certificate13_body({test_ca().issue(KeyKind::ecdsa_p256, "other.test").cert_der}); },
         Fault::certificate_invalid, "another host's certificate: bad_certificate"},
        {"CertificateUntrusted", HT::certificate,
         [](const Bytes&) { return certificate13_body({other_ca().issue(KeyKind::ecdsa_p256, "server.test").cert_der}); },
         Fault::certificate_unknown_issuer, "unknown_ca"},
        {"CertificateGarbage", HT::certificate, [](const Bytes&) { return certificate13_body({Bytes{0x30, 0x00}}); },
         Fault::certificate_invalid, "not a certificate: bad_certificate"},
        {"CertificateTrailingBytes", HT::certificate, with_trailing_zero, Fault::malformed_message, "decode_error"},

        // --- CertificateVerify (RFC 8446 4.4.3) ---
        {"CertificateVerifyBadSignature", HT::certificate_verify, with_last_byte_flipped, Fault::signature_invalid,
         "decrypt_error (RFC 8446 4.4.3)"},
        {"CertificateVerifyPkcs1", HT::certificate_verify,
         [](const Bytes& g) {
             Bytes b = g;
             set_u16(b, 0, static_cast<uint16_t>(SignatureScheme::rsa_pkcs1_sha256));
             return b;
         },
         Fault::not_offered, "RSA PKCS#1 is never used in CertificateVerify: illegal_parameter (RFC 8446 4.4.3)"},
        {"CertificateVerifySchemeNotForTheKey", HT::certificate_verify,
         [](const Bytes& g) {
             Bytes b = g;
             set_u16(b, 0, static_cast<uint16_t>(SignatureScheme::ed25519));
             return b;
         },
         Fault::not_offered, "a scheme the certificate's key cannot sign with: illegal_parameter"},
        {"CertificateVerifyTruncated", HT::certificate_verify, [](const Bytes& g) { return Bytes(g.begin(), g.begin() + 5); },
         Fault::malformed_message, "decode_error"},

        // --- Finished (RFC 8446 4.4.4) ---
        {"FinishedWrongVerifyData", HT::finished, with_last_byte_flipped, Fault::finished_invalid,
         "decrypt_error (RFC 8446 4.4.4)"},
        {"FinishedTooShort", HT::finished, [](const Bytes& g) { return Bytes(g.begin(), g.end() - 1); },
         Fault::malformed_message, "verify_data is Hash.length bytes: decode_error"},
        {"FinishedTooLong", HT::finished, with_trailing_zero, Fault::malformed_message, "decode_error"},
    };
    return cases;
}

class Dtls13EvilServer : public ::testing::TestWithParam<ServerCase13> {};

TEST_P(Dtls13EvilServer, ClientSendsTheAlertAndNoData) {
    const ServerCase13& c = GetParam();
    Dtls13EvilPeer e;
    if (c.setup) c.setup(e);
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, c.replaces));
    const Before13 before = Before13::of(e, Direction::to_client);
    const Unit13 genuine = std::move(e.queue(Direction::to_client).front());
    e.queue(Direction::to_client).pop_front();
    const Bytes body = c.forge(genuine.body);
    ASSERT_FALSE(::testing::Test::HasFailure()) << "the forgery could not be built";
    e.deliver(Direction::to_client, e.message(Direction::to_client, genuine.epoch, c.replaces, genuine.message_seq, body));
    expect_client_fault(e, before, c.fault, c.why);
}

INSTANTIATE_TEST_SUITE_P(Table, Dtls13EvilServer, ::testing::ValuesIn(server_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

// --- HelloRetryRequest (RFC 8446 4.1.4), from the front door -----------------

Mitm dtls13_mitm() {
    Mitm m;
    for (Config* c : {&m.client_config, &m.server_config}) {
        c->min_version = ProtocolVersion::dtls1_3;
        c->max_version = ProtocolVersion::dtls1_3;
    }
    return m;
}

struct RetryCase {
    const char* name;
    std::function<Bytes(const Bytes& hrr)> forge;
    Fault fault;
    const char* why;
    std::function<void(Mitm&)> setup = nullptr;
};

void PrintTo(const RetryCase& c, std::ostream* os) { *os << c.name; }

// A RetryCase forge that edits the decoded HelloRetryRequest.
std::function<Bytes(const Bytes&)> changed(std::function<void(messages::ServerHello&)> change) {
    return [change](const Bytes& hrr) { return edit_server_hello(hrr, change); };
}

// One that appends a raw extension the encoder would refuse to write there.
std::function<Bytes(const Bytes&)> with_extension(uint16_t type, Bytes data) {
    return [type, data](const Bytes& hrr) { return with_raw_extension(hrr, server_hello_extensions_at(hrr), type, data); };
}

const std::vector<RetryCase>& retry_cases() {
    using SH = messages::ServerHello;
    static const std::vector<RetryCase> cases = {
        {"GroupNotOffered", changed([](SH& h) { h.extensions.key_share_selected_group = 0x0018; }), Fault::forbidden_value,
         "a group we did not offer: illegal_parameter (RFC 8446 4.2.8)",
         [](Mitm& m) { m.client_config.groups = {NamedGroup::x25519, NamedGroup::secp256r1}; }},
        {"GroupAlreadySent", changed([](SH& h) { h.extensions.key_share_selected_group = 0x001D; }), Fault::forbidden_value,
         "the group of the share we sent: illegal_parameter (RFC 8446 4.2.8)"},
        {"ChangesNothing", changed([](SH& h) {
             h.extensions.cookie.reset();
             h.extensions.key_share_selected_group.reset();
         }),
         Fault::forbidden_value, "a retry that would not change the hello: illegal_parameter (RFC 8446 4.1.4)"},
        {"SuiteNotOffered", changed([](SH& h) { h.cipher_suite = static_cast<uint16_t>(CipherSuite::aes256_gcm_sha384); }),
         Fault::not_offered, "illegal_parameter (RFC 8446 4.1.4)",
         [](Mitm& m) { m.client_config.cipher_suites = {CipherSuite::aes128_gcm_sha256}; }},
        {"PreSharedKey", with_extension(41, {0, 0}), Fault::forbidden_value,
         "pre_shared_key has no place in a HelloRetryRequest: illegal_parameter (RFC 8446 4.2)"},
        {"Alpn", with_extension(16, {0, 3, 2, 'h', '2'}), Fault::forbidden_value,
         "ALPN has no place in a HelloRetryRequest: illegal_parameter (RFC 8446 4.2)"},
        {"UnknownExtension", with_extension(0x7a7a, {}), Fault::unsolicited_extension,
         "an extension we did not offer: unsupported_extension (RFC 8446 4.1.4)"},
        {"WithoutSupportedVersions", changed([](SH& h) { h.extensions.supported_versions.reset(); }),
         Fault::unsupported_version, "protocol_version"},
        {"SessionIdEcho", changed([](SH& h) { h.session_id = Bytes(4, 4); }), Fault::forbidden_value,
         "legacy_session_id_echo is empty (RFC 8446 4.1.3)"},
    };
    return cases;
}

class Dtls13EvilHelloRetryRequest : public ::testing::TestWithParam<RetryCase> {};

TEST_P(Dtls13EvilHelloRetryRequest, ClientSendsTheAlertAndNoSecondHello) {
    const RetryCase& c = GetParam();
    Mitm m = dtls13_mitm();
    if (c.setup) c.setup(m);
    int edited = 0;
    m.filter = [&](Direction d, Bytes b) {
        if (d == Direction::to_client) {
            edit_messages(b, HandshakeType::server_hello, [&](Bytes& body) {
                if (!messages::is_hello_retry_request(decoded_server_hello(body))) return;
                body = c.forge(body);
                ++edited;
            });
        }
        return std::vector<Bytes>{std::move(b)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_EQ(edited, 1);
    SCOPED_TRACE(c.why);
    expect_fault(*m.client, m.client_events, c.fault);
    expect_plaintext_fatal_alert(m.from_client, *alert_for(c.fault));
    size_t hellos = 0;
    for (const Bytes& d : m.from_client) hellos += holds_message(d, HandshakeType::client_hello);
    EXPECT_EQ(hellos, 1u) << "the client answered the bad HelloRetryRequest";
    EXPECT_FALSE(m.server_conn.has_value());
}

INSTANTIATE_TEST_SUITE_P(Table, Dtls13EvilHelloRetryRequest, ::testing::ValuesIn(retry_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

// RFC 8446 4.1.4: a second HelloRetryRequest is unexpected_message. The
// path strips the cookie from the second hello, so the front door asks
// again.
TEST(Dtls13EvilHelloRetryRequest, SecondRequestIsUnexpectedMessage) {
    Mitm m = dtls13_mitm();
    size_t requests = 0;
    m.filter = [&](Direction d, Bytes b) {
        if (d == Direction::to_server) edit_client_hello(b, [](messages::ClientHello& ch) { ch.extensions.cookie.reset(); });
        if (d == Direction::to_client) {
            edit_messages(b, HandshakeType::server_hello, [&](Bytes& body) {
                requests += messages::is_hello_retry_request(decoded_server_hello(body));
            });
        }
        return std::vector<Bytes>{std::move(b)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    EXPECT_EQ(requests, 2u);
    expect_fault(*m.client, m.client_events, Fault::unexpected_message);
    expect_plaintext_fatal_alert(m.from_client, Alert::unexpected_message);
    EXPECT_FALSE(m.server_conn.has_value());
}

}  // namespace
}  // namespace dtls::test
