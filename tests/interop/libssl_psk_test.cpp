// DTLS 1.2 pre-shared key suites against OpenSSL 3.0's libssl in the same
// process, both roles: every PSK suite libssl has (it lacks RFC 8442's
// ECDHE_PSK with GCM and CCM_8), the identity hint, and a wrong key.
#include <gtest/gtest.h>

#include <string>

#include "interop/libssl_pump.hpp"

namespace dtls::test {
namespace {

Instant start_time() { return Instant{} + std::chrono::hours(1); }

const Bytes kKey = {0x0f, 0x1e, 0x2d, 0x3c, 0x4b, 0x5a, 0x69, 0x78, 0x87, 0x96, 0xa5, 0xb4, 0xc3, 0xd2, 0xe1, 0xf0};
const std::string kIdentity = "client-one";

struct LibsslPskCase {
    CipherSuite suite;
    const char* openssl_name;
};

const LibsslPskCase kCases[] = {
    {CipherSuite::psk_aes128_gcm_sha256, "PSK-AES128-GCM-SHA256"},
    {CipherSuite::psk_aes256_gcm_sha384, "PSK-AES256-GCM-SHA384"},
    {CipherSuite::psk_aes128_ccm, "PSK-AES128-CCM"},
    {CipherSuite::psk_aes128_ccm8, "PSK-AES128-CCM8"},
    {CipherSuite::psk_chacha20_poly1305_sha256, "PSK-CHACHA20-POLY1305"},
    {CipherSuite::ecdhe_psk_chacha20_poly1305_sha256, "ECDHE-PSK-CHACHA20-POLY1305"},
};

Config psk_config(CipherSuite suite, const Bytes& key = kKey) {
    Config config;
    config.max_version = ProtocolVersion::dtls1_2;
    config.cipher_suites = {suite};
    config.psk.emplace(kIdentity, key);
    return config;
}

OpenSslPeerOptions libssl_psk(PeerRole role, const char* cipher) {
    OpenSslPeerOptions o;
    o.role = role;
    o.cipher_list = cipher;
    o.psk_identity = kIdentity;
    o.psk_key = kKey;
    return o;
}

class LibsslPsk : public ::testing::TestWithParam<LibsslPskCase> {};

TEST_P(LibsslPsk, OurClientToLibsslServer) {
    const LibsslPskCase& c = GetParam();
    OpenSslPeerOptions o = libssl_psk(PeerRole::server, c.openssl_name);
    o.psk_identity_hint = "libssl hint";
    OpenSslPeer peer(o, start_time());
    ASSERT_FALSE(peer.failed()) << peer.error();
    auto client = Connection::client(psk_config(c.suite), start_time());
    ASSERT_TRUE(client) << client.error().to_string();
    ClientVsLibssl run{std::move(*client), peer, start_time(), {}};
    run.pump();
    ASSERT_EQ(run.client.state(), State::established)
        << (run.client.error() ? run.client.error()->to_string() : "") << " / libssl: " << peer.error();
    ASSERT_TRUE(peer.handshake_complete()) << peer.error();
    EXPECT_EQ(peer.cipher_id(), static_cast<uint16_t>(c.suite));
    EXPECT_EQ(peer.psk_identity_seen(), kIdentity);
    EXPECT_EQ(run.client.negotiated().psk_identity_hint, "libssl hint");
    EXPECT_EQ(run.client.negotiated().cipher_suite, c.suite);

    ASSERT_TRUE(run.client.send(bytes_of("to libssl"), run.now));
    run.pump();
    EXPECT_EQ(strings_of(peer.take_received()), std::vector<std::string>{"to libssl"});
    ASSERT_EQ(peer.send(bytes_of("from libssl")), 11) << peer.error();
    run.pump();
    EXPECT_EQ(received_strings(run.events), std::vector<std::string>{"from libssl"});
}

TEST_P(LibsslPsk, LibsslClientToOurServer) {
    const LibsslPskCase& c = GetParam();
    Config config = psk_config(c.suite);
    config.psk.reset();
    std::vector<std::string> asked;
    config.psk_lookup = [&](std::string_view identity) -> std::optional<Bytes> {
        asked.emplace_back(identity);
        if (identity == kIdentity) return kKey;
        return std::nullopt;
    };
    config.psk_identity_hint = "our hint";
    auto server = Server::create(config, start_time());
    ASSERT_TRUE(server) << server.error().to_string();
    OpenSslPeer peer(libssl_psk(PeerRole::client, c.openssl_name), start_time());
    ASSERT_FALSE(peer.failed()) << peer.error();
    LibsslVsServer run{std::move(*server), peer, start_time(), {}, {}};
    run.pump();
    ASSERT_TRUE(run.conn);
    ASSERT_EQ(run.conn->state(), State::established)
        << (run.conn->error() ? run.conn->error()->to_string() : "") << " / libssl: " << peer.error();
    ASSERT_TRUE(peer.handshake_complete()) << peer.error();
    EXPECT_EQ(peer.cipher_id(), static_cast<uint16_t>(c.suite));
    EXPECT_EQ(peer.psk_hint_seen(), "our hint");
    EXPECT_EQ(asked, std::vector<std::string>{kIdentity});
    EXPECT_EQ(run.conn->negotiated().psk_identity, kIdentity);

    ASSERT_EQ(peer.send(bytes_of("to us")), 5) << peer.error();
    run.pump();
    EXPECT_EQ(received_strings(run.events), std::vector<std::string>{"to us"});
    ASSERT_TRUE(run.conn->send(bytes_of("to libssl"), run.now));
    run.pump();
    EXPECT_EQ(strings_of(peer.take_received()), std::vector<std::string>{"to libssl"});
}

INSTANTIATE_TEST_SUITE_P(Suites, LibsslPsk, ::testing::ValuesIn(kCases),
                         [](const ::testing::TestParamInfo<LibsslPskCase>& info) {
                             std::string name = info.param.openssl_name;
                             std::erase(name, '-');
                             return name;
                         });

// libssl as the client with a key our server does not share: our server
// fails with finished_invalid and a decrypt_error alert, which libssl
// receives; it does not wait out its timers.
TEST(LibsslPskWrongKey, OurServerAnswersDecryptError) {
    Bytes other = kKey;
    other.back() ^= 0x80;
    auto server = Server::create(psk_config(CipherSuite::psk_aes128_ccm8, other), start_time());
    ASSERT_TRUE(server) << server.error().to_string();
    OpenSslPeer peer(libssl_psk(PeerRole::client, "PSK-AES128-CCM8"), start_time());
    ASSERT_FALSE(peer.failed()) << peer.error();
    LibsslVsServer run{std::move(*server), peer, start_time(), {}, {}};
    run.pump();
    // libssl resends its flight when its timer fires; the second copy that
    // fails to authenticate ends the handshake.
    for (int i = 0; i < 3 && run.conn && run.conn->state() == State::handshaking; ++i) {
        run.now += std::chrono::seconds(2);
        peer.handle_timeout(run.now);
        run.pump();
    }
    ASSERT_TRUE(run.conn);
    ASSERT_EQ(run.conn->state(), State::failed);
    EXPECT_EQ(run.conn->error()->fault, Fault::finished_invalid) << run.conn->error()->to_string();
    EXPECT_EQ(peer.last_alert_received(), std::optional<uint8_t>(static_cast<uint8_t>(Alert::decrypt_error)));
}

}  // namespace
}  // namespace dtls::test
