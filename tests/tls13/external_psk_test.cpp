// DTLS 1.3 external pre-shared keys (RFC 8446 2.2, psk_dhe_ke) between our
// client and our server: Config::psk offered with its "ext binder", found by
// the server's psk_lookup, both sides authenticated without certificates;
// a different key fails the binder (decrypt_error); an identity the server
// does not know gives a full certificate handshake on a server that has a
// certificate, and decrypt_error on one that has none.
#include <gtest/gtest.h>

#include "dtls/session.hpp"
#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

const Bytes kKey(32, 0x5c);

Pair psk13_pair(const std::string& client_identity = "device-9", const Bytes& client_key = kKey) {
    Pair p;
    enable_dtls13(p.client_config, false);
    enable_dtls13(p.server_config, false);
    p.client_config.psk.emplace(client_identity, client_key);
    p.server_config.psk_lookup = [](std::string_view identity) -> std::optional<Bytes> {
        if (identity == "device-9") return kKey;
        return std::nullopt;
    };
    return p;
}

void run_with_timers(Pair& p) {
    p.pump();
    for (int i = 0; i < 10 && p.client->state() == State::handshaking; ++i) {
        p.now += std::chrono::seconds(2);
        p.client->handle_timeout(p.now);
        if (p.server_conn) p.server_conn->handle_timeout(p.now);
        p.pump();
    }
}

// conformance: RFC8446-4.2.9-8
TEST(ExternalPsk13, AuthenticatesBothSidesWithoutCertificates) {
    Pair p = psk13_pair();
    ASSERT_TRUE(p.handshake()) << p.describe();
    for (const Connection* side : {&*p.client, &*p.server_conn}) {
        const Negotiated& n = side->negotiated();
        EXPECT_EQ(n.version, ProtocolVersion::dtls1_3);
        EXPECT_EQ(n.psk_identity, "device-9");
        EXPECT_FALSE(n.resumed);
        EXPECT_TRUE(n.peer_chain.empty());
        EXPECT_EQ(n.cipher_suite, CipherSuite::aes128_gcm_sha256);
        EXPECT_EQ(n.group, NamedGroup::x25519);  // psk_dhe_ke: a fresh key exchange too
    }
    expect_data_both_ways(p);
}

// The binder proves the key before the server answers (RFC 8446 4.2.11).
// conformance: RFC8446-4.2.11-8 RFC8446-4.2.11-9
TEST(ExternalPsk13, DifferentKeyFailsTheBinder) {
    Bytes other = kKey;
    other[31] ^= 1;
    Pair p = psk13_pair("device-9", other);
    ASSERT_TRUE(p.start());
    run_with_timers(p);
    ASSERT_TRUE(p.server_conn);
    ASSERT_EQ(p.server_conn->state(), State::failed);
    EXPECT_EQ(p.server_conn->error()->fault, Fault::finished_invalid) << p.server_conn->error()->to_string();
    EXPECT_EQ(p.server_conn->error()->alert, Alert::decrypt_error);
    ASSERT_EQ(p.client->state(), State::failed);
    EXPECT_EQ(p.client->error()->alert, Alert::decrypt_error) << p.client->error()->to_string();
}

TEST(ExternalPsk13, UnknownIdentityOnAServerWithoutCertificateIsDecryptError) {
    Pair p = psk13_pair("device-10");
    ASSERT_TRUE(p.start());
    run_with_timers(p);
    ASSERT_TRUE(p.server_conn);
    ASSERT_EQ(p.server_conn->state(), State::failed);
    EXPECT_EQ(p.server_conn->error()->fault, Fault::psk_identity_unknown) << p.server_conn->error()->to_string();
    ASSERT_EQ(p.client->state(), State::failed);
    EXPECT_EQ(p.client->error()->alert, Alert::decrypt_error) << p.client->error()->to_string();
}

// RFC 8446 4.2.11: a server that does not know the identity goes on without
// it; one with a certificate then authenticates with that, and a client that
// trusts it accepts.
// conformance: RFC8446-4.2.11-6
TEST(ExternalPsk13, UnknownIdentityOnAServerWithCertificateIsAFullHandshake) {
    Pair p = make_dtls13_pair();
    enable_dtls13(p.client_config, false);
    p.client_config.psk.emplace("device-10", kKey);
    p.server_config.psk_lookup = [](std::string_view) { return std::optional<Bytes>(); };
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_TRUE(p.client->negotiated().psk_identity.empty());
    EXPECT_FALSE(p.client->negotiated().peer_chain.empty());
}

// A client with a PSK and no trusted roots accepts nothing else: a server
// that goes on with a certificate is refused, since we could not check it.
TEST(ExternalPsk13, ClientWithOnlyAPskRefusesACertificate) {
    Pair p = make_dtls13_pair();
    enable_dtls13(p.client_config, false);
    p.client_config.ca_pem.clear();
    p.client_config.psk.emplace("device-9", kKey);
    ASSERT_TRUE(p.start());
    run_with_timers(p);
    ASSERT_EQ(p.client->state(), State::failed);
    EXPECT_EQ(p.client->error()->fault, Fault::no_common_certificate_type) << p.client->error()->to_string();
}

// One server, DTLS 1.2 and 1.3 with pre-shared keys only: a 1.3 client gets
// an external PSK handshake, a 1.2-only client a PSK suite.
TEST(ExternalPsk13, OneServerServesBothVersionsWithoutCertificate) {
    for (bool client_13 : {true, false}) {
        SCOPED_TRACE(client_13 ? "DTLS 1.3 client" : "DTLS 1.2 client");
        Pair p = psk13_pair();
        p.server_config.min_version = ProtocolVersion::dtls1_2;
        p.server_config.cipher_suites = {CipherSuite::aes128_gcm_sha256, CipherSuite::psk_aes128_ccm8};
        if (!client_13) {
            p.client_config = dtls12_config();
            p.client_config.psk.emplace("device-9", kKey);
            p.client_config.cipher_suites = {CipherSuite::psk_aes128_ccm8};
        }
        ASSERT_TRUE(p.handshake()) << p.describe();
        EXPECT_EQ(p.server_conn->negotiated().version,
                  client_13 ? ProtocolVersion::dtls1_3 : ProtocolVersion::dtls1_2);
        EXPECT_EQ(p.server_conn->negotiated().psk_identity, "device-9");
    }
}

}  // namespace
}  // namespace dtls::test

namespace dtls::test {
namespace {

// psk_ke (RFC 8446 4.2.9): used only when both sides allow it; then the
// ServerHello carries no key share and there is no key exchange group.
// conformance: RFC8446-4.1.1-2 RFC8446-4.2.9-4 RFC8446-4.2.9-7 RFC8446-4.2.8-9
TEST(ExternalPsk13, PskKeWhenBothSidesAllowIt) {
    for (bool client_allows : {false, true}) {
        for (bool server_allows : {false, true}) {
            SCOPED_TRACE(std::string("client ") + (client_allows ? "allows" : "refuses") + ", server " +
                         (server_allows ? "allows" : "refuses"));
            Pair p = psk13_pair();
            p.client_config.psk_without_dhe = client_allows;
            p.server_config.psk_without_dhe = server_allows;
            ASSERT_TRUE(p.handshake()) << p.describe();
            const bool psk_ke = client_allows && server_allows;
            for (const Connection* side : {&*p.client, &*p.server_conn}) {
                EXPECT_EQ(side->negotiated().psk_identity, "device-9");
                EXPECT_EQ(side->negotiated().group, psk_ke ? NamedGroup{} : NamedGroup::x25519);
            }
            expect_data_both_ways(p);
        }
    }
}

// Session tickets keep to psk_dhe_ke even where psk_ke is allowed.
// conformance: RFC9325-3.4-7 RFC9325-3.4-8
TEST(ExternalPsk13, TicketsStillUseAKeyExchange) {
    Pair first = make_dtls13_pair();
    enable_dtls13(first.client_config, false);
    first.server_config.session_tickets = 1;
    first.server_config.psk_without_dhe = true;
    first.client_config.psk_without_dhe = true;
    first.client_config.session_cache = SessionCache::in_memory();
    ASSERT_TRUE(first.handshake()) << first.describe();
    first.pump();

    Pair second;
    second.client_config = first.client_config;
    second.server_config = first.server_config;
    second.now = first.now;
    second.server.emplace(*first.server);
    auto c = Connection::client(second.client_config, second.now);
    ASSERT_TRUE(c) << c.error().to_string();
    second.client.emplace(std::move(*c));
    second.pump();
    ASSERT_EQ(second.client->state(), State::established) << second.describe();
    EXPECT_TRUE(second.client->negotiated().resumed);
    EXPECT_EQ(second.client->negotiated().group, NamedGroup::x25519);
}

}  // namespace
}  // namespace dtls::test
