// HKDF against RFC 5869's test cases, HKDF-Expand-Label against the TLS 1.3
// key schedule traced in RFC 8448, the DTLS 1.3 prefix against HKDF-Expand
// computed independently here from OpenSSL's HMAC() over a hand-built
// HkdfLabel, and the refusals.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <string>
#include <string_view>
#include <vector>

#include "crypto/hkdf.hpp"
#include "hex.hpp"

namespace dtls::crypto {
namespace {

using testing::from_hex;
using testing::to_hex;

std::string hex_of(const Result<SecretBytes>& r) {
    EXPECT_TRUE(r.ok()) << r.error().reason;
    return r.ok() ? to_hex(r->span()) : std::string();
}

// One-shot HMAC from OpenSSL, independent of the code under test.
std::vector<uint8_t> hmac(HashAlgorithm alg, std::span<const uint8_t> key, std::span<const uint8_t> data) {
    static const uint8_t placeholder = 0;
    std::vector<uint8_t> out(hash_length(alg));
    unsigned int len = 0;
    HMAC(alg == HashAlgorithm::sha384 ? EVP_sha384() : EVP_sha256(), key.empty() ? &placeholder : key.data(),
         static_cast<int>(key.size()), data.empty() ? &placeholder : data.data(), data.size(), out.data(), &len);
    EXPECT_EQ(len, out.size());
    return out;
}

// RFC 5869 section 2.3: T(0) = empty, T(i) = HMAC(PRK, T(i-1) | info | i),
// OKM = the first L bytes of T(1) | T(2) | ...
std::vector<uint8_t> reference_expand(HashAlgorithm alg, std::span<const uint8_t> prk,
                                      std::span<const uint8_t> info, size_t length) {
    std::vector<uint8_t> okm, t;
    for (uint8_t i = 1; okm.size() < length; ++i) {
        std::vector<uint8_t> input = t;
        input.insert(input.end(), info.begin(), info.end());
        input.push_back(i);
        t = hmac(alg, prk, input);
        okm.insert(okm.end(), t.begin(), t.end());
    }
    okm.resize(length);
    return okm;
}

// RFC 8446 section 7.1's HkdfLabel, byte by byte: uint16 length,
// opaque label<7..255>, opaque context<0..255>.
std::vector<uint8_t> hand_built_hkdf_label(std::string_view full_label, std::span<const uint8_t> context,
                                           uint16_t length) {
    std::vector<uint8_t> out = {static_cast<uint8_t>(length >> 8), static_cast<uint8_t>(length)};
    out.push_back(static_cast<uint8_t>(full_label.size()));
    out.insert(out.end(), full_label.begin(), full_label.end());
    out.push_back(static_cast<uint8_t>(context.size()));
    out.insert(out.end(), context.begin(), context.end());
    return out;
}

struct Rfc5869Case {
    const char* name;
    const char* ikm;
    const char* salt;
    const char* info;
    size_t length;
    const char* prk;
    const char* okm;
};

// RFC 5869 Appendix A, the SHA-256 cases.
const Rfc5869Case rfc5869_cases[] = {
    {"A.1 Test Case 1", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "000102030405060708090a0b0c",
     "f0f1f2f3f4f5f6f7f8f9", 42, "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5",
     "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865"},
    {"A.2 Test Case 2",
     "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
     "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b4c4d4e4f",
     "606162636465666768696a6b6c6d6e6f707172737475767778797a7b7c7d7e7f"
     "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9fa0a1a2a3a4a5a6a7a8a9aaabacadaeaf",
     "b0b1b2b3b4b5b6b7b8b9babbbcbdbebfc0c1c2c3c4c5c6c7c8c9cacbcccdcecf"
     "d0d1d2d3d4d5d6d7d8d9dadbdcdddedfe0e1e2e3e4e5e6e7e8e9eaebecedeeeff0f1f2f3f4f5f6f7f8f9fafbfcfdfeff",
     82, "06a6b88c5853361a06104c9ceb35b45cef760014904671014a193f40c15fc244",
     "b11e398dc80327a1c8e7f78c596a49344f012eda2d4efad8a050cc4c19afa97c"
     "59045a99cac7827271cb41c65e590e09da3275600c2f09b8367793a9aca3db71"
     "cc30c58179ec3e87c14c01d5c1f3434f1d87"},
    {"A.3 Test Case 3 (no salt, no info)", "0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "", "", 42,
     "19ef24a32c717b167f33a91d6f648bdf96596776afdb6377ac434c1c293ccb04",
     "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"},
};

TEST(Hkdf, ExtractMatchesRfc5869) {
    for (const Rfc5869Case& c : rfc5869_cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(hex_of(hkdf_extract(HashAlgorithm::sha256, from_hex(c.salt), from_hex(c.ikm))), c.prk);
    }
}

TEST(Hkdf, ExpandMatchesRfc5869) {
    for (const Rfc5869Case& c : rfc5869_cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(hex_of(hkdf_expand(HashAlgorithm::sha256, from_hex(c.prk), from_hex(c.info), c.length)), c.okm);
    }
}

TEST(Hkdf, MissingSaltIsHashLengthZeros) {
    const std::vector<uint8_t> ikm(40, 0x5c);
    for (HashAlgorithm alg : {HashAlgorithm::sha256, HashAlgorithm::sha384}) {
        const std::vector<uint8_t> zeros(hash_length(alg), 0);
        EXPECT_EQ(hex_of(hkdf_extract(alg, {}, ikm)), hex_of(hkdf_extract(alg, zeros, ikm)));
        EXPECT_EQ(hex_of(hkdf_extract(alg, zeros, ikm)), to_hex(hmac(alg, zeros, ikm)));
    }
}

TEST(Hkdf, ExtractIsHmacOfTheInputKeyMaterial) {
    const std::vector<uint8_t> salt = from_hex("000102030405060708090a0b0c");
    for (HashAlgorithm alg : {HashAlgorithm::sha256, HashAlgorithm::sha384}) {
        for (size_t ikm_length : {0u, 1u, 48u, 200u}) {
            const std::vector<uint8_t> ikm(ikm_length, 0x0b);
            Result<SecretBytes> prk = hkdf_extract(alg, salt, ikm);
            EXPECT_EQ(hex_of(prk), to_hex(hmac(alg, salt, ikm))) << "IKM of " << ikm_length;
            EXPECT_EQ(prk.ok() ? prk->size() : 0, hash_length(alg));
        }
    }
}

TEST(Hkdf, ExpandOfNothingIsEmpty) {
    Result<SecretBytes> okm = hkdf_expand(HashAlgorithm::sha256, std::vector<uint8_t>(32, 1), {}, 0);
    ASSERT_TRUE(okm.ok()) << okm.error().reason;
    EXPECT_TRUE(okm->empty());
}

TEST(Hkdf, ExpandRefusesMoreThan255Blocks) {
    const std::vector<uint8_t> prk(48, 1);
    for (HashAlgorithm alg : {HashAlgorithm::sha256, HashAlgorithm::sha384}) {
        const size_t limit = 255 * hash_length(alg);
        Result<SecretBytes> longest = hkdf_expand(alg, prk, {}, limit);
        ASSERT_TRUE(longest.ok()) << longest.error().reason;
        EXPECT_EQ(longest->size(), limit);
        Result<SecretBytes> too_long = hkdf_expand(alg, prk, {}, limit + 1);
        ASSERT_FALSE(too_long.ok());
        EXPECT_EQ(too_long.error().code, ErrorCode::invalid_argument);
        EXPECT_FALSE(too_long.error().alert.has_value());
    }
}

// RFC 8448 section 3, "Simple 1-RTT Handshake" (TLS_AES_128_GCM_SHA256):
// the server's side of the key schedule up to its handshake traffic keys.
TEST(HkdfExpandLabel, MatchesTheRfc8448KeySchedule) {
    const auto sha256 = HashAlgorithm::sha256;
    const std::string early_secret = "33ad0a1c607ec03b09e6cd9893680ce210adf300aa1f2660e1b22e10f170f92a";
    // extract secret "early": salt 0, IKM 32 zero bytes.
    EXPECT_EQ(hex_of(hkdf_extract(sha256, {}, std::vector<uint8_t>(32, 0))), early_secret);

    // derive secret for handshake "tls13 derived", context Hash("").
    const std::vector<uint8_t> empty_hash =
        from_hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    const std::string derived = "6f2615a108c702c5678f54fc9dbab69716c076189c48250cebeac3576c3611ba";
    EXPECT_EQ(hex_of(hkdf_expand_label(sha256, from_hex(early_secret), tls13_label_prefix, "derived", empty_hash, 32)),
              derived);

    // extract secret "handshake": salt = derived, IKM = the (EC)DHE secret.
    const std::string handshake_secret = "1dc826e93606aa6fdc0aadc12f741b01046aa6b99f691ed221a9f0ca043fbeac";
    EXPECT_EQ(hex_of(hkdf_extract(sha256, from_hex(derived),
                                  from_hex("8bd4054fb55b9d63fdfbacf9f04b9f0d35e6d63f537563efd46272900f89492d"))),
              handshake_secret);

    // derive secret "tls13 s hs traffic", context the ClientHello..ServerHello hash.
    const std::string server_hs_traffic = "b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38";
    EXPECT_EQ(hex_of(hkdf_expand_label(sha256, from_hex(handshake_secret), tls13_label_prefix, "s hs traffic",
                                       from_hex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8"),
                                       32)),
              server_hs_traffic);

    // derive write traffic keys for handshake data, and the finished key.
    EXPECT_EQ(hex_of(hkdf_expand_label(sha256, from_hex(server_hs_traffic), tls13_label_prefix, "key", {}, 16)),
              "3fce516009c21727d0f2e4e86ee403bc");
    EXPECT_EQ(hex_of(hkdf_expand_label(sha256, from_hex(server_hs_traffic), tls13_label_prefix, "iv", {}, 12)),
              "5d313eb2671276ee13000b30");
    EXPECT_EQ(hex_of(hkdf_expand_label(sha256, from_hex(server_hs_traffic), tls13_label_prefix, "finished", {}, 32)),
              "008d3b66f816ea559f96b537e885c31fc068bf492c652f01f288a1d8cdc19fc8");
}

// The test's own HkdfLabel builder produces RFC 8448's "info" bytes, so the
// reference below builds the structure the RFC means.
TEST(HkdfExpandLabel, HandBuiltLabelMatchesRfc8448Info) {
    EXPECT_EQ(to_hex(hand_built_hkdf_label("tls13 key", {}, 16)), "001009746c73313320" "6b657900");
    EXPECT_EQ(to_hex(hand_built_hkdf_label("tls13 iv", {}, 12)), "000c08746c73313320" "697600");
    EXPECT_EQ(to_hex(hand_built_hkdf_label("tls13 finished", {}, 32)), "00200e746c73313320" "66696e697368656400");
    EXPECT_EQ(to_hex(hand_built_hkdf_label(
                  "tls13 derived", from_hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"), 32)),
              "00200d746c73313320" "64657269766564"
              "20e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// conformance: RFC9147-5.9-1
TEST(HkdfExpandLabel, Dtls13PrefixIsHkdfExpandOverItsOwnLabel) {
    // 48 bytes: SHA-384 uses all of it, SHA-256 the first 32.
    const std::vector<uint8_t> secret = from_hex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38"
                                                 "0102030405060708090a0b0c0d0e0f10");
    const std::vector<uint8_t> transcript =
        from_hex("860c06edc07858ee8e78f0e7428c58edd6b43f2ca3e6e95f02ed063cf0e1cad8");
    struct Case {
        std::string_view label;
        std::vector<uint8_t> context;
        uint16_t length;
    };
    const Case cases[] = {{"key", {}, 16}, {"iv", {}, 12}, {"sn", {}, 32},
                          {"c hs traffic", transcript, 48}, {"traffic upd", {}, 100}};
    for (HashAlgorithm alg : {HashAlgorithm::sha256, HashAlgorithm::sha384}) {
        const std::span<const uint8_t> prk(secret.data(), hash_length(alg));
        for (const Case& c : cases) {
            SCOPED_TRACE(std::string(c.label));
            const std::string dtls =
                hex_of(hkdf_expand_label(alg, prk, dtls13_label_prefix, c.label, c.context, c.length));
            const std::string tls =
                hex_of(hkdf_expand_label(alg, prk, tls13_label_prefix, c.label, c.context, c.length));
            EXPECT_NE(dtls, tls);
            const std::string full_label = std::string("dtls13") + std::string(c.label);
            EXPECT_EQ(dtls,
                      to_hex(reference_expand(alg, prk, hand_built_hkdf_label(full_label, c.context, c.length),
                                              c.length)));
        }
    }
}

TEST(HkdfExpandLabel, RefusesWhatHkdfLabelCannotHold) {
    const std::vector<uint8_t> secret(32, 7);
    const auto sha256 = HashAlgorithm::sha256;
    auto refused = [](const Result<SecretBytes>& r) {
        return !r.ok() && r.error().code == ErrorCode::invalid_argument && !r.error().alert.has_value() &&
               !r.error().reason.empty();
    };
    // 6 + 249 = 255 bytes fits the label's one-byte length; 256 does not.
    EXPECT_TRUE(hkdf_expand_label(sha256, secret, tls13_label_prefix, std::string(249, 'x'), {}, 32).ok());
    EXPECT_TRUE(refused(hkdf_expand_label(sha256, secret, tls13_label_prefix, std::string(250, 'x'), {}, 32)));
    EXPECT_TRUE(refused(hkdf_expand_label(sha256, secret, dtls13_label_prefix, std::string(250, 'x'), {}, 32)));

    EXPECT_TRUE(hkdf_expand_label(sha256, secret, tls13_label_prefix, "key", std::vector<uint8_t>(255, 1), 16).ok());
    EXPECT_TRUE(
        refused(hkdf_expand_label(sha256, secret, tls13_label_prefix, "key", std::vector<uint8_t>(256, 1), 16)));

    EXPECT_TRUE(hkdf_expand_label(sha256, secret, tls13_label_prefix, "key", {}, 255 * 32).ok());
    EXPECT_TRUE(refused(hkdf_expand_label(sha256, secret, tls13_label_prefix, "key", {}, 255 * 32 + 1)));
    EXPECT_TRUE(refused(hkdf_expand_label(HashAlgorithm::sha384, std::vector<uint8_t>(48, 7), tls13_label_prefix,
                                          "key", {}, 255 * 48 + 1)));
}

TEST(HkdfExpandLabel, PrefixConstants) {
    EXPECT_EQ(tls13_label_prefix, "tls13 ");
    EXPECT_EQ(dtls13_label_prefix, "dtls13");
}

}  // namespace
}  // namespace dtls::crypto
