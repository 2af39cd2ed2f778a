// DTLS-SRTP (RFC 5764) between our client and our server, in DTLS 1.2 and
// DTLS 1.3: which profile is agreed, the MKI rules, the keys both sides
// derive, and what a client does with a server answer it must refuse.
// Against libssl: tests/interop/libssl_srtp_test.cpp.
#include <gtest/gtest.h>

#include <algorithm>

#include "dtls/srtp.hpp"
#include "messages/codec.hpp"
#include "tls12/srtp_negotiation.hpp"
#include "tls13/dtls13_pair.hpp"

namespace dtls::test {
namespace {

constexpr SrtpProfile kAllProfiles[] = {SrtpProfile::aes128_cm_hmac_sha1_80, SrtpProfile::aes128_cm_hmac_sha1_32,
                                        SrtpProfile::aead_aes_128_gcm, SrtpProfile::aead_aes_256_gcm};

// A pair speaking `version` only.
Pair pair_for(ProtocolVersion version) {
    Pair p = make_dtls13_pair();
    for (Config* c : {&p.client_config, &p.server_config}) {
        c->min_version = version;
        c->max_version = version;
    }
    return p;
}

const char* version_name(const ::testing::TestParamInfo<ProtocolVersion>& info) {
    return info.param == ProtocolVersion::dtls1_2 ? "Dtls12" : "Dtls13";
}

class Srtp : public ::testing::TestWithParam<ProtocolVersion> {};

// conformance: RFC5764-4.1.1-3 RFC5764-4.1.1-4
TEST_P(Srtp, ServerPicksItsFirstProfileTheClientOffers) {
    Pair p = pair_for(GetParam());
    p.client_config.srtp_profiles = {SrtpProfile::aead_aes_128_gcm, SrtpProfile::aes128_cm_hmac_sha1_80};
    p.server_config.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_32, SrtpProfile::aes128_cm_hmac_sha1_80,
                                     SrtpProfile::aead_aes_128_gcm};
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_EQ(p.client->negotiated().version, GetParam());
    EXPECT_EQ(p.client->negotiated().srtp_profile, SrtpProfile::aes128_cm_hmac_sha1_80);
    EXPECT_EQ(p.server_conn->negotiated().srtp_profile, SrtpProfile::aes128_cm_hmac_sha1_80);
    EXPECT_TRUE(p.client->negotiated().srtp_mki.empty());
    expect_data_both_ways(p);  // the DTLS records still flow beside SRTP
}

TEST_P(Srtp, BothSidesDeriveTheSameKeysFromTheExporter) {
    for (SrtpProfile profile : kAllProfiles) {
        SCOPED_TRACE(to_string(profile));
        Pair p = pair_for(GetParam());
        p.client_config.srtp_profiles = {profile};
        p.server_config.srtp_profiles = {kAllProfiles[0], kAllProfiles[1], kAllProfiles[2], kAllProfiles[3]};
        ASSERT_TRUE(p.handshake()) << p.describe();
        auto client_keys = srtp_keys(*p.client);
        auto server_keys = srtp_keys(*p.server_conn);
        ASSERT_TRUE(client_keys) << client_keys.error().to_string();
        ASSERT_TRUE(server_keys) << server_keys.error().to_string();
        EXPECT_EQ(client_keys->profile, profile);
        const SrtpKeyLengths lengths = srtp_key_lengths(profile);
        EXPECT_EQ(client_keys->client.key.size(), lengths.key);
        EXPECT_EQ(client_keys->client.salt.size(), lengths.salt);
        EXPECT_EQ(client_keys->client.key, server_keys->client.key);
        EXPECT_EQ(client_keys->client.salt, server_keys->client.salt);
        EXPECT_EQ(client_keys->server.key, server_keys->server.key);
        EXPECT_EQ(client_keys->server.salt, server_keys->server.salt);
        EXPECT_NE(client_keys->client.key, client_keys->server.key);
        // What each side sends with is what the other receives with.
        EXPECT_EQ(client_keys->local(Role::client).key, server_keys->remote(Role::server).key);

        // RFC 5764 4.2's layout of the exporter's output: both keys, then
        // both salts.
        auto material = p.client->export_keying_material("EXTRACTOR-dtls_srtp", {}, false,
                                                         2 * (lengths.key + lengths.salt));
        ASSERT_TRUE(material);
        Bytes expected = client_keys->client.key;
        for (const Bytes* part : {&client_keys->server.key, &client_keys->client.salt, &client_keys->server.salt}) {
            expected.insert(expected.end(), part->begin(), part->end());
        }
        EXPECT_EQ(expected, *material);
        Bytes key_and_salt = client_keys->client.key;
        key_and_salt.insert(key_and_salt.end(), client_keys->client.salt.begin(), client_keys->client.salt.end());
        EXPECT_EQ(client_keys->client.key_and_salt(), key_and_salt);
    }
}

// conformance: RFC5764-4.1.1-5
TEST_P(Srtp, NoProfileInCommonMeansNoSrtpButTheHandshakeCompletes) {
    Pair p = pair_for(GetParam());
    p.client_config.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_32};
    p.server_config.srtp_profiles = {SrtpProfile::aead_aes_128_gcm};
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_FALSE(p.client->negotiated().srtp_profile);
    EXPECT_FALSE(p.server_conn->negotiated().srtp_profile);
    auto keys = srtp_keys(*p.client);
    ASSERT_FALSE(keys);
    EXPECT_EQ(keys.error().code, ErrorCode::invalid_state);
}

TEST_P(Srtp, AServerWithoutProfilesIgnoresTheOffer) {
    Pair p = pair_for(GetParam());
    p.client_config.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_80};
    ASSERT_TRUE(p.handshake()) << p.describe();
    EXPECT_FALSE(p.client->negotiated().srtp_profile);
    EXPECT_FALSE(p.server_conn->negotiated().srtp_profile);
}

// conformance: RFC5764-4.1.3-3
TEST_P(Srtp, TheMkiIsUsedOnlyWhenTheServerAcceptsIt) {
    for (bool accept : {false, true}) {
        SCOPED_TRACE(accept ? "server accepts the MKI" : "server declines the MKI");
        Pair p = pair_for(GetParam());
        p.client_config.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_80};
        p.client_config.srtp_mki = {0xA1, 0xB2, 0xC3};
        p.server_config.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_80};
        p.server_config.srtp_accept_mki = accept;
        ASSERT_TRUE(p.handshake()) << p.describe();
        const Bytes expected = accept ? Bytes{0xA1, 0xB2, 0xC3} : Bytes{};
        EXPECT_EQ(p.client->negotiated().srtp_mki, expected);
        EXPECT_EQ(p.server_conn->negotiated().srtp_mki, expected);
        auto keys = srtp_keys(*p.client);
        ASSERT_TRUE(keys);
        EXPECT_EQ(keys->mki, expected);
    }
}

// conformance: RFC5764-5.1-1
TEST_P(Srtp, NoKeysBeforeTheHandshakeCompletes) {
    Pair p = pair_for(GetParam());
    p.client_config.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_80};
    ASSERT_TRUE(p.start());
    auto keys = srtp_keys(*p.client);
    ASSERT_FALSE(keys);
    EXPECT_EQ(keys.error().code, ErrorCode::invalid_state);
}

INSTANTIATE_TEST_SUITE_P(Versions, Srtp, ::testing::Values(ProtocolVersion::dtls1_2, ProtocolVersion::dtls1_3),
                         version_name);

TEST(SrtpConfig, AnMkiLongerThan255BytesAndAnUnknownProfileAreRefused) {
    Config config = make_dtls13_pair().client_config;
    config.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_80};
    config.srtp_mki = Bytes(256, 1);
    auto too_long = Connection::client(config, Instant{});
    ASSERT_FALSE(too_long);
    EXPECT_EQ(too_long.error().code, ErrorCode::invalid_argument);
    EXPECT_NE(too_long.error().reason.find("srtp_mki"), std::string::npos) << too_long.error().reason;

    config.srtp_mki = Bytes(255, 1);
    EXPECT_TRUE(Connection::client(config, Instant{}));

    config.srtp_profiles = {static_cast<SrtpProfile>(0x0005)};  // SRTP_NULL_HMAC_SHA1_80: no encryption
    auto null_cipher = Connection::client(config, Instant{});
    ASSERT_FALSE(null_cipher);
    EXPECT_NE(null_cipher.error().reason.find("SRTP profile"), std::string::npos);
}

TEST(SrtpNames, ProfilesHaveTheirRegisteredNames) {
    EXPECT_STREQ(to_string(SrtpProfile::aes128_cm_hmac_sha1_80), "SRTP_AES128_CM_HMAC_SHA1_80");
    EXPECT_STREQ(to_string(SrtpProfile::aes128_cm_hmac_sha1_32), "SRTP_AES128_CM_HMAC_SHA1_32");
    EXPECT_STREQ(to_string(SrtpProfile::aead_aes_128_gcm), "SRTP_AEAD_AES_128_GCM");
    EXPECT_STREQ(to_string(SrtpProfile::aead_aes_256_gcm), "SRTP_AEAD_AES_256_GCM");
    EXPECT_STREQ(to_string(static_cast<SrtpProfile>(0x0005)), "unknown SRTP profile");
    EXPECT_EQ(srtp_key_lengths(SrtpProfile::aes128_cm_hmac_sha1_80).key, 16u);
    EXPECT_EQ(srtp_key_lengths(SrtpProfile::aes128_cm_hmac_sha1_80).salt, 14u);
    EXPECT_EQ(srtp_key_lengths(SrtpProfile::aead_aes_256_gcm).key, 32u);
    EXPECT_EQ(srtp_key_lengths(SrtpProfile::aead_aes_256_gcm).salt, 12u);
}

// The client's check of a server's answer (RFC 5764 4.1.1 and 4.1.3), which
// both versions share. A DTLS 1.3 answer travels encrypted, so these are
// checked here directly; SrtpOnTheWire below changes a DTLS 1.2 one.
class SrtpAnswer : public ::testing::Test {
protected:
    Status check(std::optional<messages::UseSrtp> answer) {
        negotiated = Negotiated{};
        return tls12::check_srtp_answer(config, answer, negotiated);
    }
    Config config = [] {
        Config c;
        c.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_80, SrtpProfile::aead_aes_128_gcm};
        c.srtp_mki = {7, 7};
        return c;
    }();
    Negotiated negotiated;
};

TEST_F(SrtpAnswer, OneOfferedProfileWithOurMkiOrNoneIsAccepted) {
    ASSERT_TRUE(check(messages::UseSrtp{{0x0007}, {7, 7}}));
    EXPECT_EQ(negotiated.srtp_profile, SrtpProfile::aead_aes_128_gcm);
    EXPECT_EQ(negotiated.srtp_mki, (Bytes{7, 7}));
    ASSERT_TRUE(check(messages::UseSrtp{{0x0001}, {}}));
    EXPECT_EQ(negotiated.srtp_profile, SrtpProfile::aes128_cm_hmac_sha1_80);
    EXPECT_TRUE(negotiated.srtp_mki.empty());
    ASSERT_TRUE(check(std::nullopt));
    EXPECT_FALSE(negotiated.srtp_profile);
}

TEST_F(SrtpAnswer, AProfileWeDidNotOfferIsRefused) {
    Status s = check(messages::UseSrtp{{0x0002}, {}});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().fault, Fault::not_offered);
    EXPECT_EQ(s.error().alert, Alert::illegal_parameter);
    EXPECT_FALSE(negotiated.srtp_profile);
}

TEST_F(SrtpAnswer, MoreThanOneProfileIsRefused) {
    Status s = check(messages::UseSrtp{{0x0001, 0x0007}, {}});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().alert, Alert::illegal_parameter);
}

// conformance: RFC5764-4.1.3-4
TEST_F(SrtpAnswer, AnotherMkiIsRefused) {
    Status s = check(messages::UseSrtp{{0x0001}, {7, 8}});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().alert, Alert::illegal_parameter);
}

TEST_F(SrtpAnswer, AnAnswerToNoOfferIsUnsolicited) {
    config.srtp_profiles.clear();
    Status s = check(messages::UseSrtp{{0x0001}, {}});
    ASSERT_FALSE(s);
    EXPECT_EQ(s.error().fault, Fault::unsolicited_extension);
    EXPECT_EQ(s.error().alert, Alert::unsupported_extension);
}

TEST(SrtpExtension, MalformedBodiesAreDecodeErrors) {
    // Each is one use_srtp extension (type 14) in a block; its body is
    // profiles<2..2^16-1> then mki<0..255>.
    const std::vector<Bytes> bodies = {
        {0x00, 0x00, 0x00},                    // no profiles
        {0x00, 0x01, 0x00, 0x00},              // odd profile list
        {0x00, 0x02, 0x00, 0x01},              // no MKI length
        {0x00, 0x02, 0x00, 0x01, 0x02, 0x05},  // MKI shorter than its length
        {0x00, 0x02, 0x00, 0x01, 0x00, 0x00},  // a byte after the MKI
    };
    for (const Bytes& body : bodies) {
        Bytes block = {0x00, static_cast<uint8_t>(4 + body.size()), 0x00, 0x0E, 0x00,
                       static_cast<uint8_t>(body.size())};
        block.insert(block.end(), body.begin(), body.end());
        wire::Reader r(block);
        messages::Extensions out;
        Status s = messages::decode_extensions_block(r, messages::ExtensionContext::client_hello, "ClientHello", out);
        ASSERT_FALSE(s) << "body of " << body.size() << " bytes was accepted";
        EXPECT_EQ(s.error().alert, Alert::decode_error);
    }
}

// The index of the first byte of the use_srtp extension's body in a
// datagram, or 0.
size_t find_use_srtp_body(const std::vector<uint8_t>& d, uint16_t profile) {
    // type 14, length 5, list length 2, the profile, an empty MKI.
    const uint8_t pattern[] = {0x00, 0x0E, 0x00, 0x05, 0x00, 0x02, static_cast<uint8_t>(profile >> 8),
                               static_cast<uint8_t>(profile), 0x00};
    auto at = std::search(d.begin(), d.end(), std::begin(pattern), std::end(pattern));
    return at == d.end() ? 0 : static_cast<size_t>(at - d.begin()) + 4;
}

TEST(SrtpOnTheWire, ADtls12ClientRefusesAProfileItDidNotOffer) {
    Pair p = pair_for(ProtocolVersion::dtls1_2);
    p.server_config.cookies = false;
    p.client_config.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_80};
    p.server_config.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_80};
    ASSERT_TRUE(p.start());
    std::vector<uint8_t> d, reply;
    ASSERT_TRUE(p.client->poll_datagram(d));
    auto answer = p.server->handle_datagram(p.client_address, d, p.now, reply);
    ASSERT_EQ(answer.outcome, Server::Outcome::accepted);
    Connection server = std::move(*answer.connection);
    ASSERT_TRUE(server.poll_datagram(d));
    size_t at = find_use_srtp_body(d, 0x0001);
    ASSERT_NE(at, 0u) << "no use_srtp answer in the ServerHello";
    d[at + 3] = 0x02;  // SRTP_AES128_CM_HMAC_SHA1_32 instead
    p.client->handle_datagram(d, p.now);
    ASSERT_EQ(p.client->state(), State::failed);
    EXPECT_EQ(p.client->error()->fault, Fault::not_offered);
    EXPECT_EQ(p.client->error()->alert, Alert::illegal_parameter);
}

TEST(SrtpOnTheWire, AServerAnswersAMalformedOfferWithDecodeError) {
    for (ProtocolVersion version : {ProtocolVersion::dtls1_2, ProtocolVersion::dtls1_3}) {
        SCOPED_TRACE(to_string(version));
        Pair p = pair_for(version);
        p.server_config.cookies = false;
        p.client_config.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_80};
        p.server_config.srtp_profiles = {SrtpProfile::aes128_cm_hmac_sha1_80};
        ASSERT_TRUE(p.start());
        std::vector<uint8_t> d, reply;
        ASSERT_TRUE(p.client->poll_datagram(d));
        size_t at = find_use_srtp_body(d, 0x0001);
        ASSERT_NE(at, 0u) << "no use_srtp offer in the ClientHello";
        d[at + 1] = 0x03;  // a profile list of 3 bytes
        auto answer = p.server->handle_datagram(p.client_address, d, p.now, reply);
        ASSERT_EQ(answer.outcome, Server::Outcome::accepted);
        Connection server = std::move(*answer.connection);
        EXPECT_EQ(server.state(), State::failed);
        ASSERT_TRUE(server.error());
        EXPECT_EQ(server.error()->alert, Alert::decode_error) << server.error()->to_string();
    }
}

}  // namespace
}  // namespace dtls::test
