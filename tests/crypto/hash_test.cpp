// Digests, HMAC and the TLS 1.2 PRF against published answers, and the PRF
// against P_hash computed independently from HMAC as RFC 5246 section 5 defines it.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "crypto/hash.hpp"
#include "hex.hpp"

namespace dtls::crypto {
namespace {

using testing::as_bytes;
using testing::from_hex;
using testing::to_hex;

// HMAC through the library's Hmac, keyed for this one computation.
std::vector<uint8_t> keyed_hmac(HashAlgorithm alg, std::span<const uint8_t> key, std::span<const uint8_t> data) {
    std::vector<uint8_t> out(hash_length(alg));
    Result<Hmac> mac = Hmac::create(alg, key);
    EXPECT_TRUE(mac.ok());
    EXPECT_TRUE(mac && mac->compute({data}, out));
    return out;
}

// HMAC through OpenSSL's one-shot HMAC(), independent of the library's code,
// for the reference PRF below.
std::vector<uint8_t> one_shot_hmac(HashAlgorithm alg, std::span<const uint8_t> key, std::span<const uint8_t> data) {
    std::vector<uint8_t> out(hash_length(alg));
    unsigned int len = 0;
    HMAC(alg == HashAlgorithm::sha384 ? EVP_sha384() : EVP_sha256(), key.data(), static_cast<int>(key.size()),
         data.data(), data.size(), out.data(), &len);
    EXPECT_EQ(len, out.size());
    return out;
}

TEST(Hash, DigestsMatchFips180Abc) {
    EXPECT_EQ(to_hex(*digest(HashAlgorithm::sha256, as_bytes("abc"))),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(to_hex(*digest(HashAlgorithm::sha384, as_bytes("abc"))),
              "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7");
    EXPECT_EQ(hash_length(HashAlgorithm::sha256), 32u);
    EXPECT_EQ(hash_length(HashAlgorithm::sha384), 48u);
}

TEST(Hash, HmacMatchesRfc4231TestCase2) {
    auto key = as_bytes("Jefe");
    auto data = as_bytes("what do ya want for nothing?");
    EXPECT_EQ(to_hex(keyed_hmac(HashAlgorithm::sha256, key, data)),
              "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    EXPECT_EQ(to_hex(keyed_hmac(HashAlgorithm::sha384, key, data)),
              "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649");
}

TEST(Hash, HmacAcceptsAnEmptyKey) {
    // RFC 2104 with an empty key is the same as a key of zero bytes padded out.
    std::vector<uint8_t> zeros(1, 0);
    EXPECT_EQ(keyed_hmac(HashAlgorithm::sha256, {}, as_bytes("x")),
              keyed_hmac(HashAlgorithm::sha256, zeros, as_bytes("x")));
}

// The TLS 1.2 PRF vectors posted to the IETF TLS working group
// (mail-archive/web/tls/current/msg03416.html).
TEST(Prf, Sha256PublishedVector) {
    std::vector<uint8_t> out(100);
    ASSERT_TRUE(prf(HashAlgorithm::sha256, from_hex("9bbe436ba940f017b17652849a71db35"), "test label",
        from_hex("a0ba9f936cda311827a6f796ffd5198c"), out));
    EXPECT_EQ(to_hex(out),
              "e3f229ba727be17b8d122620557cd453c2aab21d07c3d495329b52d4e61edb5a"
              "6b301791e90d35c9c9a46b4e14baf9af0fa022f7077def17abfd3797c0564bab"
              "4fbc91666e9def9b97fce34f796789baa48082d122ee42c5a72e5a5110fff701"
              "87347b66");
}

TEST(Prf, Sha384PublishedVector) {
    std::vector<uint8_t> out(148);
    ASSERT_TRUE(prf(HashAlgorithm::sha384, from_hex("b80b733d6ceefcdc71566ea48e5567df"), "test label",
        from_hex("cd665cf6a8447dd6ff8b27555edb7465"), out));
    EXPECT_EQ(to_hex(out),
              "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cd"
              "e9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd"
              "8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d918425"
              "9b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee6"
              "91c8f3a26854308d5eaa3be85e0990703d73e56f");
}

// P_hash(secret, seed) = HMAC(secret, A(1) + seed) + HMAC(secret, A(2) + seed) + ...
// with A(0) = seed and A(i) = HMAC(secret, A(i-1)); PRF = P_hash(secret, label + seed).
std::vector<uint8_t> reference_prf(HashAlgorithm alg, std::span<const uint8_t> secret, std::string_view label,
                                   std::span<const uint8_t> seed, size_t length) {
    std::vector<uint8_t> label_seed(label.begin(), label.end());
    label_seed.insert(label_seed.end(), seed.begin(), seed.end());
    std::vector<uint8_t> out;
    std::vector<uint8_t> a = label_seed;
    while (out.size() < length) {
        a = one_shot_hmac(alg, secret, a);
        std::vector<uint8_t> input = a;
        input.insert(input.end(), label_seed.begin(), label_seed.end());
        std::vector<uint8_t> block = one_shot_hmac(alg, secret, input);
        out.insert(out.end(), block.begin(), block.end());
    }
    out.resize(length);
    return out;
}

TEST(Prf, MatchesPHashBuiltFromHmacForKeyBlockSizes) {
    std::vector<uint8_t> secret(48);
    std::vector<uint8_t> seed(64);
    for (size_t i = 0; i < secret.size(); ++i) secret[i] = static_cast<uint8_t>(i * 7 + 1);
    for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(255 - i);
    // Lengths below, at and across hash-block boundaries, and a full GCM key block.
    for (HashAlgorithm alg : {HashAlgorithm::sha256, HashAlgorithm::sha384}) {
        for (size_t length : {1u, 12u, 32u, 33u, 48u, 72u, 104u, 200u}) {
            std::vector<uint8_t> out(length);
            ASSERT_TRUE(prf(alg, secret, "key expansion", seed, out));
            EXPECT_EQ(out, reference_prf(alg, secret, "key expansion", seed, length))
                << "length " << length << " sha" << (alg == HashAlgorithm::sha256 ? 256 : 384);
        }
    }
}

TEST(Prf, AcceptsLongSeedsSuchAsExporterContexts) {
    // RFC 5705 lets the application pass up to 64 KiB of context in the seed.
    std::vector<uint8_t> secret(48, 9);
    for (size_t seed_length : {1000u, 5000u, 65535u + 64u}) {
        std::vector<uint8_t> seed(seed_length, 0xa5);
        std::vector<uint8_t> out(40);
        ASSERT_TRUE(prf(HashAlgorithm::sha256, secret, "EXPORTER-my-protocol", seed, out));
        EXPECT_EQ(out, reference_prf(HashAlgorithm::sha256, secret, "EXPORTER-my-protocol", seed, out.size()))
            << "seed of " << seed_length << " bytes";
    }
}

TEST(Prf, AcceptsAnEmptySecret) {
    std::vector<uint8_t> seed(64, 3), out(48);
    ASSERT_TRUE(prf(HashAlgorithm::sha384, {}, "master secret", seed, out));
    EXPECT_EQ(out, reference_prf(HashAlgorithm::sha384, {}, "master secret", seed, out.size()));
}

TEST(Prf, LabelIsPartOfTheInput) {
    std::vector<uint8_t> secret(48, 1), seed(64, 2), a(12), b(12);
    ASSERT_TRUE(prf(HashAlgorithm::sha256, secret, "client finished", seed, a));
    ASSERT_TRUE(prf(HashAlgorithm::sha256, secret, "server finished", seed, b));
    EXPECT_NE(a, b);
}

// The reusable keyed HMAC gives the same answer as the one-shot function,
// every time, whatever was computed before.
TEST(KeyedHmacObject, MatchesOneShotAcrossReuse) {
    const std::vector<uint8_t> key = {1, 2, 3, 4, 5};
    const std::vector<uint8_t> a = {'a', 'b', 'c'}, b = {'d', 'e'}, ab = {'a', 'b', 'c', 'd', 'e'};
    for (HashAlgorithm alg : {HashAlgorithm::sha256, HashAlgorithm::sha384}) {
        Result<Hmac> mac = Hmac::create(alg, key);
        ASSERT_TRUE(mac.ok());
        std::vector<uint8_t> out(hash_length(alg));
        for (int round = 0; round < 3; ++round) {
            ASSERT_TRUE(mac->compute({a, b}, out));
            EXPECT_EQ(out, one_shot_hmac(alg, key, ab));
            ASSERT_TRUE(mac->compute({b}, out));
            EXPECT_EQ(out, one_shot_hmac(alg, key, b));
        }
    }
}

}  // namespace
}  // namespace dtls::crypto
