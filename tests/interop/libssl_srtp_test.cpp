// DTLS-SRTP (RFC 5764) against OpenSSL's libssl in the same process, both
// roles, every profile both implement: the profile agreed and the SRTP keys,
// which must equal what libssl's exporter gives for the same label.
#include <gtest/gtest.h>

#include "dtls/srtp.hpp"
#include "interop/libssl_pump.hpp"
#include "support/certs.hpp"

namespace dtls::test {
namespace {

struct ProfileCase {
    SrtpProfile profile;
    const char* openssl_name;
};

const ProfileCase kProfiles[] = {
    {SrtpProfile::aes128_cm_hmac_sha1_80, "SRTP_AES128_CM_SHA1_80"},
    {SrtpProfile::aes128_cm_hmac_sha1_32, "SRTP_AES128_CM_SHA1_32"},
    {SrtpProfile::aead_aes_128_gcm, "SRTP_AEAD_AES_128_GCM"},
    {SrtpProfile::aead_aes_256_gcm, "SRTP_AEAD_AES_256_GCM"},
};

Instant start_time() { return Instant{} + std::chrono::hours(1); }

// What libssl exports for the DTLS-SRTP label, split as RFC 5764 4.2 lays it out.
void expect_same_keys(const SrtpKeys& ours, const OpenSslPeer& peer) {
    const SrtpKeyLengths lengths = srtp_key_lengths(ours.profile);
    std::vector<uint8_t> theirs =
        peer.export_keying_material("EXTRACTOR-dtls_srtp", {}, 2 * (lengths.key + lengths.salt), false);
    ASSERT_EQ(theirs.size(), 2 * (lengths.key + lengths.salt));
    Bytes expected = ours.client.key;
    for (const Bytes* part : {&ours.server.key, &ours.client.salt, &ours.server.salt}) {
        expected.insert(expected.end(), part->begin(), part->end());
    }
    EXPECT_EQ(expected, theirs);
}

class LibsslSrtp : public ::testing::TestWithParam<ProfileCase> {};

// conformance: RFC5764-4.1.1-1
TEST_P(LibsslSrtp, OurClientAgainstLibsslServer) {
    const ProfileCase& c = GetParam();
    Issued cert = shared_server_cert(KeyKind::ecdsa_p256);
    OpenSslPeerOptions o;
    o.role = PeerRole::server;
    o.cert_chain_pem = cert.chain_pem;
    o.key_pem = cert.key_pem;
    o.srtp_profiles = c.openssl_name;
    OpenSslPeer peer(o, start_time());
    ASSERT_FALSE(peer.failed()) << peer.error();

    Config config;
    config.ca_pem = shared_ca().cert_pem();
    config.server_name = "server.test";
    // Ours first in our list, so libssl (which takes the first of the
    // client's it supports) picks it.
    config.srtp_profiles = {c.profile, SrtpProfile::aes128_cm_hmac_sha1_80};
    auto client = Connection::client(config, start_time());
    ASSERT_TRUE(client) << client.error().to_string();
    ClientVsLibssl run{std::move(*client), peer, start_time(), {}};
    run.pump();
    ASSERT_EQ(run.client.state(), State::established)
        << (run.client.error() ? run.client.error()->to_string() : "") << " / libssl: " << peer.error();
    EXPECT_EQ(peer.srtp_profile(), static_cast<uint16_t>(c.profile));
    EXPECT_EQ(run.client.negotiated().srtp_profile, c.profile);
    auto keys = srtp_keys(run.client);
    ASSERT_TRUE(keys) << keys.error().to_string();
    expect_same_keys(*keys, peer);
}

// conformance: RFC5764-4.1.1-2
TEST_P(LibsslSrtp, LibsslClientAgainstOurServer) {
    const ProfileCase& c = GetParam();
    Config config;
    config.credential = std::make_shared<Credential>(credential_of(shared_server_cert(KeyKind::ecdsa_p256)));
    config.srtp_profiles = {c.profile};
    auto server = Server::create(config, start_time());
    ASSERT_TRUE(server) << server.error().to_string();

    OpenSslPeerOptions o;
    o.role = PeerRole::client;
    o.ca_pem = shared_ca().cert_pem();
    o.verify_peer = true;
    o.expected_host_name = "server.test";
    o.srtp_profiles = std::string("SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32:SRTP_AEAD_AES_128_GCM:") +
                      "SRTP_AEAD_AES_256_GCM";
    OpenSslPeer peer(o, start_time());
    ASSERT_FALSE(peer.failed()) << peer.error();

    LibsslVsServer run{std::move(*server), peer, start_time(), {}, {}};
    run.pump();
    ASSERT_TRUE(run.conn);
    ASSERT_EQ(run.conn->state(), State::established)
        << (run.conn->error() ? run.conn->error()->to_string() : "") << " / libssl: " << peer.error();
    ASSERT_TRUE(peer.handshake_complete()) << peer.error();
    EXPECT_EQ(peer.srtp_profile(), static_cast<uint16_t>(c.profile));
    EXPECT_EQ(run.conn->negotiated().srtp_profile, c.profile);
    auto keys = srtp_keys(*run.conn);
    ASSERT_TRUE(keys) << keys.error().to_string();
    expect_same_keys(*keys, peer);
}

INSTANTIATE_TEST_SUITE_P(Profiles, LibsslSrtp, ::testing::ValuesIn(kProfiles),
                         [](const ::testing::TestParamInfo<ProfileCase>& info) {
                             return std::string(info.param.openssl_name);
                         });

TEST(LibsslSrtpMismatch, NoCommonProfileLeavesBothWithoutSrtp) {
    Config config;
    config.credential = std::make_shared<Credential>(credential_of(shared_server_cert(KeyKind::ecdsa_p256)));
    config.srtp_profiles = {SrtpProfile::aead_aes_256_gcm};
    auto server = Server::create(config, start_time());
    ASSERT_TRUE(server);
    OpenSslPeerOptions o;
    o.role = PeerRole::client;
    o.srtp_profiles = "SRTP_AES128_CM_SHA1_80";
    OpenSslPeer peer(o, start_time());
    ASSERT_FALSE(peer.failed()) << peer.error();
    LibsslVsServer run{std::move(*server), peer, start_time(), {}, {}};
    run.pump();
    ASSERT_TRUE(run.conn);
    ASSERT_EQ(run.conn->state(), State::established);
    EXPECT_EQ(peer.srtp_profile(), 0);
    EXPECT_FALSE(run.conn->negotiated().srtp_profile);
}

}  // namespace
}  // namespace dtls::test
