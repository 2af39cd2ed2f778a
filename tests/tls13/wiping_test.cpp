// What the key schedule leaves behind. Once the Master Secret is derived, the
// Early and Handshake Secrets can no longer be reached through the schedule
// (only the stage's own secret is ever held, and the calls that used the
// earlier ones are refused); and, watched on the heap (freed_memory_watch.hpp),
// no block freed while the schedule runs, or when it is destroyed, still holds
// any of its stage secrets or the traffic secrets it handed out.
#include <gtest/gtest.h>

#include <array>
#include <type_traits>
#include <vector>

#include "freed_memory_watch.hpp"
#include "hex.hpp"
#include "tls13/exporter.hpp"
#include "tls13/finished.hpp"
#include "tls13/key_schedule.hpp"
#include "tls13/traffic_keys.hpp"

namespace dtls::tls13 {
namespace {

using testing::FreedMemoryWatch;
using testing::to_hex;

// What is handed out is SecretBytes, which wipes itself.
static_assert(std::is_same_v<decltype(TrafficSecrets::client), crypto::SecretBytes>);
static_assert(std::is_same_v<decltype(TrafficSecrets::server), crypto::SecretBytes>);
static_assert(std::is_same_v<decltype(TrafficKeys::key), crypto::SecretBytes>);
static_assert(std::is_same_v<decltype(TrafficKeys::iv), crypto::SecretBytes>);
static_assert(std::is_same_v<decltype(TrafficKeys::sn_key), crypto::SecretBytes>);
static_assert(std::is_same_v<decltype(std::declval<KeySchedule&>().binder_key(KeySchedule::PskKind::external)),
                             Result<crypto::SecretBytes>>);
static_assert(std::is_same_v<decltype(std::declval<KeySchedule&>().exporter_master_secret({})),
                             Result<crypto::SecretBytes>>);

// Transcript hashes: any 32 bytes will do.
const std::vector<uint8_t> kHelloHash(32, 0x01);
const std::vector<uint8_t> kServerFinishedHash(32, 0x02);
const std::vector<uint8_t> kClientFinishedHash(32, 0x03);

// conformance: RFC8446-7.1-1
TEST(Wiping, EarlierSecretsAreUnreachableOnceTheMasterSecretExists) {
    Result<KeySchedule> ks =
        KeySchedule::with_psk(KeyDerivation(crypto::HashAlgorithm::sha256), std::vector<uint8_t>(32, 0x44));
    ASSERT_TRUE(ks.ok());
    const std::string early = to_hex(ks->stage_secret());
    ASSERT_TRUE(ks->derive_handshake_secret(std::vector<uint8_t>(32, 0x55)).ok());
    const std::string handshake = to_hex(ks->stage_secret());
    ASSERT_TRUE(ks->derive_master_secret().ok());

    EXPECT_NE(to_hex(ks->stage_secret()), early);
    EXPECT_NE(to_hex(ks->stage_secret()), handshake);
    EXPECT_FALSE(ks->binder_key(KeySchedule::PskKind::external).ok());
    EXPECT_FALSE(ks->client_early_traffic_secret(kHelloHash).ok());
    EXPECT_FALSE(ks->early_exporter_master_secret(kHelloHash).ok());
    EXPECT_FALSE(ks->handshake_traffic_secrets(kHelloHash).ok());

    ASSERT_TRUE(ks->end().ok());
    EXPECT_TRUE(ks->stage_secret().empty());
    EXPECT_FALSE(ks->application_traffic_secrets(kServerFinishedHash).ok());
}

// The watch finds a secret freed from a plain vector, so finding none below
// means something.
TEST(Wiping, TheWatchFindsASecretFreedUnwiped) {
    const std::array<uint8_t, 4> secret = {0xde, 0xad, 0xbe, 0xef};
    FreedMemoryWatch watch;
    watch.watch(secret);
    { std::vector<uint8_t> careless = {0x00, 0xde, 0xad, 0xbe, 0xef, 0x00}; }
    EXPECT_EQ(watch.blocks_freed_holding_a_secret(), 1u);
    { crypto::SecretBytes careful(secret); }
    EXPECT_EQ(watch.blocks_freed_holding_a_secret(), 1u);
}

TEST(Wiping, NoStageOrTrafficSecretIsFreedUnwiped) {
    FreedMemoryWatch watch;
    {
        Result<KeySchedule> ks =
            KeySchedule::with_psk(KeyDerivation(crypto::HashAlgorithm::sha256), std::vector<uint8_t>(32, 0x44));
        ASSERT_TRUE(ks.ok());
        watch.watch(ks->stage_secret());  // the Early Secret

        Result<crypto::SecretBytes> binder_key = ks->binder_key(KeySchedule::PskKind::resumption);
        ASSERT_TRUE(binder_key.ok());
        watch.watch(binder_key->span());
        ASSERT_TRUE(verify_data(ks->kdf(), binder_key->span(), kHelloHash).ok());

        ASSERT_TRUE(ks->derive_handshake_secret(std::vector<uint8_t>(32, 0x55)).ok());
        watch.watch(ks->stage_secret());  // the Handshake Secret
        {
            Result<TrafficSecrets> handshake = ks->handshake_traffic_secrets(kHelloHash);
            ASSERT_TRUE(handshake.ok());
            watch.watch(handshake->client.span());
            watch.watch(handshake->server.span());
            Result<TrafficKeys> keys =
                derive_traffic_keys(ks->kdf(), crypto::AeadCipher::Algorithm::aes_128_gcm, handshake->server.span());
            ASSERT_TRUE(keys.ok());
            watch.watch(keys->key.span());
            watch.watch(keys->sn_key.span());
        }

        ASSERT_TRUE(ks->derive_master_secret().ok());
        watch.watch(ks->stage_secret());  // the Master Secret
        {
            Result<TrafficSecrets> application = ks->application_traffic_secrets(kServerFinishedHash);
            ASSERT_TRUE(application.ok());
            Result<crypto::SecretBytes> exporter = ks->exporter_master_secret(kServerFinishedHash);
            ASSERT_TRUE(exporter.ok());
            ASSERT_TRUE(export_keying_material(ks->kdf(), exporter->span(), "EXPORTER-Test", {}, 32).ok());
            ASSERT_TRUE(ks->resumption_master_secret(kClientFinishedHash).ok());
        }
        ASSERT_TRUE(ks->end().ok());
    }
    // The schedule is gone, with every secret it held or handed out.
    EXPECT_EQ(watch.blocks_freed_holding_a_secret(), 0u);
}

}  // namespace
}  // namespace dtls::tls13
