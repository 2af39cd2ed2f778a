// Traffic keys (key, iv, sn_key) and KeyUpdate's next secret, with the DTLS
// 1.3 prefix, against HKDF-Expand-Label computed here: the HkdfLabel bytes
// written out by hand and one block of OpenSSL's HMAC() as HKDF-Expand. The
// tests' HkdfLabel builder is first checked against RFC 8448's "info" bytes.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "crypto/record_number_mask.hpp"
#include "hex.hpp"
#include "reference_kdf.hpp"
#include "rfc8448_values.hpp"
#include "tls13/cipher_suites.hpp"
#include "tls13/key_update.hpp"
#include "tls13/traffic_keys.hpp"

namespace dtls::tls13 {
namespace {

using testing::from_hex;
using testing::reference_expand_label;
using testing::reference_hkdf_label;
using testing::reference_hmac;
using testing::to_hex;

// A traffic secret as long as SHA-384's; SHA-256 suites use its first 32 bytes.
const std::vector<uint8_t> kSecret = from_hex(
    "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"
    "a1a2a3a4a5a6a7a8a9aaabacadaeafb0");

std::span<const uint8_t> secret_for(crypto::HashAlgorithm alg) {
    return std::span<const uint8_t>(kSecret).first(crypto::hash_length(alg));
}

// One block of HKDF-Expand: T(1) = HMAC(PRK, info | 0x01), cut to `length`.
std::string one_block_expand(crypto::HashAlgorithm alg, std::span<const uint8_t> prk, std::vector<uint8_t> info,
                             size_t length) {
    info.push_back(0x01);
    std::vector<uint8_t> t1 = reference_hmac(alg, prk, info);
    EXPECT_LE(length, t1.size());
    t1.resize(length);
    return to_hex(t1);
}

TEST(HkdfLabelOfTheTests, MatchesTheInfoBytesOfRfc8448) {
    namespace simple = rfc8448::simple;
    EXPECT_EQ(to_hex(reference_hkdf_label("tls13 key", {}, 16)), simple::key_info);
    EXPECT_EQ(to_hex(reference_hkdf_label("tls13 iv", {}, 12)), simple::iv_info);
    EXPECT_EQ(to_hex(reference_hkdf_label("tls13 finished", {}, 32)), simple::finished_info);
    EXPECT_EQ(to_hex(reference_hkdf_label("tls13 c hs traffic", from_hex(simple::hello_hash), 32)),
              simple::client_handshake_traffic_info);
}

// The DTLS 1.3 labels written out: uint16 length, the label's length, then
// "dtls13" and the label with no space between, and an empty context.
TEST(TrafficKeys, Dtls13KeysAreHkdfExpandOverHandBuiltLabels) {
    const auto sha256 = crypto::HashAlgorithm::sha256;
    const std::span<const uint8_t> secret = secret_for(sha256);
    const std::vector<uint8_t> key_label = from_hex("0010" "09" "64746c7331336b6579" "00");  // "dtls13key"
    const std::vector<uint8_t> iv_label = from_hex("000c" "08" "64746c733133" "6976" "00");  // "dtls13iv"
    const std::vector<uint8_t> sn_label = from_hex("0010" "08" "64746c733133" "736e" "00");  // "dtls13sn"
    EXPECT_EQ(to_hex(reference_hkdf_label("dtls13key", {}, 16)), to_hex(key_label));

    Result<TrafficKeys> keys = derive_traffic_keys(KeyDerivation(sha256), crypto::AeadCipher::Algorithm::aes_128_gcm,
                                                   secret);
    ASSERT_TRUE(keys.ok()) << keys.error().reason;
    EXPECT_EQ(to_hex(keys->key.span()), one_block_expand(sha256, secret, key_label, 16));
    EXPECT_EQ(to_hex(keys->iv.span()), one_block_expand(sha256, secret, iv_label, 12));
    EXPECT_EQ(to_hex(keys->sn_key.span()), one_block_expand(sha256, secret, sn_label, 16));

    // With TLS 1.3's prefix the same secret gives other keys.
    Result<TrafficKeys> tls = derive_traffic_keys(KeyDerivation(sha256, LabelPrefix::tls13),
                                                  crypto::AeadCipher::Algorithm::aes_128_gcm, secret);
    ASSERT_TRUE(tls.ok());
    EXPECT_NE(to_hex(tls->key.span()), to_hex(keys->key.span()));
    EXPECT_NE(to_hex(tls->iv.span()), to_hex(keys->iv.span()));
    EXPECT_NE(to_hex(tls->sn_key.span()), to_hex(keys->sn_key.span()));
}

// TLS_AES_256_GCM_SHA384: 32-byte keys from a 48-byte secret, hand-built.
TEST(TrafficKeys, Aes256GcmSha384KeysAreHkdfExpandOverHandBuiltLabels) {
    const SuiteInfo* suite = find_suite(suite::aes_256_gcm_sha384);
    ASSERT_NE(suite, nullptr);
    const std::span<const uint8_t> secret = secret_for(suite->hash);
    ASSERT_EQ(secret.size(), 48u);
    const std::vector<uint8_t> key_label = from_hex("0020" "09" "64746c7331336b6579" "00");
    const std::vector<uint8_t> iv_label = from_hex("000c" "08" "64746c7331336976" "00");
    const std::vector<uint8_t> sn_label = from_hex("0020" "08" "64746c733133736e" "00");

    Result<TrafficKeys> keys = derive_traffic_keys(KeyDerivation(suite->hash), suite->aead, secret);
    ASSERT_TRUE(keys.ok()) << keys.error().reason;
    EXPECT_EQ(to_hex(keys->key.span()), one_block_expand(suite->hash, secret, key_label, 32));
    EXPECT_EQ(to_hex(keys->iv.span()), one_block_expand(suite->hash, secret, iv_label, 12));
    EXPECT_EQ(to_hex(keys->sn_key.span()), one_block_expand(suite->hash, secret, sn_label, 32));
}

TEST(TrafficKeys, EverySuiteGetsKeysOfItsLengthsAndADistinctSnKey) {
    for (const SuiteInfo& suite : all_suites()) {
        SCOPED_TRACE(std::string(suite.name));
        const KeyDerivation kdf(suite.hash);
        const std::span<const uint8_t> secret = secret_for(suite.hash);
        Result<TrafficKeys> keys = derive_traffic_keys(kdf, suite.aead, secret);
        ASSERT_TRUE(keys.ok()) << keys.error().reason;
        EXPECT_EQ(keys->key.size(), suite.key_length());
        EXPECT_EQ(keys->iv.size(), crypto::AeadCipher::nonce_length);
        EXPECT_EQ(keys->sn_key.size(), suite.key_length());
        EXPECT_NE(to_hex(keys->sn_key.span()), to_hex(keys->key.span()));
        EXPECT_EQ(to_hex(keys->key.span()),
                  to_hex(reference_expand_label(suite.hash, "dtls13", secret, "key", {}, suite.key_length())));
        EXPECT_EQ(to_hex(keys->iv.span()), to_hex(reference_expand_label(suite.hash, "dtls13", secret, "iv", {}, 12)));
        EXPECT_EQ(to_hex(keys->sn_key.span()),
                  to_hex(reference_expand_label(suite.hash, "dtls13", secret, "sn", {}, suite.key_length())));

        // The keys fit the primitives that take them.
        EXPECT_TRUE(crypto::AeadCipher::create(suite.aead, keys->key.span()).ok());
        EXPECT_TRUE(crypto::RecordNumberMask::create(suite.record_number_mask, keys->sn_key.span()).ok());
    }
}

TEST(KeyUpdate, NextSecretIsTrafficUpdOfTheCurrentOne) {
    for (crypto::HashAlgorithm alg : {crypto::HashAlgorithm::sha256, crypto::HashAlgorithm::sha384}) {
        for (LabelPrefix prefix : {LabelPrefix::tls13, LabelPrefix::dtls13}) {
            const std::string_view prefix_text = prefix == LabelPrefix::tls13 ? "tls13 " : "dtls13";
            SCOPED_TRACE(std::string(prefix_text));
            const KeyDerivation kdf(alg, prefix);
            const std::span<const uint8_t> secret_0 = secret_for(alg);
            const size_t length = crypto::hash_length(alg);

            Result<crypto::SecretBytes> secret_1 = next_application_traffic_secret(kdf, secret_0);
            ASSERT_TRUE(secret_1.ok()) << secret_1.error().reason;
            const std::vector<uint8_t> want_1 =
                reference_expand_label(alg, prefix_text, secret_0, "traffic upd", {}, length);
            EXPECT_EQ(to_hex(secret_1->span()), to_hex(want_1));

            // Each generation from the one before.
            Result<crypto::SecretBytes> secret_2 = next_application_traffic_secret(kdf, secret_1->span());
            ASSERT_TRUE(secret_2.ok());
            EXPECT_EQ(to_hex(secret_2->span()),
                      to_hex(reference_expand_label(alg, prefix_text, want_1, "traffic upd", {}, length)));
            EXPECT_NE(to_hex(secret_2->span()), to_hex(secret_1->span()));
        }
    }
}

}  // namespace
}  // namespace dtls::tls13
