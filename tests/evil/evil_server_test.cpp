// The evil server: our DTLS 1.2 client as the victim. The genuine server's
// flight is held unit by unit (evil/evil_peer.hpp); where the client waits
// for a message, the evil server sends a malformed or wrong one instead, at
// the message_seq the client expects, so the reassembler hands it straight
// to the client's state machine. Where a change would be caught by a later
// check anyway (a ServerKeyExchange with another group also breaks its
// signature), the evil server re-signs with the server's real key, so each
// case reaches exactly the check it is about.
//
// Every case asserts the client's fault, the one fatal alert it sends (the
// alert the RFC names: RFC 5246 7.2.2, 7.4; RFC 6347 4.2.1; RFC 7627 5.2),
// that the handshake never completes and that no application data leaves
// the client.
#include <gtest/gtest.h>

#include <functional>

#include "crypto/credential.hpp"
#include "crypto/key_exchange.hpp"
#include "evil/evil_server.hpp"
#include "evil/outcome.hpp"
#include "evil/stages.hpp"
#include "messages/messages.hpp"
#include "messages/psk_key_exchange.hpp"

namespace dtls::test {
namespace {

using messages::HandshakeType;

// --- What the client must do ------------------------------------------------

// The client failed with `fault`, sent its alert once and fatal, completed
// nothing and sent no data.
void expect_client_fault(EvilPeer& e, const Before& before, Fault fault, const char* why) {
    const std::optional<Alert> alert = alert_for(fault);
    ASSERT_TRUE(alert.has_value());
    expect_outcome(e, Direction::to_client, fatal(*alert, why), before);
    ASSERT_TRUE(e.m.client->error().has_value());
    EXPECT_EQ(e.m.client->error()->fault, std::optional<Fault>(fault)) << e.m.client->error()->to_string();
    expect_no_application_data(e.m);
}

// --- Forging the server's messages --------------------------------------------

Bytes server_hello_with_extension(const Bytes& server_hello, uint16_t type, const Bytes& data) {
    return with_raw_extension(server_hello, server_hello_extensions_at(server_hello), type, data);
}

Bytes edit_server_hello(const Bytes& genuine, const std::function<void(messages::ServerHello&)>& change) {
    messages::ServerHello sh = decoded_server_hello(genuine);
    change(sh);
    return encoded_or_fail(sh);
}

// The client random and server random of this handshake.
struct Randoms {
    messages::Random client{}, server{};
};

Randoms randoms_of(EvilPeer& e) {
    Randoms r;
    for (const Unit& u : e.messages_sent_by(Role::client)) {
        if (u.message == HandshakeType::client_hello) r.client = messages::decode_client_hello(u.body)->random;
    }
    for (const Unit& u : e.messages_sent_by(Role::server)) {
        if (u.message == HandshakeType::server_hello) r.server = decoded_server_hello(u.body).random;
    }
    return r;
}

// A ServerKeyExchange with `change` applied, signed again with the genuine
// server's key under the scheme it then names.
Bytes resigned_server_key_exchange(EvilPeer& e, const Bytes& genuine,
                                   const std::function<void(messages::ServerKeyExchange&)>& change) {
    auto ske = messages::decode_server_key_exchange(genuine);
    EXPECT_TRUE(ske) << ske.error().to_string();
    if (!ske) return {};
    change(*ske);
    const Randoms r = randoms_of(e);
    auto signed_data = messages::server_key_exchange_signed_data(r.client, r.server, *ske);
    EXPECT_TRUE(signed_data);
    auto signature = e.m.server_config.credential->data().key.sign(static_cast<SignatureScheme>(ske->signature_scheme),
                                                                   *signed_data);
    EXPECT_TRUE(signature) << signature.error().to_string();
    if (signature) ske->signature = std::move(*signature);
    return encoded_or_fail(*ske);
}

Bytes certificate_body(const std::vector<Bytes>& chain) { return encoded_or_fail(messages::Certificate{chain, false}); }

Bytes public_key_of(NamedGroup group) {
    auto share = crypto::KeyShare::generate(group);
    EXPECT_TRUE(share);
    return share ? share->public_key() : Bytes{};
}

// --- The table ----------------------------------------------------------------

struct ServerCase {
    const char* name;
    HandshakeType replaces;  // the genuine message the forgery takes the place of
    // The forged body, from the genuine one; null sends the genuine body
    // (the case then lies in `setup`).
    std::function<Bytes(EvilPeer&, const Bytes& genuine)> forge;
    Fault fault;
    const char* why;
    std::function<void(EvilPeer&)> setup = nullptr;
};

void PrintTo(const ServerCase& c, std::ostream* os) { *os << c.name; }

const std::vector<ServerCase>& server_cases() {
    using HT = HandshakeType;
    static const std::vector<ServerCase> cases = {
        // --- ServerHello (RFC 5246 7.4.1.3, RFC 6347 4.2.1) ---
        {"ServerHelloSuiteNotOffered", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) {
                 sh.cipher_suite = static_cast<uint16_t>(CipherSuite::ecdhe_ecdsa_aes256_gcm_sha384);
             });
         },
         Fault::not_offered, "a suite we know but did not offer: illegal_parameter (RFC 5246 7.4.1.3)",
         [](EvilPeer& e) { e.m.client_config.cipher_suites = {CipherSuite::ecdhe_ecdsa_aes128_gcm_sha256}; }},
        {"ServerHelloUnknownSuite", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) { sh.cipher_suite = 0x1234; });
         },
         Fault::not_offered, "a suite nobody offered: illegal_parameter"},
        {"ServerHelloDtls13SuiteInDtls12", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) {
                 sh.cipher_suite = static_cast<uint16_t>(CipherSuite::aes128_gcm_sha256);
             });
         },
         Fault::not_offered, "a DTLS 1.3 suite in a DTLS 1.2 ServerHello"},
        {"ServerHelloCompression", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) { sh.compression_method = 1; });
         },
         Fault::not_offered, "we offer only null compression: illegal_parameter"},
        {"ServerHelloVersionDtls10", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) { sh.version = 0xfeff; });
         },
         Fault::unsupported_version, "DTLS 1.0 was not offered: protocol_version (RFC 5246 E.1)"},
        {"ServerHelloVersionDtls13Value", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) { sh.version = 0xfefc; });
         },
         Fault::unsupported_version, "a version above the one offered: protocol_version"},
        {"ServerHelloVersionTls12", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) { sh.version = 0x0303; });
         },
         Fault::unsupported_version, "TLS, not DTLS: protocol_version"},
        {"ServerHelloWithoutExtendedMasterSecret", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) { sh.extensions.extended_master_secret = false; });
         },
         Fault::extended_master_secret_missing, "required and missing: handshake_failure (RFC 7627 5.2)"},
        {"ServerHelloUnofferedAlpn", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) { sh.extensions.alpn = {{"h2"}}; });
         },
         Fault::unsolicited_extension, "ALPN we did not offer: unsupported_extension (RFC 5246 7.4.1.4)"},
        {"ServerHelloAlpnProtocolNotOffered", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) { sh.extensions.alpn = {{"h2"}}; });
         },
         Fault::not_offered, "an ALPN protocol we did not list: illegal_parameter (RFC 7301 3.2)",
         [](EvilPeer& e) {
             e.m.client_config.alpn = {"coap"};
             e.m.server_config.alpn = {"coap"};
         }},
        {"ServerHelloUnofferedSessionTicket", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) { sh.extensions.session_ticket = Bytes{}; });
         },
         Fault::unsolicited_extension, "SessionTicket we did not ask for (RFC 5077 3.2)"},
        {"ServerHelloSupportedVersions", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) {
                 sh.extensions.supported_versions = std::vector<uint16_t>{0xfefc};
             });
         },
         Fault::unsolicited_extension, "a DTLS 1.3 extension in a DTLS 1.2 ServerHello"},
        {"ServerHelloUnofferedServerCertificateType", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) {
                 sh.extensions.server_certificate_types = std::vector<uint8_t>{2};  // RawPublicKey
             });
         },
         Fault::unsolicited_extension, "a certificate type we did not offer: unsupported_extension (RFC 7250 4.2)"},
        {"ServerHelloUnknownExtension", HT::server_hello,
         [](EvilPeer&, const Bytes& g) { return server_hello_with_extension(g, 0x7a7a, {1, 2, 3}); }, Fault::unsolicited_extension,
         "an extension type nobody offered: unsupported_extension (RFC 5246 7.4.1.4)"},
        {"ServerHelloDuplicateExtension", HT::server_hello,
         [](EvilPeer&, const Bytes& g) { return with_first_extension_twice(g, server_hello_extensions_at(g)); }, Fault::forbidden_value,
         "two extensions of one type (RFC 5246 7.4.1.4)"},
        {"ServerHelloNonEmptyRenegotiationInfo", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) { sh.extensions.renegotiation_info = Bytes{1, 2}; });
         },
         Fault::renegotiation_info_not_empty, "RFC 5746 3.4: handshake_failure"},
        {"ServerHelloNonEmptyServerName", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) { sh.extensions.server_name = "evil.test"; });
         },
         Fault::forbidden_value, "server_name in a ServerHello is empty (RFC 6066 3)"},
        {"ServerHelloCompressedPointsOnly", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             return edit_server_hello(g, [](messages::ServerHello& sh) {
                 sh.extensions.ec_point_formats = std::vector<uint8_t>{1};
             });
         },
         Fault::forbidden_value, "uncompressed points must be accepted (RFC 8422 5.2)"},
        {"ServerHelloExtensionsLengthTooLong", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             Bytes b = g;
             const size_t at = server_hello_extensions_at(b);
             set_u16(b, at, u16_at(b, at) + 1);
             return b;
         },
         Fault::malformed_message, "extensions overrun the message: decode_error"},
        {"ServerHelloSessionIdTooLong", HT::server_hello,
         [](EvilPeer&, const Bytes& g) {
             Bytes b = g;
             b.at(34) = 33;  // longer than 32 (and than what follows is laid out for)
             return b;
         },
         Fault::malformed_message, "session_id<0..32>: decode_error"},
        {"ServerHelloTruncated", HT::server_hello, [](EvilPeer&, const Bytes& g) { return Bytes(g.begin(), g.begin() + 20); },
         Fault::malformed_message, "decode_error"},

        // --- Certificate (RFC 5246 7.4.2, RFC 5280 via the trust store) ---
        {"CertificateEmpty", HT::certificate, [](EvilPeer&, const Bytes&) { return certificate_body({}); },
         Fault::certificate_invalid, "the server must send a certificate: bad_certificate"},
        {"CertificateGarbage", HT::certificate,
         [](EvilPeer&, const Bytes&) { return certificate_body({Bytes{0x30, 0x03, 0x02, 0x01, 0x01}}); },
         Fault::certificate_invalid, "not a certificate: bad_certificate"},
        {"CertificateWrongName", HT::certificate,
         [](EvilPeer&, const Bytes&) {
             return certificate_body({test_ca().issue(KeyKind::ecdsa_p256, "other.test").cert_der});
         },
         Fault::certificate_invalid, "another host's certificate: bad_certificate (RFC 6125)"},
        {"CertificateUntrusted", HT::certificate,
         [](EvilPeer&, const Bytes&) {
             return certificate_body({other_ca().issue(KeyKind::ecdsa_p256, "server.test").cert_der});
         },
         Fault::certificate_unknown_issuer, "issued by a CA we do not trust: unknown_ca"},
        {"CertificateSelfSigned", HT::certificate,
         [](EvilPeer&, const Bytes&) { return certificate_body({self_signed(KeyKind::ecdsa_p256, "server.test").cert_der}); },
         Fault::certificate_unknown_issuer, "self-signed: unknown_ca"},
        {"CertificateKeyDoesNotFitSuite", HT::certificate,
         [](EvilPeer&, const Bytes&) {
             return certificate_body({test_ca().issue(KeyKind::rsa2048, "server.test").cert_der});
         },
         Fault::certificate_unsupported, "an RSA key for an ECDSA suite: unsupported_certificate"},
        {"CertificateListLengthTooLong", HT::certificate,
         [](EvilPeer&, const Bytes& g) {
             Bytes b = g;
             add_to_u24(b, 0, 1);
             return b;
         },
         Fault::malformed_message, "certificate_list overruns the message: decode_error"},
        {"CertificateEntryLengthTooLong", HT::certificate,
         [](EvilPeer&, const Bytes& g) {
             Bytes b = g;
             add_to_u24(b, 3, 1);
             return b;
         },
         Fault::malformed_message, "a certificate overruns the list: decode_error"},
        {"CertificateTrailingBytes", HT::certificate,
         [](EvilPeer&, const Bytes& g) {
             Bytes b = g;
             b.push_back(0);
             return b;
         },
         Fault::malformed_message, "decode_error"},
        {"CertificatePartialWildcard", HT::certificate, nullptr, Fault::certificate_invalid,
         "a partial wildcard (w*.server.test) names no host (RFC 6125 7.2, RFC 9525 6.3)",
         [](EvilPeer& e) {
             IssueOptions o;
             o.dns_names = {"w*.server.test"};
             e.m.server_config.credential = server_credential(KeyKind::ecdsa_p256, o);
             e.m.client_config.server_name = "www.server.test";
         }},

        // --- ServerKeyExchange (RFC 8422 5.4, RFC 5246 7.4.3) ---
        {"ServerKeyExchangeBadSignature", HT::server_key_exchange,
         [](EvilPeer&, const Bytes& g) {
             Bytes b = g;
             b.back() ^= 0x01;
             return b;
         },
         Fault::signature_invalid, "decrypt_error (RFC 5246 7.2.2)"},
        {"ServerKeyExchangeSignedByAnotherKey", HT::server_key_exchange,
         [](EvilPeer& e, const Bytes& g) {
             auto ske = *messages::decode_server_key_exchange(g);
             const Randoms r = randoms_of(e);
             const Bytes data = *messages::server_key_exchange_signed_data(r.client, r.server, ske);
             Credential other = credential_of(client_identity());
             ske.signature = *other.data().key.sign(static_cast<SignatureScheme>(ske.signature_scheme), data);
             return encoded_or_fail(ske);
         },
         Fault::signature_invalid, "signed, but not by the certificate's key: decrypt_error"},
        {"ServerKeyExchangeGroupNotOffered", HT::server_key_exchange,
         [](EvilPeer& e, const Bytes& g) {
             return resigned_server_key_exchange(e, g, [](messages::ServerKeyExchange& ske) {
                 ske.group = static_cast<uint16_t>(NamedGroup::secp384r1);
                 ske.public_key = public_key_of(NamedGroup::secp384r1);
             });
         },
         Fault::not_offered, "a group we did not offer, properly signed: illegal_parameter (RFC 8422 5.4)",
         [](EvilPeer& e) { e.m.client_config.groups = {NamedGroup::x25519, NamedGroup::secp256r1}; }},
        {"ServerKeyExchangeUnknownGroup", HT::server_key_exchange,
         [](EvilPeer& e, const Bytes& g) {
             return resigned_server_key_exchange(e, g, [](messages::ServerKeyExchange& ske) { ske.group = 0x0101; });
         },
         Fault::not_offered, "a group nobody offered: illegal_parameter"},
        {"ServerKeyExchangeSchemeNotOffered", HT::server_key_exchange,
         [](EvilPeer& e, const Bytes& g) {
             return resigned_server_key_exchange(e, g, [](messages::ServerKeyExchange& ske) {
                 ske.signature_scheme = static_cast<uint16_t>(SignatureScheme::ecdsa_secp384r1_sha384);
             });
         },
         Fault::not_offered, "a signature scheme we did not offer, properly signed: illegal_parameter (RFC 5246 7.4.3)",
         [](EvilPeer& e) {
             e.m.client_config.signature_schemes = {SignatureScheme::ecdsa_secp256r1_sha256,
                                                    SignatureScheme::rsa_pss_rsae_sha256};
         }},
        {"ServerKeyExchangeSchemeNotForTheKey", HT::server_key_exchange,
         [](EvilPeer&, const Bytes& g) {
             auto ske = *messages::decode_server_key_exchange(g);
             ske.signature_scheme = static_cast<uint16_t>(SignatureScheme::rsa_pss_rsae_sha256);
             return encoded_or_fail(ske);
         },
         Fault::not_offered, "an RSA scheme for an ECDSA key: illegal_parameter"},
        {"ServerKeyExchangeInvalidPoint", HT::server_key_exchange,
         [](EvilPeer& e, const Bytes& g) {
             return resigned_server_key_exchange(e, g, [](messages::ServerKeyExchange& ske) {
                 ske.public_key.assign(ske.public_key.size(), 0);
                 if (!ske.public_key.empty()) ske.public_key[0] = 4;  // uncompressed form, off the curve
             });
         },
         Fault::key_share_invalid, "a public key off the curve, properly signed: illegal_parameter (RFC 8422 5.11)",
         [](EvilPeer& e) { e.m.client_config.groups = {NamedGroup::secp256r1}; }},
        {"ServerKeyExchangeTruncated", HT::server_key_exchange,
         [](EvilPeer&, const Bytes& g) { return Bytes(g.begin(), g.begin() + static_cast<std::ptrdiff_t>(g.size() / 2)); },
         Fault::malformed_message, "decode_error"},
        {"ServerKeyExchangeTrailingBytes", HT::server_key_exchange,
         [](EvilPeer&, const Bytes& g) {
             Bytes b = g;
             b.push_back(0);
             return b;
         },
         Fault::malformed_message, "decode_error"},
        {"ServerKeyExchangeNotNamedCurve", HT::server_key_exchange,
         [](EvilPeer&, const Bytes& g) {
             Bytes b = g;
             b.at(0) = 1;  // explicit_prime, forbidden by RFC 8422 5.4
             return b;
         },
         Fault::forbidden_value, "explicit curves are deprecated, only named_curve is used: illegal_parameter (RFC 8422 5.4)"},

        {"PskServerKeyExchangeGroupNotOffered", HT::server_key_exchange,
         [](EvilPeer&, const Bytes& g) {
             auto ske = messages::decode_psk_server_key_exchange(g, true);
             EXPECT_TRUE(ske);
             if (!ske) return Bytes{};
             ske->ecdhe->group = static_cast<uint16_t>(NamedGroup::secp384r1);
             ske->ecdhe->public_key = public_key_of(NamedGroup::secp384r1);
             return encoded_or_fail(*ske);
         },
         Fault::not_offered, "ECDHE_PSK with a group we did not offer: illegal_parameter (RFC 5489 2)",
         [](EvilPeer& e) {
             const Bytes key(16, 0x5c);
             for (Config* c : {&e.m.client_config, &e.m.server_config}) {
                 c->cipher_suites = {CipherSuite::ecdhe_psk_aes128_gcm_sha256};
                 c->psk.emplace("sensor-17", key);
             }
             e.m.client_config.groups = {NamedGroup::x25519, NamedGroup::secp256r1};
             e.m.server_config.client_auth = ClientAuth::none;
             e.m.client_config.credential.reset();
         }},

        // --- CertificateRequest (RFC 5246 7.4.4) ---
        {"CertificateRequestTruncated", HT::certificate_request,
         [](EvilPeer&, const Bytes& g) { return Bytes(g.begin(), g.begin() + 3); }, Fault::malformed_message,
         "decode_error"},
        {"CertificateRequestTrailingBytes", HT::certificate_request,
         [](EvilPeer&, const Bytes& g) {
             Bytes b = g;
             b.push_back(0);
             return b;
         },
         Fault::malformed_message, "decode_error"},
        {"CertificateRequestNoCertificateTypes", HT::certificate_request,
         [](EvilPeer&, const Bytes&) { return Bytes{0, 0, 2, 4, 3, 0, 0}; }, Fault::malformed_message,
         "certificate_types<1..2^8-1>: decode_error"},
        {"CertificateRequestNoSignatureAlgorithms", HT::certificate_request,
         [](EvilPeer&, const Bytes&) { return Bytes{1, 64, 0, 0, 0, 0}; }, Fault::malformed_message,
         "supported_signature_algorithms<2..2^16-2>: decode_error"},

        // --- ServerHelloDone (RFC 5246 7.4.5: an empty body) ---
        {"ServerHelloDoneNotEmpty", HT::server_hello_done, [](EvilPeer&, const Bytes&) { return Bytes{0}; },
         Fault::malformed_message, "ServerHelloDone has no body: decode_error"},
    };
    return cases;
}

class EvilServer : public ::testing::TestWithParam<ServerCase> {};

// conformance: RFC7627-5.2-5
TEST_P(EvilServer, ClientSendsTheAlertAndNoData) {
    const ServerCase& c = GetParam();
    EvilPeer e;
    if (c.setup) c.setup(e);
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, NextUnit::of(c.replaces)));
    const Before before = Before::of(e, Direction::to_client);
    Unit genuine = std::move(e.queue(Direction::to_client).front());
    e.queue(Direction::to_client).pop_front();
    const Bytes body = c.forge ? c.forge(e, genuine.body) : genuine.body;
    ASSERT_FALSE(::testing::Test::HasFailure()) << "the forgery could not be built";
    e.deliver(Direction::to_client, handshake_record(c.replaces, genuine.message_seq, body, genuine.header.sequence));
    expect_client_fault(e, before, c.fault, c.why);
}

INSTANTIATE_TEST_SUITE_P(Table, EvilServer, ::testing::ValuesIn(server_cases()),
                         [](const auto& info) { return std::string(info.param.name); });

// The controls: the setups above that forge nothing complete the handshake
// when the certificate is right, so it is the forgery that fails them.
TEST(EvilServerControl, FullWildcardStillMatches) {
    EvilPeer e;
    IssueOptions o;
    o.dns_names = {"*.server.test"};
    e.m.server_config.credential = server_credential(KeyKind::ecdsa_p256, o);
    e.m.client_config.server_name = "www.server.test";
    ASSERT_TRUE(e.start());
    e.finish();
    EXPECT_TRUE(e.m.established()) << e.m.describe();
}

// --- Finished (RFC 5246 7.4.9), sealed with the real keys ------------------

// Replaces the server's genuine Finished with `body`, sealed in epoch 1.
void forge_server_finished(EvilPeer& e, const Bytes& body) {
    ASSERT_TRUE(e.advance_to(Direction::to_client, NextUnit::protected_finished()));
    const uint16_t seq = e.next_message_seq(Direction::to_client);
    e.queue(Direction::to_client).pop_front();
    e.deliver(Direction::to_client, e.protected_message(Direction::to_client, HandshakeType::finished, seq, body));
}

TEST(EvilServerFinished, WrongVerifyDataIsDecryptError) {
    EvilPeer e;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, NextUnit::protected_finished()));
    const Before before = Before::of(e, Direction::to_client);
    std::optional<Bytes> genuine = e.finished_sent_by(Role::server);
    ASSERT_TRUE(genuine.has_value());
    Bytes wrong = *genuine;
    wrong[0] ^= 0x01;  // one bit away from the right value
    forge_server_finished(e, wrong);
    expect_client_fault(e, before, Fault::finished_invalid, "verify_data does not match: decrypt_error");
}

TEST(EvilServerFinished, TheClientsOwnVerifyDataIsDecryptError) {
    EvilPeer e;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, NextUnit::protected_finished()));
    const Before before = Before::of(e, Direction::to_client);
    std::optional<Bytes> ours = e.finished_sent_by(Role::client);
    ASSERT_TRUE(ours.has_value());
    forge_server_finished(e, *ours);  // reflected: the client's label, not the server's
    expect_client_fault(e, before, Fault::finished_invalid, "a reflected Finished: decrypt_error");
}

// The abbreviated handshake (RFC 5246 7.3): the server's Finished comes
// first, and the client's answer follows only if it verifies.
TEST(EvilServerFinished, WrongVerifyDataInAnAbbreviatedHandshakeIsDecryptError) {
    auto cache = SessionCache::in_memory();
    EvilPeer first(ClientAuth::none), second(ClientAuth::none);
    for (EvilPeer* e : {&first, &second}) {
        e->m.server_config.session_cache_capacity = 4;
        e->m.client_config.session_cache = cache;
    }
    ASSERT_TRUE(first.start());
    first.finish();
    ASSERT_TRUE(first.m.established()) << first.m.describe();
    second.m.now = first.m.now + std::chrono::seconds(1);
    ASSERT_TRUE(second.start_on(*first.m.server));
    ASSERT_TRUE(second.advance_to(Direction::to_client, NextUnit::protected_finished()));
    for (const Unit& u : second.messages_sent_by(Role::server)) {
        ASSERT_NE(u.message, HandshakeType::certificate) << "not an abbreviated handshake";
    }
    const Before before = Before::of(second, Direction::to_client);
    std::optional<Bytes> genuine = second.finished_sent_by(Role::server);
    ASSERT_TRUE(genuine.has_value());
    Bytes wrong = *genuine;
    wrong.back() ^= 0x80;
    forge_server_finished(second, wrong);
    expect_client_fault(second, before, Fault::finished_invalid, "verify_data does not match: decrypt_error");
    for (const Bytes& d : second.m.from_client) {
        EXPECT_FALSE(holds_content(d, record::ContentType::change_cipher_spec)) << "the client answered the Finished";
    }
}

class EvilServerFinishedLength : public ::testing::TestWithParam<size_t> {};

TEST_P(EvilServerFinishedLength, IsDecodeError) {
    EvilPeer e;
    ASSERT_TRUE(e.start());
    ASSERT_TRUE(e.advance_to(Direction::to_client, NextUnit::protected_finished()));
    const Before before = Before::of(e, Direction::to_client);
    std::optional<Bytes> genuine = e.finished_sent_by(Role::server);
    ASSERT_TRUE(genuine.has_value());
    Bytes body = *genuine;
    body.resize(GetParam(), 0);  // the right prefix, cut short or followed by a zero
    forge_server_finished(e, body);
    expect_client_fault(e, before, Fault::malformed_message, "verify_data is 12 bytes: decode_error");
}

INSTANTIATE_TEST_SUITE_P(Lengths, EvilServerFinishedLength, ::testing::Values(0u, 11u, 13u, 32u));

// --- HelloVerifyRequest (RFC 6347 4.2.1), from the front door --------------

struct HelloVerifyCase {
    const char* name;
    std::function<void(Bytes& body)> edit;
    Fault fault;
};

void PrintTo(const HelloVerifyCase& c, std::ostream* os) { *os << c.name; }

const HelloVerifyCase kHelloVerifyCases[] = {
    {"CookieLongerThanTheMessage", [](Bytes& b) { b.at(2) = static_cast<uint8_t>(b.size()); }, Fault::malformed_message},
    {"TrailingBytes", [](Bytes& b) { b.push_back(0); }, Fault::malformed_message},
    {"Truncated", [](Bytes& b) { b.resize(2); }, Fault::malformed_message},
    {"EmptyCookie", [](Bytes& b) { b.resize(3); b[2] = 0; }, Fault::forbidden_value},
};

class EvilHelloVerifyRequest : public ::testing::TestWithParam<HelloVerifyCase> {};

TEST_P(EvilHelloVerifyRequest, ClientSendsTheAlertAndNoHello) {
    Mitm m;
    int edited = 0;
    m.filter = [&](Direction d, Bytes b) {
        if (d == Direction::to_client) edited += edit_messages(b, HandshakeType::hello_verify_request, GetParam().edit);
        return std::vector<Bytes>{std::move(b)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    ASSERT_EQ(edited, 1);
    expect_fault(*m.client, m.client_events, GetParam().fault);
    expect_plaintext_fatal_alert(m.from_client, *alert_for(GetParam().fault));
    size_t hellos = 0;
    for (const Bytes& d : m.from_client) hellos += holds_message(d, HandshakeType::client_hello);
    EXPECT_EQ(hellos, 1u) << "the client answered the bad HelloVerifyRequest with a hello";
    EXPECT_FALSE(m.server_conn.has_value());
}

INSTANTIATE_TEST_SUITE_P(Table, EvilHelloVerifyRequest, ::testing::ValuesIn(kHelloVerifyCases),
                         [](const auto& info) { return std::string(info.param.name); });

// RFC 6347 4.2.1: the client uses HelloVerifyRequest.server_version only for
// the packet format, never to negotiate; a DTLS 1.0 (the RFC's SHOULD) or
// any other value there changes nothing.
class HelloVerifyRequestVersion : public ::testing::TestWithParam<uint16_t> {};

TEST_P(HelloVerifyRequestVersion, IsNotUsedToNegotiate) {
    Mitm m;
    const uint16_t version = GetParam();
    m.filter = [&](Direction d, Bytes b) {
        if (d == Direction::to_client) {
            edit_messages(b, HandshakeType::hello_verify_request, [&](Bytes& body) { set_u16(body, 0, version); });
        }
        return std::vector<Bytes>{std::move(b)};
    };
    ASSERT_TRUE(m.start());
    m.run();
    ASSERT_TRUE(m.established()) << m.describe();
    EXPECT_EQ(m.client->negotiated().version, ProtocolVersion::dtls1_2);
}

INSTANTIATE_TEST_SUITE_P(Versions, HelloVerifyRequestVersion, ::testing::Values(0xfeff, 0xfefd, 0x0303, 0x1234));

// Cookies that never satisfy the server make it ask again and again; the
// client gives up after its limit rather than loop (RFC 6347 4.2.1 leaves
// the number open).
TEST(EvilHelloVerifyRequest, EndlessRequestsAreUnexpectedMessage) {
    Mitm m;
    size_t requests = 0;
    m.filter = [&](Direction d, Bytes b) {
        if (d == Direction::to_server) edit_client_hello(b, [](messages::ClientHello& ch) { ch.cookie.clear(); });
        if (d == Direction::to_client && holds_message(b, HandshakeType::hello_verify_request)) ++requests;
        return std::vector<Bytes>{std::move(b)};
    };
    ASSERT_TRUE(m.start());
    m.pump();
    expect_fault(*m.client, m.client_events, Fault::too_many_hello_verify_requests);
    expect_plaintext_fatal_alert(m.from_client, Alert::unexpected_message);
    EXPECT_EQ(requests, 3u);
    EXPECT_FALSE(m.server_conn.has_value());
}

}  // namespace
}  // namespace dtls::test
