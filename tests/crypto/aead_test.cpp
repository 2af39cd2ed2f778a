// AEAD record protection: published vectors for each algorithm, round trips,
// and rejection of every kind of tampering a forged record could carry.
#include <gtest/gtest.h>
#include <openssl/crypto.h>

#include <atomic>
#include <cstdlib>
#include <string>

#include "crypto/aead.hpp"
#include "hex.hpp"

namespace dtls::crypto {
namespace {

using testing::as_bytes;
using testing::from_hex;
using testing::to_hex;

// Counts OpenSSL's heap allocations. OpenSSL accepts replacement allocators
// only before its first allocation, so they are installed during static
// initialisation, before main and before any test touches OpenSSL.
std::atomic<long> openssl_allocations{0};
void* counting_malloc(size_t n, const char*, int) {
    ++openssl_allocations;
    return std::malloc(n);
}
void* counting_realloc(void* p, size_t n, const char*, int) {
    ++openssl_allocations;
    return std::realloc(p, n);
}
void plain_free(void* p, const char*, int) { std::free(p); }
const bool allocation_counting = CRYPTO_set_mem_functions(counting_malloc, counting_realloc, plain_free) == 1;

struct Vector {
    const char* name;
    AeadAlgorithm alg;
    std::vector<uint8_t> key, nonce, aad, plaintext, ciphertext, tag;
};

const std::vector<uint8_t> gcm_plaintext = from_hex(
    "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
    "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");

std::vector<Vector> published_vectors() {
    std::string sunscreen =
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen "
        "would be it.";
    return {
        // McGrew and Viega, "The Galois/Counter Mode of Operation", test case 4.
        {"AES-128-GCM test case 4", AeadAlgorithm::aes_128_gcm, from_hex("feffe9928665731c6d6a8f9467308308"),
         from_hex("cafebabefacedbaddecaf888"), from_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2"), gcm_plaintext,
         from_hex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
                  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091"),
         from_hex("5bc94fbc3221a5db94fae95ae7121a47")},
        // The same document, test case 16.
        {"AES-256-GCM test case 16", AeadAlgorithm::aes_256_gcm,
         from_hex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308"),
         from_hex("cafebabefacedbaddecaf888"), from_hex("feedfacedeadbeeffeedfacedeadbeefabaddad2"), gcm_plaintext,
         from_hex("522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
                  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662"),
         from_hex("76fc6ece0f4e1768cddf8853bb2d551b")},
        // RFC 8439 section 2.8.2.
        {"ChaCha20-Poly1305 RFC 8439 2.8.2", AeadAlgorithm::chacha20_poly1305,
         from_hex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f"),
         from_hex("070000004041424344454647"), from_hex("50515253c0c1c2c3c4c5c6c7"),
         std::vector<uint8_t>(sunscreen.begin(), sunscreen.end()),
         from_hex("d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d6"
                  "3dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b36"
                  "92ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc"
                  "3ff4def08e4b7a9de576d26586cec64b6116"),
         from_hex("1ae10b594f09e26a7e902ecbd0600691")},
    };
}

TEST(Aead, SealProducesPublishedCiphertextAndTag) {
    for (const Vector& v : published_vectors()) {
        SCOPED_TRACE(v.name);
        auto aead = Aead::create(v.alg, v.key);
        ASSERT_TRUE(aead.ok()) << aead.error().reason;
        std::vector<uint8_t> buffer = v.plaintext;
        std::vector<uint8_t> tag(Aead::tag_length);
        aead->seal(v.nonce, v.aad, buffer, tag);
        EXPECT_EQ(to_hex(buffer), to_hex(v.ciphertext));
        EXPECT_EQ(to_hex(tag), to_hex(v.tag));
    }
}

TEST(Aead, OpenRecoversPublishedPlaintext) {
    for (const Vector& v : published_vectors()) {
        SCOPED_TRACE(v.name);
        auto aead = Aead::create(v.alg, v.key);
        ASSERT_TRUE(aead.ok());
        std::vector<uint8_t> buffer = v.ciphertext;
        ASSERT_TRUE(aead->open(v.nonce, v.aad, buffer, v.tag));
        EXPECT_EQ(buffer, v.plaintext);
    }
}

class AeadAlgorithms : public ::testing::TestWithParam<AeadAlgorithm> {
protected:
    Aead make() const {
        std::vector<uint8_t> key(aead_key_length(GetParam()));
        for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0x40 + i);
        auto aead = Aead::create(GetParam(), key);
        EXPECT_TRUE(aead.ok());
        return std::move(aead.value());
    }

    // A record as the record layer would protect it: 13-byte header as AAD.
    std::vector<uint8_t> nonce = from_hex("000102030405060708090a0b");
    std::vector<uint8_t> aad = from_hex("17fefd0001000000000005002a");
};

TEST_P(AeadAlgorithms, RoundTripsInPlaceForRecordSizes) {
    Aead aead = make();
    for (size_t size : {0u, 1u, 15u, 16u, 17u, 1200u, 16384u}) {
        std::vector<uint8_t> plaintext(size);
        for (size_t i = 0; i < size; ++i) plaintext[i] = static_cast<uint8_t>(i * 31);
        std::vector<uint8_t> buffer = plaintext;
        std::vector<uint8_t> tag(Aead::tag_length);
        aead.seal(nonce, aad, buffer, tag);
        if (size >= 16) {
            EXPECT_NE(buffer, plaintext) << "size " << size;
        }
        ASSERT_TRUE(aead.open(nonce, aad, buffer, tag)) << "size " << size;
        EXPECT_EQ(buffer, plaintext) << "size " << size;
    }
}

TEST_P(AeadAlgorithms, OneContextSealsAndOpensManyRecordsInTurn) {
    // The same keyed context alternates direction and nonce per record, as a
    // connection's contexts do over their lifetime.
    Aead sender = make();
    Aead receiver = make();
    for (uint8_t seq = 0; seq < 50; ++seq) {
        std::vector<uint8_t> record_nonce = nonce;
        record_nonce.back() = seq;
        std::vector<uint8_t> message(100, seq);
        std::vector<uint8_t> tag(Aead::tag_length);
        sender.seal(record_nonce, aad, message, tag);
        ASSERT_TRUE(receiver.open(record_nonce, aad, message, tag)) << "record " << int(seq);
        EXPECT_EQ(message, std::vector<uint8_t>(100, seq));
        // The receiver now seals with the same context and the sender opens.
        receiver.seal(record_nonce, aad, message, tag);
        ASSERT_TRUE(sender.open(record_nonce, aad, message, tag)) << "reply " << int(seq);
        EXPECT_EQ(message, std::vector<uint8_t>(100, seq));
    }
}

TEST_P(AeadAlgorithms, RejectsAnyTamperedInput) {
    Aead aead = make();
    const std::vector<uint8_t> plaintext(64, 0x5a);
    std::vector<uint8_t> ciphertext = plaintext;
    std::vector<uint8_t> tag(Aead::tag_length);
    aead.seal(nonce, aad, ciphertext, tag);

    auto opens = [&](std::vector<uint8_t> n, std::vector<uint8_t> a, std::vector<uint8_t> c, std::vector<uint8_t> t) {
        return aead.open(n, a, c, t);
    };
    ASSERT_TRUE(opens(nonce, aad, ciphertext, tag));

    auto flipped = [](std::vector<uint8_t> bytes, size_t at) {
        bytes[at] ^= 0x01;
        return bytes;
    };
    EXPECT_FALSE(opens(nonce, aad, flipped(ciphertext, 0), tag)) << "ciphertext";
    EXPECT_FALSE(opens(nonce, aad, flipped(ciphertext, 63), tag)) << "last ciphertext byte";
    EXPECT_FALSE(opens(nonce, aad, ciphertext, flipped(tag, 15))) << "tag";
    EXPECT_FALSE(opens(nonce, flipped(aad, 12), ciphertext, tag)) << "associated data";
    EXPECT_FALSE(opens(flipped(nonce, 11), aad, ciphertext, tag)) << "nonce";
    EXPECT_FALSE(opens(nonce, {}, ciphertext, tag)) << "missing associated data";
    std::vector<uint8_t> truncated(ciphertext.begin(), ciphertext.end() - 1);
    EXPECT_FALSE(opens(nonce, aad, truncated, tag)) << "truncated ciphertext";
    EXPECT_FALSE(opens(nonce, aad, ciphertext, std::vector<uint8_t>(tag.begin(), tag.end() - 1))) << "short tag";

    // A different key must not open it either.
    std::vector<uint8_t> other_key(aead_key_length(GetParam()), 0x99);
    auto other = Aead::create(GetParam(), other_key);
    ASSERT_TRUE(other.ok());
    std::vector<uint8_t> copy = ciphertext;
    EXPECT_FALSE(other->open(nonce, aad, copy, tag)) << "other key";

    // And a failed open leaves the context usable for the genuine record.
    EXPECT_TRUE(opens(nonce, aad, ciphertext, tag));
}

TEST_P(AeadAlgorithms, SealAndOpenDoNotAllocate) {
    // One call per record on the hot path: the context is keyed once in
    // create(), and per record only the nonce, AAD and payload are processed.
    ASSERT_TRUE(allocation_counting) << "OpenSSL allocated before the counting allocator could be installed";
    Aead aead = make();
    std::vector<uint8_t> record_nonce = nonce;
    std::vector<uint8_t> payload(1200, 0x77);
    std::vector<uint8_t> tag(Aead::tag_length);
    long before = openssl_allocations.load();
    bool all_opened = true;
    for (int i = 0; i < 100; ++i) {
        record_nonce.back() = static_cast<uint8_t>(i);
        aead.seal(record_nonce, aad, payload, tag);
        all_opened = aead.open(record_nonce, aad, payload, tag) && all_opened;
        tag[0] ^= 1;  // a forged record takes the failure path, which must not allocate either
        all_opened = !aead.open(record_nonce, aad, payload, tag) && all_opened;
    }
    EXPECT_EQ(openssl_allocations.load() - before, 0);
    EXPECT_TRUE(all_opened);
}

TEST_P(AeadAlgorithms, RejectsKeysOfTheWrongLength) {
    std::vector<uint8_t> key(aead_key_length(GetParam()) + 1);
    auto aead = Aead::create(GetParam(), key);
    ASSERT_FALSE(aead.ok());
    EXPECT_EQ(aead.error().code, ErrorCode::invalid_argument);
    EXPECT_FALSE(Aead::create(GetParam(), {}).ok());
}

INSTANTIATE_TEST_SUITE_P(All, AeadAlgorithms,
                         ::testing::Values(AeadAlgorithm::aes_128_gcm, AeadAlgorithm::aes_256_gcm,
                                           AeadAlgorithm::chacha20_poly1305),
                         [](const ::testing::TestParamInfo<AeadAlgorithm>& info) {
                             switch (info.param) {
                                 case AeadAlgorithm::aes_128_gcm: return std::string("aes_128_gcm");
                                 case AeadAlgorithm::aes_256_gcm: return std::string("aes_256_gcm");
                                 case AeadAlgorithm::chacha20_poly1305: return std::string("chacha20_poly1305");
                             }
                             return std::string("unknown");
                         });

TEST(Aead, KeyLengths) {
    EXPECT_EQ(aead_key_length(AeadAlgorithm::aes_128_gcm), 16u);
    EXPECT_EQ(aead_key_length(AeadAlgorithm::aes_256_gcm), 32u);
    EXPECT_EQ(aead_key_length(AeadAlgorithm::chacha20_poly1305), 32u);
}

}  // namespace
}  // namespace dtls::crypto
